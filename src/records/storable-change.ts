import type { CanonicalEvent, Normalized } from '../provider';
import { storableKey } from '../inbox/storable-key';
import { storableDeep } from '../storable-text';

/**
 * Ids are what record tables index and join on (external_id, conversation_id, account_id, a job's
 * client id, …): by convention every record field named `…Id` is one, whatever the provider.
 */
const isIdField = (field: string) => field.endsWith('Id');

function withStorableKeys(event: CanonicalEvent): CanonicalEvent {
  if (!event.record) return { ...event, type: storableKey(event.type) };
  const record: Record<string, unknown> = { ...event.record };
  for (const [field, value] of Object.entries(record)) {
    if (isIdField(field) && typeof value === 'string') record[field] = storableKey(value);
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
