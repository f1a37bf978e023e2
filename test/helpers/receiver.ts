import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got. */
export interface Received {
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** What a receiver answers: a status (and body), 'hang' (never answers) or 'hold' (200 on release()). */
export type Reply = { status: number; body?: string; delayMs?: number } | 'hang' | 'hold';

/**
 * A local HTTP server standing in for a subscriber: records every request, and answers as `reply`
 * says for the n-th request (from 0).
 */
export class Receiver {
  readonly received: Received[] = [];
  private readonly server: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();
  private held: http.ServerResponse[] = [];

  constructor(private reply: (n: number, r: Received) => Reply = () => ({ status: 200, body: 'ok' })) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: Received = {
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        const n = this.received.length;
        this.received.push(r);
        const answer = this.reply(n, r);
        if (answer === 'hang') {
          this.hanging.add(res);
          return;
        }
        if (answer === 'hold') {
          this.held.push(res);
          return;
        }
        const send = () => res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
        if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
        else send();
      });
    });
  }

  /** Answers every held request 200 at once; how many there were. */
  release(): number {
    const held = this.held;
    this.held = [];
    for (const res of held) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return held.length;
  }

  answer(reply: (n: number, r: Received) => Reply): void {
    this.reply = reply;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url();
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(host = '127.0.0.1', path = '/hook'): string {
    return `http://${host}:${this.port}${path}`;
  }

  async close(): Promise<void> {
    for (const res of [...this.hanging, ...this.held]) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Verifies a received delivery with the standardwebhooks library (an implementation independent of
 * the signer's call site); returns the parsed body, throws WebhookVerificationError when it fails.
 */
export function verifyDelivery(secret: string, r: Received): { type: string; timestamp: string; data: unknown } {
  return new Webhook(secret).verify(r.body, r.headers) as { type: string; timestamp: string; data: unknown };
}
