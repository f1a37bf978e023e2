// STUB: replaced by the verification work.
import type { StoredVerification } from './schema';

/** The headers a genuine sender would send with `body`, signed with `secret` (samples, tests). */
export function signSourceRequest(
  verification: StoredVerification,
  secret: string,
  body: string,
  now: () => number = Date.now,
): Record<string, string> {
  void verification;
  void secret;
  void body;
  void now;
  throw new Error('not yet');
}
