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

/** Counts of unfinished and dead events, and how long the oldest unfinished one has waited. */
export async function queueStats(db: Db): Promise<QueueStats> {
  const [row] = await queryRows<Record<keyof QueueStats, string | number | null>>(
    db,
    sql`select
      count(*) filter (where status = 'pending') as pending,
      count(*) filter (where status = 'processing') as processing,
      count(*) filter (where status = 'failed') as failed,
      count(*) filter (where status = 'dead') as dead,
      coalesce(extract(epoch from now() - min(received_at) filter (where status <> 'dead')), 0) as "oldestPendingSeconds"
    from webhook_events
    where status in ('pending', 'processing', 'failed', 'dead')`,
  );
  return {
    pending: Number(row?.pending ?? 0),
    processing: Number(row?.processing ?? 0),
    failed: Number(row?.failed ?? 0),
    dead: Number(row?.dead ?? 0),
    oldestPendingSeconds: Math.floor(Number(row?.oldestPendingSeconds ?? 0)),
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
