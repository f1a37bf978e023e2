import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { quantile } from '../activity/delay-sketch';
import type { StatsWindow } from '../admin/stats';

const WINDOW_SECONDS: Record<StatsWindow, number> = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400 };

export interface SubscriptionStats {
  window: StatsWindow;
  attempted: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

/**
 * A subscription's delivery attempts over a window, from activity_counts (written every few
 * seconds by each process: outcome counts and a sketch of attempt durations), so a week of
 * figures never reads a week of delivery rows.
 */
export async function subscriptionStats(db: Executor, subscriptionId: string, window: StatsWindow): Promise<SubscriptionStats> {
  const rows = await queryRows<{ metric: string; n: string | number }>(
    db,
    sql`select metric, sum(count) as n from activity_counts
      where provider = ${`subscription:${subscriptionId}`} and bucket >= now() - make_interval(secs => ${WINDOW_SECONDS[window]})
      group by metric`,
  );
  let succeeded = 0;
  let failed = 0;
  const durations = new Map<number, number>();
  for (const r of rows) {
    const n = Number(r.n);
    if (r.metric === 'delivery:succeeded') succeeded += n;
    else if (r.metric === 'delivery:failed' || r.metric === 'delivery:dead') failed += n;
    else if (r.metric.startsWith('delivery_ms:')) durations.set(Number(r.metric.slice('delivery_ms:'.length)), n);
  }
  const attempted = succeeded + failed;
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    window,
    attempted,
    succeeded,
    failed,
    successRate: attempted === 0 ? null : succeeded / attempted,
    p50Ms: round(quantile(durations, 0.5)),
    p95Ms: round(quantile(durations, 0.95)),
  };
}
