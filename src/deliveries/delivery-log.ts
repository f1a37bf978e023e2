import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { DeliveryStatus } from '../db/tables/deliveries';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { InvalidCursorError } from '../errors/hookport-error';
import type { ClaimedDelivery } from './claim';
import type { TestEvent } from '../events/test-body';

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  canonicalEventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  responseStatus: number | null;
  responseBody: string | null;
  durationMs: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** A test send: it has no canonical event, and is not retried. */
  test: boolean;
}

interface Row {
  id: string;
  subscription_id: string;
  canonical_event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | string | null;
  response_status: number | null;
  response_body: string | null;
  duration_ms: number | null;
  last_error: string | null;
  created_at: Date | string;
  delivered_at: Date | string | null;
  test: boolean;
  created_micros: string;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const COLUMNS = sql`id, subscription_id, canonical_event_id, event_type, status, attempts,
  case when status = 'delivering' then null else next_attempt_at end as next_attempt_at,
  response_status, response_body, duration_ms, last_error, created_at, delivered_at,
  not exists (select 1 from canonical_events c where c.id = deliveries.canonical_event_id) as test,
  (extract(epoch from created_at) * 1000000)::bigint::text as created_micros`;
const view = (r: Row): DeliveryView => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  canonicalEventId: r.canonical_event_id,
  eventType: r.event_type,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: iso(r.next_attempt_at),
  responseStatus: r.response_status === null ? null : Number(r.response_status),
  responseBody: r.response_body,
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  lastError: r.last_error,
  createdAt: iso(r.created_at)!,
  deliveredAt: iso(r.delivered_at),
  test: r.test,
});

/** A subscription's deliveries, newest first, keyset-paged on (created_at, id). */
export async function listDeliveries(
  db: Executor,
  subscriptionId: string,
  q: { status?: DeliveryStatus; limit: number; cursor?: string },
): Promise<{ deliveries: DeliveryView[]; nextCursor: string | null }> {
  const conditions: SQL[] = [sql`subscription_id = ${subscriptionId}::uuid`];
  if (q.status) conditions.push(sql`status = ${q.status}`);
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor);
    if (!c) throw new InvalidCursorError('cursor is not one this server returned');
    conditions.push(
      sql`(created_at, id) < ('epoch'::timestamptz + ${c.micros}::bigint * interval '1 microsecond', ${c.id}::uuid)`,
    );
  }
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from deliveries where ${sql.join(conditions, sql` and `)}
      order by created_at desc, id desc limit ${q.limit + 1}`,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    deliveries: page.map(view),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ micros: last.created_micros, id: last.id }) : null,
  };
}

export type RetryOutcome = 'queued' | 'not_found' | 'in_flight' | 'test_send';

/**
 * Sends a delivery again now, a dead one too, with a fresh attempt count (the retry schedule starts
 * over). One in flight is left alone. A disabled subscription's waits (parked) until it is enabled.
 * With `subscriptionId` (a URL naming both), a delivery of another subscription is not found.
 */
export async function retryDelivery(db: Executor, id: string, subscriptionId?: string): Promise<RetryOutcome> {
  const ofSubscription = subscriptionId === undefined ? sql`` : sql`and d.subscription_id = ${subscriptionId}::uuid`;
  const [row] = await queryRows<{ retried: boolean; in_flight: boolean | null; has_event: boolean | null }>(
    db,
    sql`with target as (
        select d.id, (d.status = 'delivering' and d.next_attempt_at > now()) as in_flight, s.enabled,
          exists (select 1 from canonical_events c where c.id = d.canonical_event_id) as has_event
        from deliveries d join subscriptions s on s.id = d.subscription_id
        where d.id = ${id}::uuid ${ofSubscription} and s.deleted_at is null for update of d
      ), reset as (
        update deliveries d set status = 'pending', attempts = 0, claim_token = null, delivered_at = null,
          next_attempt_at = case when target.enabled then now() end, updated_at = now()
        from target where d.id = target.id and not target.in_flight and target.has_event returning d.id
      )
      select exists (select 1 from reset) as retried, (select in_flight from target) as in_flight,
        (select has_event from target) as has_event`,
  );
  if (!row || row.in_flight === null) return 'not_found';
  // A test send's body lived only in its request: nothing to send again (a new test is one click).
  if (row.has_event === false) return 'test_send';
  return row.retried ? 'queued' : 'in_flight';
}

/**
 * A test delivery, created already claimed by the caller (the admin API sends it at once and
 * answers with the outcome). It has no canonical event: its body travels with the claim and its
 * `webhook-id` is its own.
 */
export async function claimTestDelivery(
  db: Executor,
  subscriptionId: string,
  leaseSeconds: number,
  test: TestEvent,
): Promise<ClaimedDelivery | undefined> {
  const [r] = await queryRows<{
    id: string;
    kind: ClaimedDelivery['kind'];
    url: string;
    signing: ClaimedDelivery['signing'];
    secret: string | null;
    previous_secret: string | null;
    created_at: Date | string;
    claim_token: string;
    canonical_event_id: string;
  }>(
    db,
    sql`with s as (
        select id, kind, url, signing, secret, case when previous_secret_expires_at > now() then previous_secret end as previous_secret
        from subscriptions where id = ${subscriptionId}::uuid and deleted_at is null
      ), d as (
        insert into deliveries (subscription_id, canonical_event_id, event_type, status, attempts, next_attempt_at, claim_token, last_attempt_at)
        select s.id, ${randomUUID()}::uuid, ${test.type}, 'delivering', 1, now() + make_interval(secs => ${leaseSeconds}), gen_random_uuid(), now()
        from s returning id, created_at, claim_token, canonical_event_id
      )
      select d.id, d.created_at, d.claim_token, d.canonical_event_id, s.kind, s.url, s.signing, s.secret, s.previous_secret from d, s`,
  );
  if (!r) return undefined;
  return {
    id: r.id,
    subscriptionId,
    canonicalEventId: r.canonical_event_id,
    eventType: test.type,
    attempts: 1,
    claimToken: r.claim_token,
    kind: r.kind,
    url: r.url,
    signing: r.signing,
    secrets: [r.secret, r.previous_secret].filter((s): s is string => s !== null),
    createdAt: new Date(r.created_at),
    test: true,
    event: {
      type: test.type,
      occurredAt: new Date(test.body.timestamp),
      createdAt: new Date(r.created_at),
      data: null,
      body: JSON.stringify(test.body),
      provider: test.body.data.source.provider,
      recordKind: test.recordKind,
      externalId: null,
    },
  };
}
