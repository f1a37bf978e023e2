import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';

export interface QueueStats {
  pending: number;
  processing: number;
  failed: number;
  dead: number;
  oldestPendingSeconds: number;
}

/**
 * The query behind queueStats. Each half reads one partial index (webhook_events_unfinished_received_idx,
 * webhook_events_dead_idx), so its cost follows the backlog, not the ever-growing inbox of
 * processed events. The statuses are literals: the planner can match a partial index only then.
 */
export const QUEUE_STATS_QUERY = sql`
  select status, count(*) as n, extract(epoch from now() - min(received_at)) as age
    from webhook_events where status in ('pending', 'processing', 'failed') group by status
  union all
  select 'dead', count(*), null from webhook_events where status = 'dead'`;

/** Counts of unfinished and dead events, and how long the oldest unfinished one has waited. */
export async function queueStats(db: Db): Promise<QueueStats> {
  const rows = await queryRows<{ status: string; n: string | number; age: string | number | null }>(
    db,
    QUEUE_STATS_QUERY,
  );
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  // Unfinished: pending, processing, or failed and waiting for its retry (ages by the database's clock).
  const ages = rows.filter((r) => r.age !== null).map((r) => Number(r.age));
  return {
    pending: count('pending'),
    processing: count('processing'),
    failed: count('failed'),
    dead: count('dead'),
    oldestPendingSeconds: ages.length > 0 ? Math.max(0, Math.floor(Math.max(...ages))) : 0,
  };
}

/** When each provider last had a request stored (one index probe per provider). */
export async function lastReceivedAt(db: Db, providers: readonly string[]): Promise<Record<string, Date | null>> {
  const entries = await Promise.all(
    providers.map(async (provider) => {
      const [row] = await queryRows<{ at: Date | string | null }>(
        db,
        sql`select max(received_at) as at from webhook_events where provider = ${provider}`,
      );
      return [provider, row?.at ? new Date(row.at) : null] as const;
    }),
  );
  return Object.fromEntries(entries);
}
