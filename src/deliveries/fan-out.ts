import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { matchesFilter, type EventFilter } from '../events/filter';
import { typeMatches } from './matching';

/** A subscription as fan-out sees it: what it takes, and whether it sends now. */
export interface LiveSubscription {
  id: string;
  eventTypes: string[];
  filter: EventFilter | null;
  enabled: boolean;
}

/** The subscriptions that are not deleted, as the caller's transaction sees them (a few, from a small table). */
export async function liveSubscriptions(tx: Executor): Promise<LiveSubscription[]> {
  const rows = await queryRows<{
    id: string;
    event_types: string[] | string;
    filter: EventFilter | string | null;
    enabled: boolean;
  }>(tx, sql`select id, event_types, filter, enabled from subscriptions where deleted_at is null`);
  const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return rows.map((r) => ({
    id: r.id,
    eventTypes: json(r.event_types),
    filter: r.filter === null ? null : json(r.filter),
    enabled: r.enabled,
  }));
}

export interface NewDelivery {
  subscriptionId: string;
  canonicalEventId: string;
  eventType: string;
  enabled: boolean;
}

/**
 * One delivery per event × subscription whose types take the event's type and whose filter (if
 * any) matches its body: a filtered-out event costs no row.
 */
export function deliveriesFor(
  subscriptions: readonly LiveSubscription[],
  events: readonly { id: string; type: string; body: unknown }[],
): NewDelivery[] {
  const out: NewDelivery[] = [];
  for (const e of events) {
    for (const s of subscriptions) {
      if (!typeMatches(s.eventTypes, e.type)) continue;
      if (s.filter && !matchesFilter(s.filter, e.body)) continue;
      out.push({ subscriptionId: s.id, canonicalEventId: e.id, eventType: e.type, enabled: s.enabled });
    }
  }
  return out;
}

/**
 * The statement that writes deliveries, as the main statement of a query (its CTEs may write the
 * events). A disabled subscription's row is parked (no `next_attempt_at`) until it is enabled again.
 *
 * Idempotent on (subscription, canonical event). Writing an existing pair again means the inbound
 * event was processed again (a replay: a failed batch rolls back its deliveries with it), and the
 * contract says a replay re-delivers under the same id, so the row goes back to pending with a
 * fresh attempt count and a new claim (an attempt in flight loses its fence and cannot settle it).
 */
export const insertDeliveries = (deliveries: readonly NewDelivery[]): SQL => sql`
  insert into deliveries (subscription_id, canonical_event_id, event_type, next_attempt_at)
  select d."subscriptionId", d."canonicalEventId", d."eventType", case when d.enabled then now() end
  from jsonb_to_recordset(${JSON.stringify(deliveries)}::jsonb) as d ("subscriptionId" uuid, "canonicalEventId" uuid, "eventType" text, enabled boolean)
  on conflict (subscription_id, canonical_event_id) do update set
    status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at, claim_token = null,
    last_error = null, delivered_at = null, updated_at = now()`;
