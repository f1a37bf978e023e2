import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client';
import { SUBSCRIPTION_COLUMNS, type FailureTeller, type SettledFailure, type SubscriptionRow } from './failure-facts';
import { queryRows } from '../db/rows';
import { storableText } from '../text/storable-text';
import type { ClaimedDelivery } from './claim';

/** What one attempt got: an answer (any status) or an error before one. */
export interface AttemptResult {
  responseStatus: number | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
}

export type SettledAs = 'succeeded' | 'failed' | 'dead' | 'lost';

/** The fields every settlement records about the attempt. */
const recorded = (r: AttemptResult) => sql`response_status = ${r.responseStatus}::integer,
  response_body = ${r.responseBody === null ? null : storableText(r.responseBody)}, duration_ms = ${r.durationMs}::integer`;

/** A settled attempt's delivery and what its receiver answered. */
export interface Attempted {
  d: ClaimedDelivery;
  r: AttemptResult;
}

/**
 * 2xx answers: done, in one statement for the lot (the worker batches them: a statement per
 * delivery was most of the database work of sending). Clears the failing streak of a subscription
 * that had one (only then: writing the subscription row on every success would serialize them).
 * Answers the ids actually settled; a missing one lost its claim.
 */
export async function markSucceeded(db: Executor, done: readonly Attempted[]): Promise<Set<string>> {
  if (done.length === 0) return new Set();
  const values = done.map(
    ({ d, r }) =>
      sql`(${d.id}::uuid, ${d.claimToken}::uuid, ${r.responseStatus}::integer, ${r.responseBody === null ? null : storableText(r.responseBody)}::text, ${r.durationMs}::integer)`,
  );
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with settled as (
        update deliveries d set status = 'succeeded', delivered_at = now(), next_attempt_at = null, last_error = null,
          response_status = a.status, response_body = a.body, duration_ms = a.ms, claim_token = null, updated_at = now()
        from (values ${sql.join(values, sql`, `)}) as a (id, token, status, body, ms)
        where d.id = a.id and d.claim_token = a.token and d.status = 'delivering'
        returning d.id, d.subscription_id
      ), streak as (
        update subscriptions s set failing_since = null
        where s.failing_since is not null and s.id in (select subscription_id from settled)
      )
      select id from settled`,
  );
  return new Set(rows.map((r) => r.id));
}

export interface FailureOptions {
  /** Null: no retry left (dead). */
  retryInMs: number | null;
  /** The receiver answered 410 Gone: disable the subscription now. */
  gone: boolean;
  /** The disabled_reason for `gone` (default: a 410 Gone). */
  goneReason?: string;
  /** DELIVERY_DISABLE_AFTER: a subscription failing without a success for this long is disabled. */
  disableAfterMs: number;
  /** Writes the operational events this failure causes, in its transaction. */
  tell: FailureTeller;
}

export interface FailureSettled {
  outcome: SettledAs;
  /** Deliveries of the operational events this failure caused (hookport.*). */
  deliveries: number;
}

/** Thrown inside the settling transaction when the claim was lost: nothing of it may commit. */
class LostDeliveryClaim extends Error {}

/**
 * Not a 2xx (or no answer): retried after `retryInMs`, or dead. The subscription's failing streak
 * starts (if it had not), and a 410, or a streak older than DELIVERY_DISABLE_AFTER, disables it;
 * a delivery to a disabled subscription is parked rather than scheduled (it goes out when the
 * subscription is enabled again). In the same transaction, the operational events it causes
 * (see src/operational/delivery-events.ts).
 */
export async function markFailed(
  db: Db,
  d: ClaimedDelivery,
  r: AttemptResult,
  o: FailureOptions,
): Promise<FailureSettled> {
  const dead = o.retryInMs === null;
  const reason = o.gone
    ? (o.goneReason ?? `the receiver answered 410 Gone (delivery ${d.id})`)
    : `every delivery failed for longer than DELIVERY_DISABLE_AFTER (${Math.round(o.disableAfterMs / 3_600_000)} h)`;
  const next = dead
    ? sql`null`
    : sql`case when ${o.gone} or not (select enabled from subscriptions where id = ${d.subscriptionId}::uuid) then null
        else now() + make_interval(secs => ${o.retryInMs! / 1000}) end`;
  try {
    return await db.transaction(async (tx) => {
      const [settled] = await queryRows<SettledFailure>(
        tx,
        sql`with settled as (
            update deliveries set status = ${dead ? 'dead' : 'failed'}, next_attempt_at = ${next},
              last_error = ${storableText(r.error ?? 'failed')}, ${recorded(r)}, claim_token = null, updated_at = now()
            where id = ${d.id}::uuid and claim_token = ${d.claimToken}::uuid and status = 'delivering'
            returning id, subscription_id, canonical_event_id, event_type, attempts, response_status, last_error, created_at
          ), streak as (
            update subscriptions s set failing_since = coalesce(s.failing_since, now()), updated_at = now()
            from settled where s.id = settled.subscription_id
          )
          select * from settled`,
      );
      if (!settled) throw new LostDeliveryClaim();
      const disabled = await disableIfDue(tx, d, o, reason);
      const deliveries = await o.tell(tx, {
        delivery: settled,
        dead,
        test: d.test === true,
        disabled,
      });
      return { outcome: dead ? 'dead' : 'failed', deliveries };
    });
  } catch (err) {
    if (err instanceof LostDeliveryClaim) return { outcome: 'lost', deliveries: 0 };
    throw err;
  }
}

/**
 * Disables the subscription when a 410 said so or its failing streak is older than
 * DELIVERY_DISABLE_AFTER, and parks the failed delivery; answers the subscription only when
 * this statement disabled it (the WHERE is checked again on the row it waited for, so two
 * workers never both report it).
 */
async function disableIfDue(
  tx: Executor,
  d: ClaimedDelivery,
  o: FailureOptions,
  reason: string,
): Promise<SubscriptionRow | null> {
  const [row] = await queryRows<SubscriptionRow>(
    tx,
    sql`with disabled as (
        update subscriptions s set enabled = false, disabled_reason = ${reason}, updated_at = now()
        where s.id = ${d.subscriptionId}::uuid and s.enabled and s.deleted_at is null
          and (${o.gone} or s.failing_since <= now() - make_interval(secs => ${o.disableAfterMs / 1000}))
        returning ${SUBSCRIPTION_COLUMNS}
      ), parked as (
        update deliveries set next_attempt_at = null
        where id = ${d.id}::uuid and status = 'failed' and exists (select 1 from disabled)
      )
      select * from disabled`,
  );
  return row ?? null;
}

/**
 * Extends the lease of the deliveries a worker holds (fenced by claim token); rows locked by a
 * settling statement are skipped, not waited for.
 */
export async function renewDeliveryLeases(
  db: Executor,
  held: readonly ClaimedDelivery[],
  leaseSeconds: number,
): Promise<void> {
  if (held.length === 0) return;
  const tokens = held.map((d) => sql`(${d.id}::uuid, ${d.claimToken}::uuid)`);
  await db.execute(
    sql`update deliveries d set next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
      from (
        select x.id from deliveries x
        join (values ${sql.join(tokens, sql`, `)}) as h (held_id, held_token) on x.id = h.held_id and x.claim_token = h.held_token
        where x.status = 'delivering'
        for update of x skip locked
      ) as mine
      where d.id = mine.id`,
  );
}
