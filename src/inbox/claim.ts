import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';
import { markDead } from './settle';
import type { ClaimedEvent } from './claimed-event';

export type { ClaimedEvent } from './claimed-event';

interface ClaimedRow {
  id: string;
  provider: string;
  event_type: string;
  attempts: number;
  received_at: Date | string;
  deferred_seconds: number | string | null;
  headers: Record<string, string> | string;
  body: Buffer | Uint8Array;
  request_path: string | null;
  traceparent: string | null;
}

/**
 * Which `processing` events whose lease ran out a claim looks for: none, those whose lease ran out
 * in the last `seconds`, or all. Their index holds a dead entry for every event stored claimed and
 * settled since the last vacuum, and a long transaction (pg_dump, a replica's snapshot) keeps them
 * all: the worker's claims on the hot path look for none, its sweeps for recent ones, and a sweep a
 * minute for all.
 */
export type ExpiredLeases = { scope: 'none' } | { scope: 'recent'; seconds: number } | { scope: 'all' };

export interface ClaimOptions {
  limit: number;
  leaseSeconds: number;
  /** Default: all. */
  expiredLeases?: ExpiredLeases;
  /**
   * A `processing` event whose lease ran out with this many attempts used is dead, not retaken: an
   * event that kills its worker (out of memory, a crash) must not take the process down forever.
   */
  maxAttempts: number;
  /**
   * Dead-letters those events (fenced by their claim) and writes what that causes, in one
   * transaction; returns the deliveries it wrote. The worker passes the operational events' writer
   * (hookport.event.dead); by default they are only marked dead.
   */
  deadLetter?: (db: Db, events: readonly ClaimedEvent[], reason: string) => Promise<number>;
  /** Told of the events that the claim dead-lettered that way. */
  onDead?: (events: { id: string; provider: string; eventType: string; attempts: number }[]) => void;
  /** Told when the dead-lettered events' operational events wrote deliveries. */
  onDeliveriesWritten?: () => void;
  /** Told when they could not be dead-lettered (they stay held, and are taken again when the lease runs out). */
  onDeadLetterFailed?: (err: unknown) => void;
}

interface ClaimedOrExhaustedRow extends ClaimedRow {
  exhausted: boolean;
}

const claimed = (r: ClaimedRow): ClaimedEvent => ({
  id: r.id,
  provider: r.provider,
  eventType: r.event_type,
  attempts: Number(r.attempts),
  receivedAt: new Date(r.received_at),
  deferredSeconds: r.deferred_seconds === null ? null : Number(r.deferred_seconds),
  headers: typeof r.headers === 'string' ? (JSON.parse(r.headers) as Record<string, string>) : r.headers,
  body: Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body),
  requestPath: r.request_path,
  traceparent: r.traceparent,
});

/** Why an event whose lease ran out on its last attempt is dead. */
export const LEASE_EXHAUSTED =
  'its worker stopped while processing it (lease expired) on every attempt: check the logs for a crash';

/**
 * Takes up to `limit` due events: pending or failed ones whose time has come, and processing ones
 * whose lease ran out (their claimer died). SKIP LOCKED lets many workers share the queue without
 * waiting on each other; the claim itself sets the lease. A processing event whose lease ran out
 * on its last attempt is held (attempts unchanged, the fence of its settling) and dead-lettered
 * with its hookport.event.dead in a transaction of its own, the rare case paying for it.
 */
export async function claimEvents(db: Db, options: ClaimOptions): Promise<ClaimedEvent[]> {
  const { limit, leaseSeconds, maxAttempts } = options;
  const expired = options.expiredLeases ?? { scope: 'all' };
  // Each scan reads one partial index in key order (the statuses are literals, so the planner can
  // match them); the oldest due of both go first.
  const waiting = sql`select id, false as exhausted, available_at from webhook_events
        where status in ('pending', 'failed') and available_at <= now()
        order by available_at limit ${limit} for update skip locked`;
  const since =
    expired.scope === 'recent' ? sql` and available_at > now() - make_interval(secs => ${expired.seconds})` : sql``;
  const due =
    expired.scope === 'none'
      ? sql`due as (${waiting})`
      : sql`waiting as (${waiting}), expired as (
          select id, attempts >= ${maxAttempts} as exhausted, available_at from webhook_events
          where status = 'processing' and available_at <= now()${since}
          order by available_at limit ${limit} for update skip locked
        ), due as (
          select id, exhausted from (select * from waiting union all select * from expired) d
          order by available_at limit ${limit}
        )`;
  const rows = await queryRows<ClaimedOrExhaustedRow>(
    db,
    sql`with ${due}
      update webhook_events e
      set status = 'processing',
          attempts = case when due.exhausted then e.attempts else e.attempts + 1 end,
          available_at = now() + make_interval(secs => ${leaseSeconds}),
          updated_at = now()
      from due
      where e.id = due.id
      returning e.id, e.provider, e.event_type, e.attempts, e.received_at, e.headers, e.body, e.request_path, e.traceparent, due.exhausted,
        extract(epoch from now() - e.deferred_since)::float8 as deferred_seconds`,
  );
  const dead = rows.filter((r) => r.exhausted).map(claimed);
  if (dead.length > 0) await deadLetter(db, dead, options);
  return rows.filter((r) => !r.exhausted).map(claimed);
}

const markDeadOnly = async (db: Db, events: readonly ClaimedEvent[], reason: string) => {
  await db.transaction((tx) => markDead(tx, events, reason));
  return 0;
};

/** The claim's dead letters; a failure here never costs the rest of the claim. */
async function deadLetter(db: Db, dead: ClaimedEvent[], options: ClaimOptions): Promise<void> {
  try {
    const deadLetter = options.deadLetter ?? markDeadOnly;
    if ((await deadLetter(db, dead, LEASE_EXHAUSTED)) > 0) options.onDeliveriesWritten?.();
  } catch (err) {
    options.onDeadLetterFailed?.(err);
    return;
  }
  options.onDead?.(dead.map((e) => ({ id: e.id, provider: e.provider, eventType: e.eventType, attempts: e.attempts })));
}
