import { type Identity, type RawRequest, sha256Key } from '../../src/provider';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './verify';

/** The JSON of an interaction's `payload=` field, or null when there is none or it is not JSON. */
export function interactionPayload(body: Buffer): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(new URLSearchParams(body.toString('utf8')).get('payload') ?? '');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * `command` for a slash command, the payload's `type` (`block_actions`, …) for an interaction.
 * Slack sends no delivery id and retries neither, so the key is Slack's `trigger_id` (one per
 * person's action, signed with the body); without one, the digest of the signed timestamp and
 * signature. Either way a byte-identical resend is a duplicate, and each new action is new.
 */
export function identifySlack(request: RawRequest): Identity {
  const form = new URLSearchParams(request.body.toString('utf8'));
  const payload = form.has('payload') ? interactionPayload(request.body) : null;
  const eventType = form.has('command')
    ? 'command'
    : payload && typeof payload.type === 'string' && payload.type !== ''
      ? payload.type
      : 'unknown';
  const trigger = payload ? payload.trigger_id : form.get('trigger_id');
  const dedupeKey =
    typeof trigger === 'string' && /^[0-9A-Za-z.]{1,100}$/.test(trigger)
      ? `trigger:${trigger}`
      : sha256Key(`${request.headers[TIMESTAMP_HEADER] ?? ''}:${request.headers[SIGNATURE_HEADER] ?? ''}`);
  return { eventType, dedupeKey };
}
