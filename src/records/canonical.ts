import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { ClaimedEvent } from '../inbox/claim';
import type { CanonicalEvent } from '../provider';

/** A claimed event and the canonical events it normalized to: what the worker applies. */
export interface NormalizedEvent {
  event: ClaimedEvent;
  events: CanonicalEvent[];
}

/** One canonical_events row. */
export interface CanonicalEventRow {
  webhookEventId: string;
  provider: string;
  type: string;
  recordKind: string | null;
  externalId: string | null;
  occurredAt: Date | null;
  data: Record<string, unknown> | null;
}

/**
 * The one writer of canonical_events. A row is unique by (webhook event, type, external id), so writing it
 * again (a retried batch, a second worker) changes nothing.
 */
export async function insertCanonicalEvents(tx: Executor, rows: readonly CanonicalEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (r) => sql`(${r.webhookEventId}::uuid, ${r.provider}, ${r.type}, ${r.recordKind}, ${r.externalId},
      ${r.occurredAt?.toISOString() ?? null}::timestamptz, ${r.data ? JSON.stringify(r.data) : null}::jsonb)`,
  );
  await tx.execute(
    sql`insert into canonical_events (webhook_event_id, provider, type, record_kind, external_id, occurred_at, data)
      values ${sql.join(values, sql`, `)} on conflict do nothing`,
  );
}

/** Writes the canonical events of a batch in the worker's transaction (so each is written once). */
export async function recordCanonicalEvents(tx: Executor, batch: readonly NormalizedEvent[]): Promise<void> {
  const rows = batch.flatMap(({ event, events }) =>
    events.map(
      (e): CanonicalEventRow => ({
        webhookEventId: event.id,
        provider: event.provider,
        type: e.type,
        recordKind: e.record?.kind ?? null,
        externalId: e.record?.externalId ?? null,
        occurredAt: e.occurredAt,
        data: e.data ?? null,
      }),
    ),
  );
  await insertCanonicalEvents(tx, rows);
}
