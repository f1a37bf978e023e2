import { createHash } from 'node:crypto';

/** Hookport's namespace for canonical event ids (a fixed random UUID). */
const NAMESPACE = Buffer.from('6f1c2a8e4b7d4e0f9a3c5d2e1b0a9f8e', 'hex');

/**
 * A name-based UUID (version 5, RFC 9562: SHA-1 of a namespace and a name): the same name always
 * gives the same id.
 */
export function uuidV5(name: string): string {
  const digest = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of a canonical event: derived from the inbound event, its type and its record's external
 * id, so processing the same inbound event again (a replay, a retry after a lost commit) gives the
 * same ids, and `webhook-id` lets a receiver drop a repeat. `occurrence` tells apart events of one
 * inbound event that share type and external id (the n-th such, from 0; normalizers are
 * deterministic, so the n-th is the same event every time).
 */
export function canonicalEventId(
  webhookEventId: string,
  type: string,
  externalId: string | null,
  occurrence = 0,
): string {
  // NUL cannot occur in the parts (storable text), so the name is unambiguous.
  const parts = [webhookEventId, type, externalId === null ? '\u0001' : `=${externalId}`];
  if (occurrence > 0) parts.push(String(occurrence));
  return uuidV5(parts.join('\u0000'));
}
