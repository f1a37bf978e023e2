import { randomBytes } from 'node:crypto';
import type { StoredVerification, VerificationInput } from './schema';

export interface SettledVerification {
  verification: StoredVerification;
  /** Newest first; never empty. */
  secrets: string[];
  /** The secret Hookport generated (standard-webhooks without one), shown once. */
  generated?: string;
  /** What the preset fills in besides verification (GitHub: `X-GitHub-Delivery`). */
  dedupeHeader?: string;
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** Stripe's own default (stripe.webhooks.DEFAULT_TOLERANCE). */
export const STRIPE_TOLERANCE_SECONDS = 300;

/** The stored parameters and secrets of what an operator sent: presets filled in, a secret generated. */
export function settleVerification(input: VerificationInput): SettledVerification {
  if ('preset' in input) {
    if (input.preset === 'github')
      return {
        verification: {
          type: 'hmac',
          header: 'X-Hub-Signature-256',
          algorithm: 'sha256',
          encoding: 'hex',
          prefix: 'sha256=',
          preset: 'github',
        },
        secrets: list(input.secret),
        dedupeHeader: 'X-GitHub-Delivery',
      };
    return {
      verification: { type: 'stripe', toleranceSeconds: input.toleranceSeconds ?? STRIPE_TOLERANCE_SECONDS },
      secrets: list(input.secret),
    };
  }
  switch (input.type) {
    case 'standard-webhooks': {
      if (input.secret) return { verification: { type: input.type }, secrets: list(input.secret) };
      const generated = `whsec_${randomBytes(24).toString('base64')}`;
      return { verification: { type: input.type }, secrets: [generated], generated };
    }
    case 'hmac':
      return {
        verification: {
          type: 'hmac',
          header: input.header,
          algorithm: input.algorithm,
          encoding: input.encoding,
          ...(input.prefix ? { prefix: input.prefix } : {}),
        },
        secrets: list(input.secret),
      };
    case 'basic':
      return { verification: { type: 'basic', username: input.username }, secrets: list(input.password) };
    case 'bearer':
      return { verification: { type: 'bearer', header: input.header ?? 'Authorization' }, secrets: list(input.token) };
  }
}
