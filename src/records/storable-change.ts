import type { CanonicalEvent, Normalized } from '../contract/provider';
import type { RecordChange } from '../contract/record-changes';
import { storableKey } from '../inbox/storable-key';
import { storableDeep } from '../text/storable-text';

/**
 * Ids are what record tables index and join on (external_id, conversation_id, account_id, a job's
 * client id, …): by convention every record field named `…Id` is one, whatever the provider.
 */
const isIdField = (field: string) => field.endsWith('Id');

function withStorableIds<C extends RecordChange>(change: C): C {
  const record: Record<string, unknown> = { ...change };
  for (const [field, value] of Object.entries(record)) {
    if (isIdField(field) && typeof value === 'string') record[field] = storableKey(value);
  }
  return record as C;
}

function withStorableKeys(event: CanonicalEvent): CanonicalEvent {
  const type = storableKey(event.type);
  return {
    ...event,
    type,
    ...(event.record ? { record: withStorableIds(event.record) } : {}),
    ...(event.also ? { also: event.also.map(withStorableIds) } : {}),
  };
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
