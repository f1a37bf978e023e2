import { sql, type SQL } from 'drizzle-orm';
import { subscriptionMatches } from './matching';

/**
 * The deliveries a set of canonical events cause, as the main statement of a query whose CTE `e`
 * has the events' `id` and `type`: one row per event × matching subscription (enabled or not;
 * deleted ones excluded). A disabled subscription's row is parked (no `next_attempt_at`) until
 * it is enabled again.
 *
 * Idempotent on (subscription, canonical event). Writing an existing pair again means the inbound
 * event was processed again (a replay: a failed batch rolls back its deliveries with it), and the
 * contract says a replay re-delivers under the same id, so the row goes back to pending with a
 * fresh attempt count and a new claim (an attempt in flight loses its fence and cannot settle it).
 */
export const insertDeliveriesForEvents = (): SQL => sql`
  insert into deliveries (subscription_id, canonical_event_id, event_type, next_attempt_at)
  select s.id, e.id, e.type, case when s.enabled then now() end
  from e join subscriptions s on s.deleted_at is null and ${subscriptionMatches(sql`e.type`)}
  on conflict (subscription_id, canonical_event_id) do update set
    status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at, claim_token = null,
    last_error = null, delivered_at = null, updated_at = now()`;
