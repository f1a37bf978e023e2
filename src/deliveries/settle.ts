import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
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

async function settle(db: Executor, d: ClaimedDelivery, assignments: SQL, subscription: SQL): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with settled as (
        update deliveries set ${assignments}, claim_token = null, updated_at = now()
        where id = ${d.id}::uuid and claim_token = ${d.claimToken}::uuid and status = 'delivering'
        returning id, subscription_id
      ), sub as (update subscriptions s set ${subscription} from settled where s.id = settled.subscription_id)
      select id from settled`,
  );
  return rows.length > 0;
}

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
}

/**
 * Not a 2xx (or no answer): retried after `retryInMs`, or dead. The subscription's failing streak
 * starts (if it had not), and a 410, or a streak older than DELIVERY_DISABLE_AFTER, disables it;
 * a delivery to a disabled subscription is parked rather than scheduled (it goes out when the
 * subscription is enabled again).
 */
export async function markFailed(
  db: Executor,
  d: ClaimedDelivery,
  r: AttemptResult,
  o: FailureOptions,
): Promise<SettledAs> {
  const dead = o.retryInMs === null;
  const disable = sql`(${o.gone} or coalesce(failing_since, now()) <= now() - make_interval(secs => ${o.disableAfterMs / 1000}))`;
  const reason = o.gone
    ? (o.goneReason ?? `the receiver answered 410 Gone (delivery ${d.id})`)
    : `every delivery failed for longer than DELIVERY_DISABLE_AFTER (${Math.round(o.disableAfterMs / 3_600_000)} h)`;
  const next = dead
    ? sql`null`
    : sql`case when ${o.gone} or not (select enabled from subscriptions where id = ${d.subscriptionId}::uuid) then null
        else now() + make_interval(secs => ${o.retryInMs! / 1000}) end`;
  const ok = await settle(
    db,
    d,
    sql`status = ${dead ? 'dead' : 'failed'}, next_attempt_at = ${next}, last_error = ${storableText(r.error ?? 'failed')}, ${recorded(r)}`,
    sql`failing_since = coalesce(s.failing_since, now()),
      enabled = case when s.enabled and ${disable} then false else s.enabled end,
      disabled_reason = case when s.enabled and ${disable} then ${reason} else s.disabled_reason end,
      updated_at = now()`,
  );
  return ok ? (dead ? 'dead' : 'failed') : 'lost';
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
