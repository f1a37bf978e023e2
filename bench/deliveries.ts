import { randomBytes } from 'node:crypto';
import { signResend } from '../test/helpers/sign';
import type { Delivery } from './load';

/** A fresh Resend-style signing secret: whsec_ followed by base64 of 32 random bytes. */
export function randomResendSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const RESEND_TYPES = ['email.sent', 'email.delivered'] as const;

/** The body Resend posts for a delivery; two events (sent, delivered) per email, like real traffic. */
export function resendBody(runId: string, n: number, at: Date): string {
  const emailId = `${runId}-${Math.floor(n / 2)}`;
  return JSON.stringify({
    type: RESEND_TYPES[n % 2],
    created_at: at.toISOString(),
    data: {
      email_id: emailId,
      created_at: at.toISOString(),
      from: 'Acme <billing@acme.example>',
      to: [`customer${n % 1000}@example.com`],
      subject: 'Your invoice #1042 is ready',
      tags: [{ name: 'category', value: 'invoice' }],
    },
  });
}

/**
 * Distinct signed Resend deliveries (unique svix-id each). `prepare` signs a stock up front so the
 * load generator spends nothing on signing during the run; past the stock `next` signs on demand
 * (counted, so the report can say so). Svix accepts timestamps within ±5 minutes: prepare just before use.
 */
export class ResendDeliveries {
  private readonly runId = randomBytes(4).toString('hex');
  private stock: Delivery[] = [];
  private taken = 0;
  private made = 0;
  signedDuringRun = 0;

  constructor(private readonly secret: string) {}

  prepare(count: number): this {
    this.stock = Array.from({ length: count }, () => this.sign());
    this.taken = 0;
    this.signedDuringRun = 0;
    return this;
  }

  readonly next = (): Delivery => {
    const delivery = this.stock[this.taken];
    if (delivery) {
      this.stock[this.taken++] = undefined as unknown as Delivery; // let it be collected
      return delivery;
    }
    this.signedDuringRun++;
    return this.sign();
  };

  private sign(): Delivery {
    const n = this.made++;
    const now = new Date();
    const body = resendBody(this.runId, n, now);
    return { headers: signResend(this.secret, body, { id: `msg_bench_${this.runId}_${n}`, timestamp: now }), body };
  }
}

/** Cycles over a fixed set (for the bare route, which neither verifies nor dedupes). */
export function cycle(deliveries: readonly Delivery[]): () => Delivery {
  let i = 0;
  return () => deliveries[i++ % deliveries.length]!;
}
