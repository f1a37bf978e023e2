import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { filterConditions, whereAll, type EventFilter } from './event-filter';

/** Rows changed per statement of a bulk replay: each is a short transaction, so ingest never waits long. */
const REPLAY_BATCH = 1000;

/** A worker holds this row now (its lease is live): replaying it would race the running attempt. */
const IN_FLIGHT = sql`status = 'processing' and available_at > now()`;

/**
 * Back to pending with a fresh attempt count, due now. Processing converges (idempotent upserts,
 * never-older guards, canonical events unique per inbound event), so running it again is safe.
 */
const RESET = sql`status = 'pending', attempts = 0, available_at = now(), last_error = null, note = null,
  processed_at = null, deferred_since = null, updated_at = now()`;

export type ReplayOutcome = 'replayed' | 'not_found' | 'in_flight';

/** Queues one inbox event to be processed again from its stored bytes. */
export async function replayEvent(db: Executor, id: string): Promise<ReplayOutcome> {
  const [row] = await queryRows<{ replayed: boolean; in_flight: boolean | null }>(
    db,
    sql`with target as (select id, (${IN_FLIGHT}) as in_flight from webhook_events where id = ${id}::uuid for update),
      reset as (update webhook_events set ${RESET} from target
        where webhook_events.id = target.id and not target.in_flight returning webhook_events.id)
      select exists (select 1 from reset) as replayed, (select in_flight from target) as in_flight`,
  );
  if (!row || row.in_flight === null) return 'not_found';
  return row.replayed ? 'replayed' : 'in_flight';
}

export interface ReplayResult {
  matched: number;
  replayed: number;
}

/**
 * Queues every event that matches the filter (and was received before the call: events arriving
 * meanwhile are not swept in). A dry run only counts. Batches walk the ids in order, so rows a
 * batch has reset are never visited twice even when they still match the filter.
 */
export async function replayMatching(
  db: Executor,
  filter: EventFilter,
  options: { dryRun: boolean },
): Promise<ReplayResult> {
  const [bound] = await queryRows<{ now: string }>(db, sql`select now()::text as now`);
  const conditions: SQL[] = [...filterConditions(filter), sql`received_at <= ${bound!.now}::timestamptz`];
  const [count] = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from webhook_events where ${whereAll(conditions)}`,
  );
  const matched = Number(count?.n ?? 0);
  if (options.dryRun || matched === 0) return { matched, replayed: 0 };
  let replayed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`with batch as (
          select id from webhook_events where ${whereAll(conditions)} and id > ${after}::uuid and not (${IN_FLIGHT})
            order by id limit ${REPLAY_BATCH} for update skip locked)
        update webhook_events set ${RESET} from batch where webhook_events.id = batch.id
        returning webhook_events.id`,
    );
    if (rows.length === 0) break;
    replayed += rows.length;
    after = rows.reduce((max, r) => (r.id > max ? r.id : max), after);
  }
  return { matched, replayed };
}
