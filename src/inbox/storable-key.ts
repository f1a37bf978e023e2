import { createHash } from 'node:crypto';
import { isStorableText, isWellFormed } from '../text/storable-text';

/**
 * Longest key kept as it is. A btree entry must stay under ~2.7 KB, and keys share their index
 * with a provider name or an event type; real ids (delivery ids, message sids, base64 node ids) are
 * far shorter.
 */
export const MAX_KEY_BYTES = 512;

/**
 * A string's bytes as UTF-8, except that a lone surrogate is encoded as its own three bytes (WTF-8)
 * instead of as U+FFFD, so two strings that differ only in lone surrogates never digest alike.
 */
function wtf8(value: string): Buffer {
  if (isWellFormed(value)) return Buffer.from(value, 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else
      bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Buffer.from(bytes);
}

/** `sha256:<hex>` of bytes, or of a string's UTF-8: the one form every digest key takes. */
export const sha256Key = (data: Buffer | string): string =>
  `sha256:${createHash('sha256')
    .update(typeof data === 'string' ? wtf8(data) : data)
    .digest('hex')}`;

/**
 * A key (dedupe key, event type, record id) as it can go into an indexed text column: itself when
 * it is valid text of at most MAX_KEY_BYTES, else its digest. Deterministic, so a provider's retry
 * of the same delivery finds the same key.
 */
export const storableKey = (key: string): string =>
  isStorableText(key) && Buffer.byteLength(key, 'utf8') <= MAX_KEY_BYTES ? key : sha256Key(key);

/** An identity from `Provider.identify` as it is stored (and logged and answered). Idempotent. */
export const storableIdentity = <T extends { eventType: string; dedupeKey: string }>(identity: T): T => ({
  ...identity,
  eventType: storableKey(identity.eventType),
  dedupeKey: storableKey(identity.dedupeKey),
});
