import { canonicalEvents } from '../db/schema';
import type { ClaimedEvent } from '../inbox/claim';
import type { CanonicalEvent } from '../provider';
import type { Transaction } from './apply';

/** Writes the event's canonical events in the worker's transaction (so each is written once). */
export async function recordCanonicalEvents(
  tx: Transaction,
  event: ClaimedEvent,
  events: readonly CanonicalEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insert(canonicalEvents)
    .values(
      events.map((e) => ({
        webhookEventId: event.id,
        provider: event.provider,
        type: e.type,
        recordKind: e.record?.kind ?? null,
        externalId: e.record?.externalId ?? null,
        occurredAt: e.occurredAt,
        data: e.data ?? null,
      })),
    )
    .onConflictDoNothing();
}
