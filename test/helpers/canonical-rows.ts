import { eventBody } from '../../src/events/body';
import type { CanonicalEventRow } from '../../src/records/canonical';

type Given = Omit<CanonicalEventRow, 'body'> & { object?: Record<string, unknown>; previous?: Record<string, unknown> };

/**
 * A canonical_events row written by a test directly (not through the worker), with the body the worker would give it.
 */
export function canonicalRow({ object, previous, ...row }: Given): CanonicalEventRow {
  return {
    ...row,
    body: eventBody({
      type: row.type,
      at: row.occurredAt ?? new Date(),
      object: object ?? { external_id: row.externalId },
      previous,
      source: { provider: row.provider, inboundEventId: row.webhookEventId, receivedAt: null },
      fields: row.data,
    }),
  };
}
