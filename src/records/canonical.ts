import { sql } from 'drizzle-orm';
import type { Executor } from '../db/rows';
import type { ClaimedEvent } from '../inbox/claim';
import type { CanonicalEvent } from '../provider';

/** A claimed event and the canonical events it normalized to. */
export interface Normalized {
  event: ClaimedEvent;
  events: CanonicalEvent[];
}

/** Writes the canonical events of a batch in the worker's transaction (so each is written once). */
export async function recordCanonicalEvents(tx: Executor, batch: readonly Normalized[]): Promise<void> {
  const rows = batch.flatMap(({ event, events }) =>
    events.map(
      (e) => sql`(${event.id}::uuid, ${event.provider}, ${e.type}, ${e.record?.kind ?? null}, ${e.record?.externalId ?? null},
      ${e.occurredAt?.toISOString() ?? null}::timestamptz, ${e.data ? JSON.stringify(e.data) : null}::jsonb)`,
    ),
  );
  if (rows.length === 0) return;
  await tx.execute(
    sql`insert into canonical_events (webhook_event_id, provider, type, record_kind, external_id, occurred_at, data)
      values ${sql.join(rows, sql`, `)} on conflict do nothing`,
  );
}
