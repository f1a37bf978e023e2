import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string equality for signatures of a fixed length (base64 digests). A length
 * mismatch returns early: the expected length is set by the algorithm, not by the secret.
 */
export function signaturesEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time equality for secrets of any length (tokens, passwords): their digests are compared. */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}
