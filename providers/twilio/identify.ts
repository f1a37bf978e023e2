import { createHash } from 'node:crypto';
import type { Identity, RawRequest } from '../../src/provider';
import { formParams, isJsonSigned } from './form';

export const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';

/** Flat string fields from a form or JSON body; empty when it is neither. */
export function twilioFields(body: Buffer, json: boolean): Record<string, unknown> {
  if (!json) return formParams(body);
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('JSON body is not an object');
  return parsed as Record<string, unknown>;
}

/** `message.inbound` or `message.status.<status>`; dedupe on Twilio's idempotency token, else sid + status. */
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
  const token = request.headers[IDEMPOTENCY_HEADER];
  const dedupeKey = token
    ? `token:${token}`
    : sid
      ? `${sid}:${status}`
      : `sha256:${createHash('sha256').update(request.body).digest('hex')}`;
  return { eventType, dedupeKey };
}
