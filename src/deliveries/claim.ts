import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { SigningMode, SubscriptionKind } from '../db/tables/deliveries';
import { tracingOn } from '../tracing/state';

/** A delivery a worker holds: what it needs to send it, and the token that fences settling it. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  canonicalEventId: string;
  eventType: string;
  /** This attempt's number, from 1. */
  attempts: number;
  claimToken: string;
  kind: SubscriptionKind;
  /** As stored (a Slack URL sealed) until openedDelivery (sealed-columns.ts) opens it. */
  url: string;
  signing: SigningMode;
  /** The secrets to sign with, as stored until opened: the current one, then the previous one while its overlap lasts. */
  secrets: string[];
  /** The canonical event; null when its row is gone (or a test send, which has none). */
  event: {
    type: string;
    occurredAt: Date | null;
    createdAt: Date;
    data: Record<string, unknown> | null;
    /** The body as stored with the event, to the byte; null for events written before bodies existed. */
    body: string | null;
    /** What the event is about. */
    provider?: string | null;
    recordKind?: string | null;
    externalId?: string | null;
  } | null;
  createdAt: Date;
  /** A test send (answered to whoever sent it: no operational event is ever about it). */
  test?: boolean;
  /** The traceparent of the webhook its event came from (tracing on): the attempt continues that trace. */
  traceparent?: string | null;
}

interface Row {
  id: string;
  subscription_id: string;
  canonical_event_id: string;
  event_type: string;
  attempts: number;
  claim_token: string;
  status: string;
  kind: SubscriptionKind;
  url: string;
  signing: SigningMode;
  secret: string | null;
  previous_secret: string | null;
  created_at: Date | string;
  c_type: string | null;
  c_occurred_at: Date | string | null;
  c_created_at: Date | string | null;
  c_data: Record<string, unknown> | string | null;
  c_body: string | null;
  c_provider: string | null;
  c_record_kind: string | null;
  c_external_id: string | null;
  exhausted: boolean;
  traceparent?: string | null;
}

export interface DeliveryClaimOptions {
  limit: number;
  leaseSeconds: number;
  /** Deliveries in flight (live lease) to one subscription at most, across every worker. */
  perSubscription: number;
  /** Attempts in all (the retry schedule's length + 1): a lease that ran out on the last one is dead. */
  maxAttempts: number;
  /** Settles the deliveries whose lease ran out on the last attempt (as dead), before the claim answers. */
  onExhausted: (deliveries: ClaimedDelivery[]) => Promise<unknown>;
}

const date = (v: Date | string) => new Date(v);

/**
 * Takes up to `limit` due deliveries: pending or failed ones whose time has come, and delivering
 * ones whose lease ran out (their worker died mid-send: retried, never lost). SKIP LOCKED lets
 * workers share the queue; the claim sets the lease and a fresh claim token.
 *
 * One slow receiver never holds the others back: a subscription with `perSubscription` deliveries
 * in flight (counted from the in-flight index, so across instances) is skipped, and a claim takes
 * at most its free slots from any one subscription. Two claims racing may exceed the limit by a
 * claim's worth; it bounds concurrency, it is not a lock.
 *
 * In the same statement, due rows that must not be sent are settled: a disabled subscription's
 * are parked (no next_attempt_at: out of the due index until it is enabled again) and a deleted
 * subscription's are closed as dead. One whose lease ran out on the last attempt is held (a fresh
 * claim, attempts unchanged) and handed to `onExhausted`, which settles it as dead with its
 * operational events (its worker died sending it: there is no retry left).
 */
export async function claimDeliveries(db: Executor, o: DeliveryClaimOptions): Promise<ClaimedDelivery[]> {
  const rows = await queryRows<Row>(
    db,
    sql`with busy as (
        select subscription_id, count(*)::int as n from deliveries
        where status = 'delivering' and next_attempt_at > now()
        group by subscription_id
      ), due as (
        select d.id, d.subscription_id, d.next_attempt_at, d.status = 'delivering' and d.attempts >= ${o.maxAttempts} as exhausted
        from deliveries d
        where d.status in ('pending', 'failed', 'delivering') and d.next_attempt_at is not null and d.next_attempt_at <= now()
          and not exists (select 1 from busy where busy.subscription_id = d.subscription_id and busy.n >= ${o.perSubscription})
        order by d.next_attempt_at
        limit ${o.limit * 4}
        for update of d skip locked
      ), ranked as (
        select due.id, due.next_attempt_at, due.exhausted,
          row_number() over (partition by due.subscription_id order by due.next_attempt_at) + coalesce(busy.n, 0) as slot
        from due left join busy using (subscription_id)
      ), chosen as (
        select id, exhausted from ranked where slot <= ${o.perSubscription} order by next_attempt_at limit ${o.limit}
      ), claimed as (
        update deliveries d set
          status = case
            when s.deleted_at is not null then 'dead'
            when not s.enabled then case when d.status = 'delivering' then 'failed' else d.status end
            else 'delivering' end,
          last_error = case when s.deleted_at is not null then 'not sent: its subscription was deleted' else d.last_error end,
          attempts = case when s.enabled and s.deleted_at is null and not chosen.exhausted then d.attempts + 1 else d.attempts end,
          next_attempt_at = case when s.enabled and s.deleted_at is null then now() + make_interval(secs => ${o.leaseSeconds}) end,
          claim_token = gen_random_uuid(),
          last_attempt_at = case when s.enabled and s.deleted_at is null then now() else d.last_attempt_at end,
          updated_at = now()
        from chosen, subscriptions s
        where d.id = chosen.id and s.id = d.subscription_id
        returning d.id, d.subscription_id, d.canonical_event_id, d.event_type, d.attempts, d.claim_token, d.status,
          d.created_at, s.kind, s.url, s.signing, s.secret, chosen.exhausted,
          case when s.previous_secret_expires_at > now() then s.previous_secret end as previous_secret
      )
      select claimed.*, c.type as c_type, c.occurred_at as c_occurred_at, c.created_at as c_created_at, c.data as c_data,
        c.body::text as c_body, c.provider as c_provider, c.record_kind as c_record_kind, c.external_id as c_external_id
        ${tracingOn() ? sql`, w.traceparent` : sql``}
      from claimed left join canonical_events c on c.id = claimed.canonical_event_id
        ${tracingOn() ? sql`left join webhook_events w on w.id = c.webhook_event_id` : sql``}`,
  );
  const held = rows.filter((r) => r.status === 'delivering');
  const exhausted = held.filter((r) => r.exhausted).map(claimedOf);
  if (exhausted.length > 0) await o.onExhausted(exhausted);
  return held.filter((r) => !r.exhausted).map(claimedOf);
}

function claimedOf(r: Row): ClaimedDelivery {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    canonicalEventId: r.canonical_event_id,
    eventType: r.event_type,
    attempts: Number(r.attempts),
    claimToken: r.claim_token,
    kind: r.kind,
    url: r.url,
    signing: r.signing,
    secrets: [r.secret, r.previous_secret].filter((s): s is string => s !== null),
    createdAt: date(r.created_at),
    traceparent: r.traceparent,
    event:
      r.c_type === null
        ? null
        : {
            type: r.c_type,
            occurredAt: r.c_occurred_at === null ? null : date(r.c_occurred_at),
            createdAt: date(r.c_created_at!),
            data: typeof r.c_data === 'string' ? (JSON.parse(r.c_data) as Record<string, unknown>) : r.c_data,
            body: r.c_body,
            provider: r.c_provider,
            recordKind: r.c_record_kind,
            externalId: r.c_external_id,
          },
  };
}
