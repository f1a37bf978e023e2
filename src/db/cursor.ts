import { UUID } from '../text/uuid';

/**
 * The opaque `cursor` of the admin lists: the position of the last row of a page, which the next
 * page starts strictly after. Keyset paging stays one index probe deep at any page. The order time
 * is kept in whole microseconds, as PostgreSQL stores it: a millisecond Date would skip or repeat
 * rows within the same millisecond. After it come the keys that break ties (an id; a list's name
 * and an address), in the list's order.
 */
export interface Keyset {
  /** The order time as microseconds since the Unix epoch, in decimal. */
  micros: string;
  keys: string[];
}

const MICROS = /^-?\d{1,17}$/;

export function encodeKeyset({ micros, keys }: Keyset): string {
  return Buffer.from(JSON.stringify([micros, ...keys]), 'utf8').toString('base64url');
}

/** The position, or undefined when the text is not one this server wrote with `arity` keys. */
export function decodeKeyset(text: string, arity: number): Keyset | undefined {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || parts.length !== arity + 1 || !parts.every((p) => typeof p === 'string'))
    return undefined;
  const [micros, ...keys] = parts as string[];
  return MICROS.test(micros!) ? { micros: micros!, keys } : undefined;
}

/** A list ordered by (time, id): the inbox, a subscription's deliveries. */
export interface Cursor {
  micros: string;
  id: string;
}

export const encodeCursor = ({ micros, id }: Cursor): string => encodeKeyset({ micros, keys: [id] });

/** The cursor, or undefined when the text is not one this server wrote. */
export function decodeCursor(text: string): Cursor | undefined {
  const keyset = decodeKeyset(text, 1);
  const id = keyset?.keys[0];
  return keyset && id && UUID.test(id) ? { micros: keyset.micros, id } : undefined;
}
