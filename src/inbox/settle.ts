import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../db/rows';
import type { ClaimedEvent } from './claim';

/** Thrown inside the completing transaction when this worker no longer holds the claim. */
export class LostClaimError extends Error {
  override name = 'LostClaimError';
}

/**
 * Moves a claimed event out of `processing`. Fenced by `attempts`: if the lease expired and another
 * worker retook the event, this update matches nothing and the caller's work is rolled back.
 * Plain SQL: it runs for every event, and Drizzle's builder costs more CPU than the query.
 */
async function settle(db: Executor, event: ClaimedEvent, assignments: SQL): Promise<void> {
  const updated = await queryRows<{ id: string }>(
    db,
    sql`update webhook_events set ${assignments}, updated_at = now()
      where id = ${event.id} and status = 'processing' and attempts = ${event.attempts}
      returning id`,
  );
  if (updated.length === 0) throw new LostClaimError(`event ${event.id} was retaken by another worker`);
}

const after = (delayMs: number) => sql`now() + make_interval(secs => ${delayMs / 1000})`;

export const markProcessed = (tx: Executor, event: ClaimedEvent) =>
  settle(tx, event, sql`status = 'processed', processed_at = now(), last_error = null`);

export const markIgnored = (db: Executor, event: ClaimedEvent, note: string) =>
  settle(db, event, sql`status = 'ignored', processed_at = now(), note = ${note}`);

export const markDead = (db: Executor, event: ClaimedEvent, error: string) =>
  settle(db, event, sql`status = 'dead', last_error = ${error}`);

/** Puts the event back as pending after `delayMs`, giving back the attempt its claim took. */
export const markDeferred = (db: Executor, event: ClaimedEvent, note: string, delayMs: number) =>
  settle(db, event, sql`status = 'pending', note = ${note}, attempts = attempts - 1, available_at = ${after(delayMs)}`);

/** Schedules another attempt after `delayMs`. */
export const markFailed = (db: Executor, event: ClaimedEvent, error: string, delayMs: number) =>
  settle(db, event, sql`status = 'failed', last_error = ${error}, available_at = ${after(delayMs)}`);
