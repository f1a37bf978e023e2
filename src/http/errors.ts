import type { Request, Response } from 'express';
import { answerOf, requestError } from '../errors/error-answer';
import { HookportError, TooManyRequestsError } from '../errors/hookport-error';

/** The 413 answer for a webhook body over `limitBytes`. */
export const bodyTooLarge = (limitBytes: number) =>
  new HookportError(
    'payload_too_large',
    `request body exceeds ${limitBytes} bytes, the limit for this webhook (MAX_BODY_BYTES caps every provider)`,
  );

/** The 415 answer for a compressed body: no provider compresses, and inflating unverified bytes costs. */
export const compressedBody = (encoding: string) =>
  new HookportError(
    'unsupported_media_type',
    `Content-Encoding "${encoding}" is not accepted; send the body uncompressed`,
  );

/** Content-Encoding when it is anything but identity (absent counts as identity). */
export function contentEncodingOf(req: Request): string | undefined {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  return encoding && encoding !== 'identity' ? encoding : undefined;
}

/** Anything thrown while handling a webhook or health request, as the error it is answered with. */
export const toHttpError = (err: unknown): HookportError => requestError(err, bodyTooLarge);

/**
 * Sends the JSON error. When the body is still arriving, the connection is closed after the answer:
 * otherwise Node would go on reading (and discarding) the rest of a body nobody will use.
 */
export function sendHttpError(req: Request, res: Response, error: HookportError): void {
  if (!req.complete) res.set('Connection', 'close');
  if (error instanceof TooManyRequestsError) res.set('Retry-After', String(error.retryAfterSeconds));
  const { status, body } = answerOf(error);
  res.status(status).json(body);
}
