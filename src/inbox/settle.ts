import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { ClaimedEvent } from './claimed-event';
// Notes and errors may quote a payload; a NUL in one would make the event unsettleable.
import { storableText as text } from '../text/storable-text';

/**
 * `status = 'processing'`, written so the planner cannot match it to the leased events' partial
 * index (status is never null: the same test). It did: estimating that index at a few rows, it
 * scanned the whole of it and joined by hash, and while a long transaction holds a snapshot the index
 * keeps a dead entry for every event settled since, so every settle scanned them all (the worker's
 * busiest statement, on the CPU, in bench:long-transaction). By primary key, a settle costs the same
 * however large the index.
 */
export const IS_PROCESSING = sql`(status = 'processing') is true`;

/** Thrown inside the completing transaction when this worker no longer holds the claim. */
export class LostClaimError extends Error {
  override name = 'LostClaimError';
}

/**
 * The statement that moves claimed events out of `processing` (exported for its plan's test).
 * Fenced by `attempts`: if a lease expired and another
 * worker retook an event, the update does not match it, and the caller's work is rolled back.
 * Plain SQL: it runs for every event, and Drizzle's builder costs more CPU than the query.
 */
export function settleStatement(events: readonly Pick<ClaimedEvent, 'id' | 'attempts'>[], assignments: SQL): SQL {
  // The ids as an array, so the rows are found by primary key whatever the join planner would
  // pick (a seq scan of a young inbox, a hash join over a partial index); each one's attempt in
  // one jsonb parameter beside it: a batch of a hundred events is settled at once.
  const ids = `{${events.map((e) => e.id).join(',')}}`;
  const attempts = JSON.stringify(Object.fromEntries(events.map((e) => [e.id, e.attempts])));
  return sql`update webhook_events set ${assignments}, updated_at = now()
      where id = any(${ids}::uuid[]) and ${IS_PROCESSING}
        and attempts = (${attempts}::jsonb ->> id::text)::integer
      returning id`;
}

async function settle(db: Executor, events: readonly ClaimedEvent[], assignments: SQL): Promise<void> {
  const updated = await queryRows<{ id: string }>(db, settleStatement(events, assignments));
  if (updated.length !== events.length) {
    const kept = new Set(updated.map((r) => r.id));
    const lost = events.filter((e) => !kept.has(e.id)).map((e) => e.id);
    throw new LostClaimError(`event ${lost.join(', ')} was retaken by another worker`);
  }
}

const after = (delayMs: number) => sql`now() + make_interval(secs => ${delayMs / 1000})`;

/** Marks every event of a batch processed, or none (LostClaimError) if any claim was lost. */
export const markProcessed = (tx: Executor, events: readonly ClaimedEvent[]) =>
  settle(tx, events, sql`status = 'processed', processed_at = now(), last_error = null, deferred_since = null`);

export const markIgnored = (db: Executor, event: ClaimedEvent, note: string) =>
  settle(db, [event], sql`status = 'ignored', processed_at = now(), note = ${text(note)}, deferred_since = null`);

export const markDead = (db: Executor, events: readonly ClaimedEvent[], error: string) =>
  settle(db, events, sql`status = 'dead', last_error = ${text(error)}`);

/**
 * Puts the event back as pending after `delayMs`, giving back the attempt its claim took, and
 * notes when this run of deferrals began (the worker bounds it by WORKER_MAX_DEFER_SECONDS).
 */
export const markDeferred = (db: Executor, event: ClaimedEvent, note: string, delayMs: number) =>
  settle(
    db,
    [event],
    sql`status = 'pending', note = ${text(note)}, attempts = attempts - 1, available_at = ${after(delayMs)},
      deferred_since = coalesce(deferred_since, now())`,
  );

/** Schedules another attempt after `delayMs`. */
export const markFailed = (db: Executor, event: ClaimedEvent, error: string, delayMs: number) =>
  settle(db, [event], sql`status = 'failed', last_error = ${text(error)}, available_at = ${after(delayMs)}`);
