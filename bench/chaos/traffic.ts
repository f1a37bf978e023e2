import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { Delivery } from './deliveries';

/**
 * What one attempt got: a 200 (new or duplicate), a 503, no connection, a cut connection, no answer in time, or
 * anything else.
 */
export type Outcome = 'ack' | 'duplicate' | 'unavailable' | 'refused' | 'reset' | 'timeout' | 'other';

export interface Ack {
  provider: Delivery['provider'];
  /** SHA-256 of the body: finds the row whatever dedupe key the provider's identify chose. */
  bodySha256: string;
  /** The inbox id from a JSON answer (Twilio answers TwiML, without one). */
  id?: string;
  sentAt: number;
  answeredAt: number;
}

interface Pending {
  delivery: Delivery;
  bodySha256: string;
  dueAt: number;
}

const RETRY_AFTER_MS = 1000;
const TIMEOUT_MS = 15_000;
const MAX_IN_FLIGHT = 256;

/**
 * Sends deliveries at a steady rate, as the providers would: a delivery that does not get a 200 is
 * sent again (same bytes, same signature) about a second later, until it does. Records every
 * attempt's outcome and every 200.
 */
export class Traffic {
  readonly counts: Record<Outcome, number> = {
    ack: 0,
    duplicate: 0,
    unavailable: 0,
    refused: 0,
    reset: 0,
    timeout: 0,
    other: 0,
  };
  readonly acks: Ack[] = [];
  /** The first few unexpected answers (status and body), to show in the report. */
  readonly others: string[] = [];
  private readonly retries: Pending[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private inFlight = 0;
  private sent = 0;
  private newDeliveries = true;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly port: number,
    private readonly source: Iterator<Delivery>,
    private readonly ratePerSecond: number,
  ) {}

  start(): void {
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.tick(), 10);
  }

  /** Deliveries not yet answered 200 (waiting for a retry or in flight). */
  get unacknowledged(): number {
    return this.retries.length + this.inFlight;
  }

  /**
   * No new deliveries from now on; retries go on until every delivery has its 200 (true), or
   * `timeoutMs` passes (false). Then stops.
   */
  async finish(timeoutMs: number): Promise<boolean> {
    this.newDeliveries = false;
    const done = new Promise<void>((resolve) => (this.idle = resolve));
    if (this.unacknowledged === 0) this.idle?.();
    const timedOut = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    const ok = await Promise.race([done.then(() => true as const), timedOut]);
    clearInterval(this.timer);
    this.agent.destroy();
    return ok;
  }

  private tick(): void {
    const now = Date.now();
    while (this.inFlight < MAX_IN_FLIGHT && this.retries.length > 0 && this.retries[0]!.dueAt <= now)
      this.send(this.retries.shift()!);
    if (!this.newDeliveries) return;
    const due = Math.floor(((now - this.startedAt) / 1000) * this.ratePerSecond);
    while (this.sent < due && this.inFlight < MAX_IN_FLIGHT) {
      const delivery = this.source.next().value as Delivery;
      this.sent++;
      this.send({ delivery, bodySha256: createHash('sha256').update(delivery.body).digest('hex'), dueAt: now });
    }
  }

  private send(pending: Pending): void {
    this.inFlight++;
    const sentAt = Date.now();
    const { delivery } = pending;
    // An attempt ends once: a cut connection can be reported by both the request and the response.
    let over = false;
    const once = (end: () => void) => {
      if (over) return;
      over = true;
      end();
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: this.port,
        method: 'POST',
        path: `/webhooks/${delivery.provider}`,
        headers: { ...delivery.headers, 'content-length': Buffer.byteLength(delivery.body) },
        agent: this.agent,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          once(() => this.answered(pending, sentAt, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))),
        );
        res.on('error', () => once(() => this.failed(pending, 'reset')));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) =>
      once(() =>
        this.failed(pending, err.code === 'ECONNREFUSED' ? 'refused' : err.message === 'timeout' ? 'timeout' : 'reset'),
      ),
    );
    req.end(delivery.body);
  }

  private answered(pending: Pending, sentAt: number, status: number, text: string): void {
    if (status !== 200) {
      if (status !== 503 && this.others.length < 20)
        this.others.push(`${pending.delivery.provider} ${status} ${text.slice(0, 200)}`);
      return this.failed(pending, status === 503 ? 'unavailable' : 'other');
    }
    let answer: { id?: string; duplicate?: boolean } = {};
    if (text.startsWith('{')) answer = JSON.parse(text) as typeof answer;
    this.count(answer.duplicate ? 'duplicate' : 'ack');
    this.acks.push({
      provider: pending.delivery.provider,
      bodySha256: pending.bodySha256,
      id: answer.id,
      sentAt,
      answeredAt: Date.now(),
    });
    this.settled();
  }

  private failed(pending: Pending, outcome: Outcome): void {
    this.count(outcome);
    this.retries.push({ ...pending, dueAt: Date.now() + RETRY_AFTER_MS + Math.random() * 500 });
    this.retries.sort((a, b) => a.dueAt - b.dueAt);
    this.settled();
  }

  private count(outcome: Outcome): void {
    this.counts[outcome]++;
  }

  private settled(): void {
    this.inFlight--;
    if (!this.newDeliveries && this.unacknowledged === 0) this.idle?.();
  }
}
