import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';

export const BUSINESS_WINDOWS = ['24h', '7d', '30d'] as const;
export type BusinessWindow = (typeof BUSINESS_WINDOWS)[number];

const WINDOW_MS: Record<BusinessWindow, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** Where a window starts, counted back from `now`. */
export const windowStart = (window: BusinessWindow, now: Date): Date => new Date(now.getTime() - WINDOW_MS[window]);

/** A UTC day, `YYYY-MM-DD`. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** Every UTC day from the one `since` falls in to the one `now` falls in, oldest first. */
export function daysBetween(since: Date, now: Date): string[] {
  const days: string[] = [];
  for (let at = Date.parse(dayOf(since)); at <= now.getTime(); at += 86_400_000) days.push(dayOf(new Date(at)));
  return days;
}

/** Per day, each figure's count: `{day, <figure>: n, …}` for every day, zeros included. */
export type PerDay<F extends string> = ({ day: string } & Record<F, number>)[];

/**
 * Counts per UTC day and figure from `source`, a query of `(figure, t)` pairs, one per record and
 * figure it reached at time `t` (null: not reached); only times at or after `since` count.
 */
export async function countPerDay<F extends string>(
  db: Executor,
  figures: readonly F[],
  source: SQL,
  since: Date,
  now: Date,
): Promise<PerDay<F>> {
  const rows = await queryRows<{ day: string; figure: F; n: string | number }>(
    db,
    sql`select to_char(f.t at time zone 'UTC', 'YYYY-MM-DD') as day, f.figure, count(*) as n
      from (${source}) f where f.t >= ${since.toISOString()}::timestamptz group by 1, 2`,
  );
  const days = daysBetween(since, now).map((day) => ({
    day,
    ...(Object.fromEntries(figures.map((f) => [f, 0])) as Record<F, number>),
  }));
  const byDay = new Map(days.map((d) => [d.day, d as Record<string, number>]));
  for (const r of rows) {
    const day = byDay.get(r.day);
    if (day && Object.hasOwn(day, r.figure)) day[r.figure] = (day[r.figure] ?? 0) + Number(r.n);
  }
  return days;
}

/** The total of one figure over every day. */
export const totalOf = <F extends string>(perDay: PerDay<F>, figure: F): number =>
  perDay.reduce((n, d) => n + d[figure], 0);

/** A fraction, or null when there is nothing to divide by. */
export const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
