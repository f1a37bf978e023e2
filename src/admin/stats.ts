import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { EVENT_STATUSES, type EventStatus } from '../db/tables/inbox';

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
 * Per-provider figures over a window: answers from ingest_counts (duplicates and 401s leave no
 * inbox row), statuses and processing-delay percentiles from the inbox rows received in it (a range
 * of the (provider, received_at) index).
 */
export async function providerStats(db: Executor, window: StatsWindow, providers: readonly string[]): Promise<StatsReport> {
  const report: Record<string, ProviderStats> = Object.fromEntries(providers.map((p) => [p, emptyStats()]));
  const of = (provider: string) => (report[provider] ??= emptyStats());
  const [answers, statuses, delays] = await Promise.all([
    queryRows<{ provider: string; outcome: string; n: string | number }>(
      db,
      sql`select provider, outcome, sum(count) as n from ingest_counts
        where bucket >= ${since(window)} group by provider, outcome`,
    ),
    queryRows<{ provider: string; status: EventStatus; n: string | number }>(
      db,
      sql`select provider, status, count(*) as n from webhook_events
        where received_at >= ${since(window)} group by provider, status`,
    ),
    queryRows<{ provider: string; p: (string | number)[] | string }>(
      db,
      sql`select provider, percentile_cont(array[0.5, 0.95, 0.99]) within group
          (order by extract(epoch from processed_at - received_at) * 1000) as p
        from webhook_events where received_at >= ${since(window)} and status = 'processed'
        group by provider`,
    ),
  ]);
  for (const a of answers) {
    if (a.provider === 'unknown' && !providers.includes('unknown')) continue;
    const s = of(a.provider);
    if (a.outcome === 'stored') s.received += Number(a.n);
    else if (a.outcome === 'duplicate') s.duplicates += Number(a.n);
    else if (a.outcome === 'invalid_signature') s.rejected += Number(a.n);
  }
  for (const r of statuses) of(r.provider).byStatus[r.status] = Number(r.n);
  for (const d of delays) {
    const [p50, p95, p99] = parseFloatArray(d.p);
    Object.assign(of(d.provider), { p50Ms: round(p50), p95Ms: round(p95), p99Ms: round(p99) });
  }
  return { window, providers: report };
}

export interface HourlyCount {
  /** The start of the hour, ISO. */
  hour: string;
  provider: string;
  received: number;
  duplicates: number;
  rejected: number;
}

/** Answers per hour and provider over the last `hours` hours, oldest first (the console's chart). */
export async function hourlyCounts(db: Executor, hours: number): Promise<HourlyCount[]> {
  const rows = await queryRows<{ hour: Date | string; provider: string; received: string; duplicates: string; rejected: string }>(
    db,
    sql`select date_trunc('hour', bucket) as hour, provider,
        coalesce(sum(count) filter (where outcome = 'stored'), 0) as received,
        coalesce(sum(count) filter (where outcome = 'duplicate'), 0) as duplicates,
        coalesce(sum(count) filter (where outcome = 'invalid_signature'), 0) as rejected
      from ingest_counts where bucket >= date_trunc('hour', now()) - make_interval(hours => ${hours - 1})
      group by 1, 2 order by 1, 2`,
  );
  return rows.map((r) => ({
    hour: new Date(r.hour).toISOString(),
    provider: r.provider,
    received: Number(r.received),
    duplicates: Number(r.duplicates),
    rejected: Number(r.rejected),
  }));
}

const round = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? null : Math.round(v));

/** PGlite returns float8[] as an array; node-postgres too, but accept the text form `{1,2,3}` as well. */
function parseFloatArray(v: (string | number)[] | string): number[] {
  const items = typeof v === 'string' ? v.replace(/[{}]/g, '').split(',') : v;
  return items.map(Number);
}
