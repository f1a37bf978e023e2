import { legacyBody } from '../events/body';
import { version } from '../config/version';
import type { ClaimedDelivery } from './claim';
import { hmacHex, signatureHeader } from './signing';

/** A delivery as it goes on the wire. */
export interface OutboundRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * The stored body; for an event written before bodies existed, the old `{"type","timestamp","data"}` from its summary.
 */
function storedBody(d: ClaimedDelivery): string {
  const e = d.event;
  if (e?.body) return e.body;
  return JSON.stringify(legacyBody(d.eventType, e?.occurredAt ?? e?.createdAt ?? d.createdAt, e?.data ?? null));
}

const common = { 'content-type': 'application/json', 'user-agent': `Hookport/${version}` };

/**
 * The body and headers of one attempt, in the subscription's signing mode:
 * - `standard-webhooks`: the stored body exactly, `webhook-id` (the canonical event id),
 *   `webhook-timestamp`, `webhook-signature` (each live secret: both during a rotation's overlap).
 * - `hmac-sha256` / `hmac-sha256-hex`: `{"event","timestamp","data"}` (the same data), with
 *   `X-Webhook-Signature` (`sha256=<hex>` or bare hex) over those bytes under the current secret
 *   only (receivers of these read one signature), `X-Webhook-Id`, `X-Webhook-Event`,
 *   `X-Webhook-Timestamp`. The body is JSON.stringify's output, so a receiver that re-serializes
 *   its parsed body (`JSON.stringify(req.body)`) gets the same bytes.
 */
export function outboundRequest(d: ClaimedDelivery, at: Date): OutboundRequest {
  const stored = storedBody(d);
  const seconds = String(Math.floor(at.getTime() / 1000));
  if (d.signing === 'standard-webhooks') {
    return {
      body: stored,
      headers: {
        ...common,
        'webhook-id': d.canonicalEventId,
        'webhook-timestamp': seconds,
        'webhook-signature': signatureHeader(d.secrets, d.canonicalEventId, at, stored),
      },
    };
  }
  const parsed = JSON.parse(stored) as { type: string; timestamp: string; data: unknown };
  const body = JSON.stringify({ event: parsed.type, timestamp: parsed.timestamp, data: parsed.data });
  const hex = hmacHex(d.secrets[0]!, body);
  return {
    body,
    headers: {
      ...common,
      'x-webhook-id': d.canonicalEventId,
      'x-webhook-event': parsed.type,
      'x-webhook-timestamp': seconds,
      'x-webhook-signature': d.signing === 'hmac-sha256' ? `sha256=${hex}` : hex,
    },
  };
}
