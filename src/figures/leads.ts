import type { Executor } from '../db/client';
import type { ProviderRegistry } from '../contract/provider';
import { daysBetween } from './days';

export interface LeadFigures {
  created: number;
  perDay: { day: string; created: number }[];
  /** Leads created in the window that the business has answered, and the median time to that first answer. */
  replied: number;
  medianFirstReplySeconds: number | null;
}

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Leads from every provider that keeps them (its `figures` hook), added up. */
export async function leadFigures(
  db: Executor,
  providers: ProviderRegistry,
  since: Date,
  now: Date,
): Promise<LeadFigures> {
  const withLeads = Object.values(providers).flatMap((p) => (p.figures ? [p.figures] : []));
  const [perDay, replies] = await Promise.all([
    Promise.all(withLeads.map((f) => f.leadsPerDay(db, since))),
    Promise.all(withLeads.map((f) => f.firstReplySeconds(db, since))),
  ]);
  const byDay = new Map(daysBetween(since, now).map((day) => [day, 0]));
  for (const { day, count } of perDay.flat()) if (byDay.has(day)) byDay.set(day, byDay.get(day)! + count);
  const days = [...byDay].map(([day, created]) => ({ day, created }));
  const seconds = replies.flat();
  return {
    created: days.reduce((n, d) => n + d.created, 0),
    perDay: days,
    replied: seconds.length,
    medianFirstReplySeconds: median(seconds),
  };
}
