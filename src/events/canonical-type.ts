import type { Catalogue } from './catalogue';

/** What a canonical type is made of: lower-case letters, digits, `_` and `.` (`client.created`). */
export const CANONICAL_TYPE = /^[a-z0-9_.]+$/;

const SHOWN_MAX = 100;

/**
 * A type as an error may quote it: whole when it is well formed, else only its length, so text
 * that came from a request (markup, control characters) never reaches last_error, a log or a page.
 */
export function shownType(type: unknown): string {
  if (typeof type !== 'string') return `a type that is not text (${typeof type})`;
  if (CANONICAL_TYPE.test(type) && type.length <= SHOWN_MAX) return `"${type}"`;
  return `a type of ${type.length} characters that is not made of a-z, 0-9, "_" and "."`;
}

/**
 * Why a normalizer's canonical types cannot be written, or null when every one is well formed
 * and in the catalogue (which no subscription could otherwise name, nor its schema describe).
 */
export function refusedCanonicalType(catalogue: Catalogue, types: readonly unknown[]): string | null {
  for (const type of types) {
    if (typeof type !== 'string' || !CANONICAL_TYPE.test(type))
      return `the normalizer emitted ${shownType(type)}: canonical types are made of a-z, 0-9, "_" and "."`;
    if (!catalogue.get(type)) return `the normalizer emitted ${shownType(type)}, which is not in the event catalogue`;
  }
  return null;
}
