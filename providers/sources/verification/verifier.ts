// STUB: replaced by the verification work.
import type { RawRequest, RequestHead } from '../../../src/provider';
import type { StoredVerification } from './schema';

export interface SourceVerifier {
  /** Headers that carry its credentials or signatures: stored and logged as `[redacted]`. */
  credentialHeaders: readonly string[];
  /** What can be refused before the body is read (missing header, wrong Basic or bearer credentials). */
  precheck(head: RequestHead): void;
  /** Throws VerificationError unless the request is genuine under one of the secrets. */
  verify(request: RawRequest): void;
}

export function createSourceVerifier(
  verification: StoredVerification,
  secrets: readonly string[],
  now: () => number = Date.now,
): SourceVerifier {
  void verification;
  void secrets;
  void now;
  throw new Error('not yet');
}
