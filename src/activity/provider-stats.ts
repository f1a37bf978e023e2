import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { EVENT_STATUSES, type EventStatus } from '../db/tables/inbox';
import { quantile } from './delay-sketch';

export const STATS_WINDOWS = ['1h', '24h', '7d'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

const WINDOW_INTERVAL: Record<StatsWindow, string> = { '1h': '1 hour', '24h': '24 hours', '7d': '7 days' };

export interface ProviderStats {
  /** New events stored (answered 200, not a duplicate). */
  received: number;
  /** Provider retries answered 200 as duplicates. */
  duplicates: number;
  /** Requests refused 401 (missing or wrong signature or credentials). */
  rejected: number;
  /** Inbox rows received in the window, by their status now. */
  byStatus: Record<EventStatus, number>;
  /** Received → processed, over the events processed in the window; null when there were none. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface StatsReport {
  window: StatsWindow;
  providers: Record<string, ProviderStats>;
}

const since = (window: StatsWindow) => sql`now() - ${WINDOW_INTERVAL[window]}::interval`;

const emptyStats = (): ProviderStats => ({
  received: 0,
  duplicates: 0,
  rejected: 0,
  byStatus: Object.fromEntries(EVENT_STATUSES.map((s) => [s, 0])) as Record<EventStatus, number>,
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
});

/**
 * Per-provider figures over a window, from activity_counts (5-minute buckets: answers, worker
 * outcomes and a delay sketch), so the cost follows the window's length, not the traffic in it;
 * pending and processing are the inbox now (the small partial index of unfinished events).
 */
export async function providerStats(
  db: Executor,
  window: StatsWindow,
  providers: readonly string[],
): Promise<StatsReport> {
  const report: Record<string, ProviderStats> = Object.fromEntries(providers.map((p) => [p, emptyStats()]));
  const known = new Set(providers);
  const [counted, unfinished] = await Promise.all([
    queryRows<{ provider: string; metric: string; n: string | number }>(
      db,
      sql`select provider, metric, sum(count) as n from activity_counts
        where bucket >= ${since(window)} group by provider, metric`,
    ),
    queryRows<{ provider: string; status: EventStatus; n: string | number }>(
      db,
      sql`select provider, status, count(*) as n from webhook_events
        where status in ('pending', 'processing') group by provider, status`,
    ),
  ]);
  const delays = new Map<string, Map<number, number>>();
  for (const { provider, metric, n } of counted) {
    if (!known.has(provider)) continue; // "unknown": requests to no registered provider
    const s = report[provider]!;
    const [kind, name = ''] = metric.split(':', 2) as [string, string?];
    const count = Number(n);
    if (kind === 'answer') {
      if (name === 'stored') s.received += count;
      else if (name === 'duplicate') s.duplicates += count;
      else if (name === 'invalid_signature') s.rejected += count;
    } else if (kind === 'settled' && SETTLED.has(name)) {
      s.byStatus[name as EventStatus] += count;
    } else if (kind === 'delay') {
      const sketch = delays.get(provider) ?? new Map<number, number>();
      sketch.set(Number(name), (sketch.get(Number(name)) ?? 0) + count);
      delays.set(provider, sketch);
    }
  }
  for (const r of unfinished) if (known.has(r.provider)) report[r.provider]!.byStatus[r.status] = Number(r.n);
  for (const [provider, sketch] of delays) {
    Object.assign(report[provider]!, {
      p50Ms: round(quantile(sketch, 0.5)),
      p95Ms: round(quantile(sketch, 0.95)),
      p99Ms: round(quantile(sketch, 0.99)),
    });
  }
  return { window, providers: report };
}

/** The worker outcomes byStatus counts over the window (pending and processing are read as they are now). */
const SETTLED = new Set<string>(['processed', 'ignored', 'failed', 'dead']);

export interface HourlyCount {
  /** The start of the hour, ISO. */
  hour: string;
  provider: string;
  received: number;
  duplicates: number;
  rejected: number;
  /** Worker attempts that failed, and events that went dead, in the hour. */
  failed: number;
  dead: number;
}

/** Answers per hour and provider over the last `hours` hours, oldest first (the console's chart). */
export async function hourlyCounts(db: Executor, hours: number): Promise<HourlyCount[]> {
  const rows = await queryRows<{
    hour: Date | string;
    provider: string;
    received: string;
    duplicates: string;
    rejected: string;
    failed: string;
    dead: string;
  }>(
    db,
    sql`select date_trunc('hour', bucket) as hour, provider,
        coalesce(sum(count) filter (where metric = 'answer:stored'), 0) as received,
        coalesce(sum(count) filter (where metric = 'answer:duplicate'), 0) as duplicates,
        coalesce(sum(count) filter (where metric = 'answer:invalid_signature'), 0) as rejected,
        coalesce(sum(count) filter (where metric = 'settled:failed'), 0) as failed,
        coalesce(sum(count) filter (where metric = 'settled:dead'), 0) as dead
      from activity_counts where bucket >= date_trunc('hour', now()) - make_interval(hours => ${hours - 1})
        and (metric like 'answer:%' or metric like 'settled:%')
      group by 1, 2 order by 1, 2`,
  );
  return rows.map((r) => ({
    hour: new Date(r.hour).toISOString(),
    provider: r.provider,
    received: Number(r.received),
    duplicates: Number(r.duplicates),
    rejected: Number(r.rejected),
    failed: Number(r.failed),
    dead: Number(r.dead),
  }));
}

const round = (v: number | null) => (v === null ? null : Math.round(v));
