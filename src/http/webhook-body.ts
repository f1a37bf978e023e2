import type { Request } from 'express';
import { HookportError } from '../errors/hookport-error';
import { bodyTooLarge } from './errors';
import type { Upload } from './upload-budgets';

export interface BodyRate {
  /** Bytes per second the body must keep arriving at once the grace has passed; 0: no minimum. */
  minBytesPerSecond: number;
  graceMs: number;
}

/** The client went away before its body was complete: there is no one to answer. */
export class ClientGone extends Error {}

/**
 * Reads a webhook body, charging each chunk to `upload` as it arrives. Rejects with the answer to
 * give (413 over `limit`, 503/429 over a budget, 408 below the minimum rate) or ClientGone. A
 * refused body stops being buffered at once; the caller answers and closes the connection.
 */
export function readWebhookBody(req: Request, upload: Upload, limit: number, rate: BodyRate): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const started = Date.now();
    let received = 0;
    let timer: NodeJS.Timeout | undefined;

    const finish = (error?: Error) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      if (error) {
        chunks.length = 0;
        // Discards the rest, so the refused bytes are not buffered while the answer is written.
        req.resume();
        reject(error);
      } else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return finish(bodyTooLarge(limit));
      const refusal = upload.take(chunk.length);
      if (refusal) return finish(refusal);
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onClose = () => finish(new ClientGone('the client closed the connection before its body was complete'));
    // The rate it must have kept so far: checked when it would next fall short, not on every chunk.
    const check = () => {
      const due = (rate.minBytesPerSecond * (Date.now() - started - rate.graceMs)) / 1000;
      if (received < due) {
        return finish(
          new HookportError(
            'request_timeout',
            `the body arrived slower than ${rate.minBytesPerSecond} bytes/s (WEBHOOK_BODY_MIN_BYTES_PER_SECOND)`,
          ),
        );
      }
      const next = started + rate.graceMs + ((received + 1) * 1000) / rate.minBytesPerSecond;
      timer = setTimeout(check, Math.max(10, next - Date.now()));
    };

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    if (rate.minBytesPerSecond > 0) timer = setTimeout(check, rate.graceMs);
  });
}
