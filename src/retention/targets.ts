import { sql, type SQL } from 'drizzle-orm';

/**
 * A table whose old rows the retention job deletes. The batch walks `order` (the leading columns of
 * an index, the age column first, unique together) so each batch starts where the last one ended.
 */
export interface RetentionTarget {
  table: string;
  order: readonly string[];
  /**
   * The rows that may go, given RETENTION_DAYS (> 0); by the database's clock. Literals only, so a partial index can
   * match.
   */
  expired(days: number): SQL;
}

/** Days ago, by the database's clock. */
const daysAgo = (days: number) => sql`now() - make_interval(days => ${days})`;

/** activity_counts backs the 7-day stats window: it is kept for at least 8 days whatever RETENTION_DAYS says. */
export const ACTIVITY_COUNTS_MIN_DAYS = 8;

/** audit_log entries are kept for at least this many days whatever RETENTION_DAYS says (refused sign-ins excepted). */
export const AUDIT_LOG_MIN_DAYS = 90;

export const RETENTION_TARGETS: readonly RetentionTarget[] = [
  {
    // Finished inbox rows only: dead rows wait for a replay or an operator; unfinished ones are work.
    table: 'webhook_events',
    order: ['received_at', 'id'], // webhook_events_received_idx
    expired: (days) => sql`received_at < ${daysAgo(days)} and status in ('processed', 'ignored')`,
  },
  {
    // Finished deliveries only (contract: RETENTION_DAYS); pending, failed and in-flight ones are work.
    table: 'deliveries',
    order: ['created_at', 'id'], // deliveries_created_idx
    expired: (days) => sql`created_at < ${daysAgo(days)} and status in ('succeeded', 'dead')`,
  },
  {
    table: 'activity_counts',
    order: ['bucket', 'provider', 'metric'], // its primary key
    expired: (days) => sql`bucket < ${daysAgo(Math.max(days, ACTIVITY_COUNTS_MIN_DAYS))}`,
  },
  {
    // Kept longer than other rows (an audit trail is read long after), but refused sign-ins, which a
    // flood of wrong credentials can add as fast as the guessing limiter allows, go with RETENTION_DAYS.
    table: 'audit_log',
    order: ['at', 'id'], // audit_log_at_idx
    expired: (days) =>
      sql`(at < ${daysAgo(Math.max(days, AUDIT_LOG_MIN_DAYS))} or (action = 'operator.sign_in_refused' and at < ${daysAgo(days)}))`,
  },
  {
    table: 'admin_sessions',
    order: ['expires_at', 'token_hash'], // admin_sessions_expires_idx serves the first
    expired: () => sql`expires_at < now()`,
  },
];
