import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { OPERATIONAL_PREFIX } from '../events/operational-types';
import { SUBSCRIPTION_COLUMNS, type SubscriptionRow } from '../deliveries/failure-facts';

/** hookport.delivery.failing: at least ATTEMPTS attempts in the last WINDOW_MINUTES, at least half failed … */
export const FAILING = { attempts: 5, windowMinutes: 15, alertEveryHours: 1 } as const;

export interface FailingAlert extends SubscriptionRow {
  attempted: number;
  failed: number;
}

/**
 * Marks the subscription alerted and answers it when its recent attempts mostly fail and it was
 * not alerted within the hour; null otherwise. The condition is the update's own WHERE: two
 * workers settling failures of one subscription wait on its row, and the second sees the
 * first's `failing_alerted_at`, so only one alert is sent.
 *
 * "Attempts" are the deliveries attempted in the window, by their latest outcome (the table
 * keeps one row per delivery, not per attempt); those of hookport.* events do not count.
 */
export async function failingAlert(tx: Executor, subscriptionId: string): Promise<FailingAlert | null> {
  const [row] = await queryRows<FailingAlert>(
    tx,
    sql`with recent as (
        select count(*)::int as attempted, (count(*) filter (where status in ('failed', 'dead')))::int as failed
        from deliveries
        where subscription_id = ${subscriptionId}::uuid
          and last_attempt_at >= now() - make_interval(mins => ${FAILING.windowMinutes})
          and status in ('succeeded', 'failed', 'dead') and event_type not like ${`${OPERATIONAL_PREFIX}%`}
      ), alerted as (
        update subscriptions s set failing_alerted_at = now()
        from recent
        where s.id = ${subscriptionId}::uuid and s.enabled and s.deleted_at is null
          and (s.failing_alerted_at is null or s.failing_alerted_at <= now() - make_interval(hours => ${FAILING.alertEveryHours}))
          and recent.attempted >= ${FAILING.attempts} and recent.failed * 2 >= recent.attempted
        returning ${SUBSCRIPTION_COLUMNS}, recent.attempted, recent.failed
      )
      select * from alerted`,
  );
  return row ?? null;
}
