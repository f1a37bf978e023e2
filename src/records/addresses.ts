import type { SuppressionChannel } from '../db/tables/suppressions';

/**
 * The longest address kept, in UTF-8 bytes (RFC 5321 allows 254 octets for an email path); longer is
 * not an address. It also keeps `email:<address>` a key short enough to index as it is.
 */
const MAX_EMAIL_BYTES = 254;

/**
 * An email address as the suppression list keys it: the part in angle brackets of
 * `Name <addr>`, trimmed and lower-cased (providers and mailboxes treat case alike in practice).
 * Null when it is not an address (no `@`, whitespace inside, too long).
 */
export function normalizeEmail(text: string): string | null {
  const bracketed = /<([^<>]*)>\s*$/.exec(text);
  const address = (bracketed ? bracketed[1]! : text).trim().toLowerCase();
  if (Buffer.byteLength(address, 'utf8') > MAX_EMAIL_BYTES || !/^[^\s@<>]+@[^\s@<>]+$/.test(address)) return null;
  return address;
}

/**
 * A phone number as the suppression list keys it: a leading `+` kept, spaces, dashes, dots and
 * parentheses dropped (`+1 (415) 555-0100` → `+14155550100`). Null for anything else (a
 * `whatsapp:` or `messenger:` address, letters): those channels have opt-outs of their own.
 */
export function normalizePhone(text: string): string | null {
  const compact = text.trim().replace(/[\s().-]/g, '');
  return /^\+?[0-9]{3,20}$/.test(compact) ? compact : null;
}

/** The normalizer of a channel: feeds and lookups share it, so both find the same row. */
export function normalizeAddress(channel: SuppressionChannel, text: string): string | null {
  return channel === 'email' ? normalizeEmail(text) : normalizePhone(text);
}

/**
 * An address typed into a URL's query: a `+` left unencoded there (`?address=+14155550100`)
 * arrives as a space, so a phone number's leading space is read back as its `+`. Without this the
 * lookup would miss the row and answer "may message".
 */
export function addressFromQuery(channel: SuppressionChannel, text: string): string | null {
  return normalizeAddress(channel, channel === 'sms' ? text.replace(/^ (?=[\d(])/, '+') : text);
}
