import { randomUUID } from 'node:crypto';
import { eventBody } from '../events/body';
import { HOOKPORT } from '../events/catalogue';
import type { CanonicalEventRow } from '../records/canonical';

/** What an operational event says: its type, the row that caused it, its object and fields. */
export interface OperationalFact {
  type: string;
  /** The row that caused it (a delivery, an inbox event): `data.source.inboundEventId`. */
  causeId: string;
  at: Date;
  object: Record<string, unknown>;
  fields: Record<string, unknown>;
}

/**
 * The canonical_events row of an operational event. Its provider is Hookport; `webhook_event_id`
 * is the causing row, so an inbox event's page lists the hookport.event.dead it caused.
 * `external_id` is an id of this occurrence: the same thing failing again (a replayed event
 * dead again) is a new event, never a repeat that the unique key would drop.
 */
export function operationalRow(fact: OperationalFact): CanonicalEventRow {
  return {
    webhookEventId: fact.causeId,
    provider: HOOKPORT,
    type: fact.type,
    recordKind: null,
    externalId: randomUUID(),
    occurredAt: fact.at,
    data: fact.fields,
    body: eventBody({
      type: fact.type,
      at: fact.at,
      object: fact.object,
      source: { provider: HOOKPORT, inboundEventId: fact.causeId, receivedAt: fact.at.toISOString() },
      fields: fact.fields,
    }),
  };
}
