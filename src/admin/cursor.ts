/**
 * The opaque `cursor` of the admin lists: the (received_at, id) of the last row of a page, which
 * the next page starts strictly after. Keyset paging stays one index probe deep at any page. The
 * time is kept in whole microseconds, as PostgreSQL stores it: a millisecond Date would skip or
 * repeat rows received within the same millisecond.
 */
export interface Cursor {
  /** received_at as microseconds since the Unix epoch, in decimal. */
  micros: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MICROS = /^-?\d{1,17}$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.micros}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or undefined when the text is not one this server wrote. */
export function decodeCursor(text: string): Cursor | undefined {
  const [micros, id, extra] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !micros || !id || !MICROS.test(micros) || !UUID.test(id)) return undefined;
  return { micros, id };
}
