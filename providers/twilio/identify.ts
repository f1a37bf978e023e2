import { type Identity, type RawRequest, sha256Key } from '../../src/provider';
import { formParams, isJsonSigned } from './form';

/** Flat string fields from a form or JSON body; empty when it is neither. */
export function twilioFields(body: Buffer, json: boolean): Record<string, unknown> {
  if (!json) return formParams(body);
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('JSON body is not an object');
  return parsed as Record<string, unknown>;
}

/**
 * `message.inbound` or `message.status.<status>`, deduped on signed fields only: MessageSid + status.
 * Twilio's I-Twilio-Idempotency-Token header is not signed, so a captured request replayed with a
 * new token would be stored again if it counted.
 */
export function identifyTwilio(request: RawRequest): Identity {
  let fields: Record<string, unknown> = {};
  try {
    fields = twilioFields(request.body, isJsonSigned(request.url, request.headers['content-type']));
  } catch {
    // Unreadable: stored anyway and dead-lettered by the worker.
  }
  const sid = typeof fields.MessageSid === 'string' ? fields.MessageSid : undefined;
  const status = String(fields.MessageStatus ?? fields.SmsStatus ?? 'unknown');
  const eventType = !sid ? 'unknown' : status === 'received' ? 'message.inbound' : `message.status.${status}`;
  const dedupeKey = sid ? `${sid}:${status}` : sha256Key(request.body);
  return { eventType, dedupeKey };
}
