// STUB: replaced by the verification work.
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

export function settleVerification(input: VerificationInput): SettledVerification {
  throw new Error(`not yet: ${input.type}`);
}
