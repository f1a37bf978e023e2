import { type Identity, type RawRequest, sha256Key } from '../../src/provider';
import { EVENT_TYPES, reviewIdOf } from './schema';

/** Stored event type of a JSON object without `event.eventType`: the deprecated v2 shape. */
export const LEGACY_EVENT_TYPE = 'legacy_v2';

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const idOf = (value: unknown): string | undefined =>
  (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;

/**
 * The id Thumbtack keeps across deliveries of the same thing, per event type (v4 envelopes carry no event id, so the
 * payload's own ids are the key).
 */
function stableId(eventType: string, data: Json | undefined): string | undefined {
  switch (eventType) {
    case EVENT_TYPES.message: {
      // Never the negotiationID: every message of a lead shares it.
      const id = idOf(data?.messageID);
      return id && `message:${id}`;
    }
    case EVENT_TYPES.negotiation: {
      const id = idOf(data?.negotiationID);
      return id && `negotiation:${id}`;
    }
    case EVENT_TYPES.review: {
      const id = reviewIdOf(data);
      return id && `review:${id}`;
    }
    default:
      return undefined;
  }
}

/** Thumbtack sends no event id: dedupe on the payload's own id, else on a hash of the exact body. */
export function identifyThumbtack(request: RawRequest): Identity {
  let root: Json | undefined;
  try {
    root = asObject(JSON.parse(request.body.toString('utf8')));
  } catch {
    // Unreadable: stored anyway and dead-lettered by the worker.
  }
  const declared = asObject(root?.event)?.eventType;
  const eventType = typeof declared === 'string' && declared !== '' ? declared : root ? LEGACY_EVENT_TYPE : 'unknown';
  const dedupeKey = stableId(eventType, asObject(root?.data)) ?? sha256Key(request.body);
  return { eventType, dedupeKey };
}
