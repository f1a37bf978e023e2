import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { quantile } from '../activity/delay-sketch';
import type { StatsWindow } from '../activity/provider-stats';

const WINDOW_SECONDS: Record<StatsWindow, number> = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400 };
const PREFIX = 'subscription:';

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
export async function subscriptionStats(
  db: Executor,
  subscriptionId: string,
  window: StatsWindow,
): Promise<SubscriptionStats> {
  return (await subscriptionsStats(db, [subscriptionId], window)).get(subscriptionId)!;
}

/** The same figures for many subscriptions (a console list), in one query; every id gets an entry. */
export async function subscriptionsStats(
  db: Executor,
  subscriptionIds: readonly string[],
  window: StatsWindow,
): Promise<Map<string, SubscriptionStats>> {
  const counts = new Map(
    subscriptionIds.map((id) => [id, { succeeded: 0, failed: 0, durations: new Map<number, number>() }]),
  );
  if (subscriptionIds.length > 0) {
    const rows = await queryRows<{ provider: string; metric: string; n: string | number }>(
      db,
      sql`select provider, metric, sum(count) as n from activity_counts
        where provider in (${sql.join(
          subscriptionIds.map((id) => sql`${PREFIX + id}`),
          sql`, `,
        )})
          and bucket >= now() - make_interval(secs => ${WINDOW_SECONDS[window]})
        group by provider, metric`,
    );
    for (const r of rows) {
      const c = counts.get(r.provider.slice(PREFIX.length));
      if (!c) continue;
      const n = Number(r.n);
      if (r.metric === 'delivery:succeeded') c.succeeded += n;
      else if (r.metric === 'delivery:failed' || r.metric === 'delivery:dead') c.failed += n;
      else if (r.metric.startsWith('delivery_ms:')) c.durations.set(Number(r.metric.slice('delivery_ms:'.length)), n);
    }
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  const stats = new Map<string, SubscriptionStats>();
  for (const [id, { succeeded, failed, durations }] of counts) {
    const attempted = succeeded + failed;
    stats.set(id, {
      window,
      attempted,
      succeeded,
      failed,
      successRate: attempted === 0 ? null : succeeded / attempted,
      p50Ms: round(quantile(durations, 0.5)),
      p95Ms: round(quantile(durations, 0.95)),
    });
  }
  return stats;
}
