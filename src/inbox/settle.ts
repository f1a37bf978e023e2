import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { webhookEvents, type EventStatus } from '../db/schema';
import type { ClaimedEvent } from './claim';
import type { Transaction } from '../records/apply';

type Writer = Pick<Db, 'update'> | Transaction;

/** Thrown inside the completing transaction when this worker no longer holds the claim. */
export class LostClaimError extends Error {
  override name = 'LostClaimError';
}

/**
 * Moves a claimed event out of `processing`. Fenced by `attempts`: if the lease expired and another
 * worker retook the event, this update matches nothing and the caller's work is rolled back.
 */
async function settle(
  db: Writer,
  event: ClaimedEvent,
  values: Partial<typeof webhookEvents.$inferInsert> & { status: EventStatus },
): Promise<void> {
  const updated = await db
    .update(webhookEvents)
    .set({ ...values, updatedAt: sql`now()` })
    .where(
      and(
        eq(webhookEvents.id, event.id),
        eq(webhookEvents.status, 'processing'),
        eq(webhookEvents.attempts, event.attempts),
      ),
    )
    .returning({ id: webhookEvents.id });
  if (updated.length === 0) throw new LostClaimError(`event ${event.id} was retaken by another worker`);
}

export const markProcessed = (tx: Writer, event: ClaimedEvent) =>
  settle(tx, event, { status: 'processed', processedAt: sql`now()` as unknown as Date, lastError: null });

export const markIgnored = (tx: Writer, event: ClaimedEvent, note: string) =>
  settle(tx, event, { status: 'ignored', processedAt: sql`now()` as unknown as Date, note });

export const markDead = (db: Writer, event: ClaimedEvent, error: string) =>
  settle(db, event, { status: 'dead', lastError: error });

/** Puts the event back as pending after `delayMs`, giving back the attempt its claim took. */
export const markDeferred = (db: Writer, event: ClaimedEvent, note: string, delayMs: number) =>
  settle(db, event, {
    status: 'pending',
    note,
    attempts: event.attempts - 1,
    availableAt: sql`now() + make_interval(secs => ${delayMs / 1000})` as unknown as Date,
  });

/** Schedules another attempt after `delayMs`. */
export const markFailed = (db: Writer, event: ClaimedEvent, error: string, delayMs: number) =>
  settle(db, event, {
    status: 'failed',
    lastError: error,
    availableAt: sql`now() + make_interval(secs => ${delayMs / 1000})` as unknown as Date,
  });
