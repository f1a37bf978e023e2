import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';

export interface ClaimedEvent {
  id: string;
  provider: string;
  eventType: string;
  /** The attempt this claim is; also the fencing token for completing it. */
  attempts: number;
  receivedAt: Date;
  /** Seconds since the event was first deferred (provider throttling), as of the claim; null if never. */
  deferredSeconds: number | null;
  headers: Record<string, string>;
  body: Buffer;
  /** The request's path and query as received; null for rows stored before it was kept. */
  requestPath: string | null;
  /** The W3C traceparent of the request that stored it (tracing on); null otherwise. */
  traceparent: string | null;
}

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

export interface ClaimOptions {
  limit: number;
  leaseSeconds: number;
  /**
   * A `processing` event whose lease ran out with this many attempts used is dead, not retaken: an
   * event that kills its worker (out of memory, a crash) must not take the process down forever.
   */
  maxAttempts: number;
  /** Told of the events that the claim dead-lettered that way. */
  onDead?: (events: { id: string; provider: string; eventType: string; attempts: number }[]) => void;
}

interface ClaimedOrDeadRow extends ClaimedRow {
  status: string;
}

/**
 * Takes up to `limit` due events: pending or failed ones whose time has come, and processing ones
 * whose lease ran out (their claimer died). SKIP LOCKED lets many workers share the queue without
 * waiting on each other; the claim itself sets the lease.
 */
export async function claimEvents(db: Db, options: ClaimOptions): Promise<ClaimedEvent[]> {
  const { limit, leaseSeconds, maxAttempts } = options;
  const rows = await queryRows<ClaimedOrDeadRow>(
    db,
    sql`with due as (
        select id, status = 'processing' and attempts >= ${maxAttempts} as exhausted from webhook_events
        where status in ('pending', 'failed', 'processing') and available_at <= now()
        order by available_at
        limit ${limit}
        for update skip locked
      )
      update webhook_events e
      set status = case when due.exhausted then 'dead' else 'processing' end,
          attempts = case when due.exhausted then e.attempts else e.attempts + 1 end,
          last_error = case when due.exhausted
            then 'its worker stopped while processing it (lease expired) on every attempt: check the logs for a crash'
            else e.last_error end,
          available_at = now() + make_interval(secs => ${leaseSeconds}),
          updated_at = now()
      from due
      where e.id = due.id
      returning e.id, e.provider, e.event_type, e.attempts, e.received_at, e.headers, e.body, e.request_path, e.traceparent, e.status,
        extract(epoch from now() - e.deferred_since)::float8 as deferred_seconds`,
  );
  const dead = rows.filter((r) => r.status === 'dead');
  if (dead.length > 0) {
    options.onDead?.(
      dead.map((r) => ({ id: r.id, provider: r.provider, eventType: r.event_type, attempts: Number(r.attempts) })),
    );
  }
  return rows
    .filter((r) => r.status !== 'dead')
    .map((r) => ({
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
    }));
}
