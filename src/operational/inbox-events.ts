import type { Db } from '../db/client';
import type { ClaimedEvent } from '../inbox/claimed-event';
import { markDead } from '../inbox/settle';
import { OPERATIONAL_TYPES } from '../events/operational-types';
import { insertCanonicalEvents } from '../records/canonical';
import { operationalRow } from './rows';

/** The hookport.event.dead of an inbox event dead-lettered for `reason`. */
export function eventDeadRow(event: ClaimedEvent, reason: string, at = new Date()) {
  return operationalRow({
    type: OPERATIONAL_TYPES.eventDead,
    causeId: event.id,
    at,
    object: {
      id: event.id,
      provider: event.provider,
      eventType: event.eventType,
      attempts: event.attempts,
      receivedAt: event.receivedAt.toISOString(),
    },
    fields: { reason },
  });
}

/**
 * Dead-letters claimed events (fenced by their claim: LostClaimError when one was retaken) and
 * writes their hookport.event.dead in the same transaction; returns the deliveries written.
 */
export async function markDeadAndTell(db: Db, events: readonly ClaimedEvent[], reason: string): Promise<number> {
  return db.transaction(async (tx) => {
    await markDead(tx, events, reason);
    return insertCanonicalEvents(
      tx,
      events.map((e) => eventDeadRow(e, reason)),
    );
  });
}
