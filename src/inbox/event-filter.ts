import { sql, type SQL } from 'drizzle-orm';
import { EVENT_STATUSES, type EventStatus } from '../db/tables/inbox';

/** What the admin lists and bulk replay select inbox rows by. */
export interface EventFilter {
  provider?: string;
  status?: EventStatus;
  type?: string;
  /** On received_at, inclusive. */
  since?: Date;
  /** On received_at, exclusive. */
  until?: Date;
}

/**
 * The filter as SQL conditions. The status is written as a literal (it is one of EVENT_STATUSES):
 * only then can the planner use the partial indexes on dead and unfinished rows.
 */
export function filterConditions(filter: EventFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.provider !== undefined) conditions.push(sql`provider = ${filter.provider}`);
  if (filter.status !== undefined) {
    // Validated by the callers' schemas; checked again because it is written into the SQL text.
    if (!EVENT_STATUSES.includes(filter.status)) throw new Error(`not an event status: ${String(filter.status)}`);
    conditions.push(sql`status = ${sql.raw(`'${filter.status}'`)}`);
  }
  if (filter.type !== undefined) conditions.push(sql`event_type = ${filter.type}`);
  if (filter.since !== undefined) conditions.push(sql`received_at >= ${filter.since.toISOString()}::timestamptz`);
  if (filter.until !== undefined) conditions.push(sql`received_at < ${filter.until.toISOString()}::timestamptz`);
  return conditions;
}

export const whereAll = (conditions: readonly SQL[]): SQL =>
  conditions.length === 0 ? sql`true` : sql.join([...conditions], sql` and `);
