import type { CanonicalEvent, Normalized } from '../provider';
import { storableKey } from '../inbox/storable-key';
import { storableDeep } from '../storable-text';

/**
 * Record fields that go into indexed text columns (record keys, conversation and account indexes)
 * or are joined to one (a job's client id is a client's external_id).
 */
const KEY_FIELDS = ['externalId', 'conversationId', 'accountId', 'businessId', 'clientExternalId'] as const;

function withStorableKeys(event: CanonicalEvent): CanonicalEvent {
  if (!event.record) return { ...event, type: storableKey(event.type) };
  const record: Record<string, unknown> = { ...event.record };
  for (const field of KEY_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') record[field] = storableKey(value);
  }
  return { ...event, type: storableKey(event.type), record: record as unknown as CanonicalEvent['record'] };
}

/**
 * A provider's normalized output as it can always be written, whatever text the provider was sent:
 * keys too long for an index, or not valid text, become their digest (from the original value, so
 * distinct keys stay distinct); every other string, at any depth, loses its NULs and lone
 * surrogates (U+FFFD). Applied to every provider's output in one place, the worker's prepare step.
 */
export function storableNormalized(normalized: Normalized): Normalized {
  if (!('events' in normalized)) return storableDeep(normalized);
  return storableDeep({ events: normalized.events.map(withStorableKeys) });
}
