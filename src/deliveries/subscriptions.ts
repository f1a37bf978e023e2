import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { SigningMode, SubscriptionKind } from '../db/tables/deliveries';
import type { EventFilter } from '../events/filter';
import type { SecretBox } from '../crypto/secret-box';
import { SecretUnreadableError } from '../errors/hookport-error';
import { openSecret, openedUrl, sealSecret, storedUrl } from './sealed-columns';
import { shownUrl } from './shown-url';
import { newSecret, newSecretFor } from './signing';

/** A subscription as the admin API shows it (never its secret). */
export interface SubscriptionView {
  id: string;
  kind: SubscriptionKind;
  /** Masked for Slack (see shown-url.ts), except in the answer to the request that set it. */
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  description: string | null;
  /** How its deliveries are signed; null for Slack, which is not signed. */
  signing: SigningMode | null;
  /** Its content filter; null delivers every event of its types. */
  filter: EventFilter | null;
  /**
   * Until when deliveries also carry a signature with the previous secret (after a rotation in standard-webhooks mode).
   */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  kind: SubscriptionKind;
  url: string;
  event_types: string[] | string;
  enabled: boolean;
  disabled_reason: string | null;
  description: string | null;
  signing: SigningMode;
  filter: EventFilter | string | null;
  previous_secret_expires_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = sql`id, kind, url, event_types, enabled, disabled_reason, description, signing, filter,
  case when previous_secret_expires_at > now() then previous_secret_expires_at end as previous_secret_expires_at,
  created_at, updated_at`;
const iso = (v: Date | string) => new Date(v).toISOString();
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
/** What is shown for a URL no configured key opens: never its ciphertext. */
export const UNREADABLE_URL = '(unreadable: HOOKPORT_ENCRYPTION_KEY is not the key it was encrypted with)';

function urlOf(box: SecretBox, r: Row, urlSetNow: boolean): string {
  let url: string;
  try {
    url = openedUrl(box, r.kind, r.url);
  } catch (err) {
    if (err instanceof SecretUnreadableError) return UNREADABLE_URL;
    throw err;
  }
  return urlSetNow ? url : shownUrl(r.kind, url);
}

const view = (box: SecretBox, r: Row, urlSetNow = false): SubscriptionView => ({
  id: r.id,
  kind: r.kind,
  url: urlOf(box, r, urlSetNow),
  eventTypes: json(r.event_types),
  enabled: r.enabled,
  disabledReason: r.disabled_reason,
  description: r.description,
  signing: r.kind === 'slack' ? null : r.signing,
  filter: r.filter === null ? null : json(r.filter),
  previousSecretExpiresAt: r.previous_secret_expires_at === null ? null : iso(r.previous_secret_expires_at),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export interface NewSubscription {
  kind: SubscriptionKind;
  url: string;
  eventTypes: string[];
  description: string | null;
  /** Default standard-webhooks; Slack ignores it (not signed). */
  signing?: SigningMode;
  /** The caller's own secret, already checked for the mode (secretProblem); default a new one. */
  secret?: string;
  /** A parsed filter (parseFilter); null or absent: every event of its types. */
  filter?: EventFilter | null;
}

/**
 * Creates an enabled subscription; a webhook one gets its secret (the caller's, or a new one for its mode), returned
 * once here.
 */
export async function createSubscription(
  db: Executor,
  box: SecretBox,
  s: NewSubscription,
): Promise<SubscriptionView & { secret: string | null }> {
  const signing = s.kind === 'webhook' ? (s.signing ?? 'standard-webhooks') : 'standard-webhooks';
  const secret = s.kind === 'webhook' ? (s.secret ?? newSecretFor(signing)) : null;
  const filter = s.filter ? JSON.stringify(s.filter) : null;
  const [row] = await queryRows<Row>(
    db,
    sql`insert into subscriptions (kind, url, event_types, description, signing, filter, secret)
      values (${s.kind}, ${storedUrl(box, s.kind, s.url)}, ${JSON.stringify(s.eventTypes)}::jsonb, ${s.description}, ${signing},
        ${filter}::jsonb, ${secret === null ? null : sealSecret(box, secret)})
      returning ${COLUMNS}`,
  );
  return { ...view(box, row!, true), secret };
}

/** Every subscription not deleted, newest first. */
export async function listSubscriptions(db: Executor, box: SecretBox): Promise<SubscriptionView[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from subscriptions where deleted_at is null order by created_at desc, id desc`,
  );
  return rows.map((r) => view(box, r));
}

export async function getSubscription(db: Executor, box: SecretBox, id: string): Promise<SubscriptionView | undefined> {
  const [row] = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from subscriptions where id = ${id}::uuid and deleted_at is null`,
  );
  return row ? view(box, row) : undefined;
}

/**
 * The signing secrets: the current one, and the previous one while its overlap lasts. Throws
 * SecretUnreadableError when no configured key opens them.
 */
export async function getSecrets(
  db: Executor,
  box: SecretBox,
  id: string,
): Promise<
  { secret: string | null; previousSecret: string | null; previousSecretExpiresAt: string | null } | undefined
> {
  const [row] = await queryRows<{
    secret: string | null;
    previous_secret: string | null;
    previous_secret_expires_at: Date | string | null;
  }>(
    db,
    sql`select secret,
        case when previous_secret_expires_at > now() then previous_secret end as previous_secret,
        case when previous_secret_expires_at > now() then previous_secret_expires_at end as previous_secret_expires_at
      from subscriptions where id = ${id}::uuid and deleted_at is null`,
  );
  if (!row) return undefined;
  return {
    secret: row.secret === null ? null : openSecret(box, row.secret),
    previousSecret: row.previous_secret === null ? null : openSecret(box, row.previous_secret),
    previousSecretExpiresAt: row.previous_secret_expires_at === null ? null : iso(row.previous_secret_expires_at),
  };
}

export interface SubscriptionChange {
  url?: string;
  eventTypes?: string[];
  enabled?: boolean;
  description?: string | null;
  /** A parsed filter replaces it; null removes it. */
  filter?: EventFilter | null;
}

/**
 * Changes a subscription. Enabling it clears `disabled_reason` and its failing streak, and makes
 * the deliveries that waited while it was disabled (parked) due now, in the same transaction.
 * The answer carries the URL whole only when this change set it.
 */
export async function updateSubscription(
  db: Executor,
  box: SecretBox,
  id: string,
  c: SubscriptionChange,
): Promise<SubscriptionView | undefined> {
  const sets = [sql`updated_at = now()`];
  if (c.url !== undefined)
    sets.push(sql`url = case when kind = 'slack' then ${storedUrl(box, 'slack', c.url)} else ${c.url} end`);
  if (c.eventTypes !== undefined) sets.push(sql`event_types = ${JSON.stringify(c.eventTypes)}::jsonb`);
  if (c.description !== undefined) sets.push(sql`description = ${c.description}`);
  if (c.filter !== undefined) sets.push(sql`filter = ${c.filter === null ? null : JSON.stringify(c.filter)}::jsonb`);
  if (c.enabled === true) sets.push(sql`enabled = true, disabled_reason = null, failing_since = null`);
  if (c.enabled === false)
    sets.push(sql`enabled = false, disabled_reason = coalesce(disabled_reason, 'disabled by an operator')`);
  const [row] = await queryRows<Row>(
    db,
    sql`with changed as (
        update subscriptions set ${sql.join(sets, sql`, `)} where id = ${id}::uuid and deleted_at is null returning *
      ), unparked as (
        update deliveries d set next_attempt_at = now(), updated_at = now() from changed
        where ${c.enabled === true} and d.subscription_id = changed.id
          and d.status in ('pending', 'failed') and d.next_attempt_at is null
      )
      select ${COLUMNS} from changed`,
  );
  return row ? view(box, row, c.url !== undefined) : undefined;
}

/**
 * Deletes a subscription: it no longer matches events, and its unfinished deliveries are closed
 * as dead (never sent). The row stays, marked deleted, so its delivery log remains until retention.
 */
export async function deleteSubscription(db: Executor, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with gone as (
        update subscriptions set deleted_at = now(), enabled = false, disabled_reason = 'deleted', updated_at = now()
        where id = ${id}::uuid and deleted_at is null returning id
      ), closed as (
        update deliveries d set status = 'dead', next_attempt_at = null, claim_token = null,
          last_error = 'not sent: its subscription was deleted', updated_at = now()
        from gone where d.subscription_id = gone.id and d.status in ('pending', 'failed', 'delivering')
      )
      select id from gone`,
  );
  return rows.length > 0;
}

/**
 * A new secret: the caller's (already checked for the subscription's mode) or a new one for its
 * mode. In standard-webhooks mode the old one keeps signing (a second signature) for `overlapMs`;
 * rotating again within the overlap drops the oldest, so only two secrets are ever live. In the
 * HMAC modes the new secret signs alone at once (their receivers read one signature), and no
 * previous secret is kept.
 */
export async function rotateSecret(
  db: Executor,
  box: SecretBox,
  id: string,
  overlapMs: number,
  own?: string,
): Promise<{ secret: string; previousSecretExpiresAt: string | null } | undefined> {
  // Both candidates, so the statement picks by the stored mode (a mode never changes after create).
  const standard = own ?? newSecret();
  const hmac = own ?? newSecretFor('hmac-sha256');
  const overlaps = sql`signing = 'standard-webhooks'`;
  const [row] = await queryRows<{ secret: string; previous_secret_expires_at: Date | string | null }>(
    db,
    sql`update subscriptions set
        previous_secret = case when ${overlaps} then secret end,
        secret = case when ${overlaps} then ${sealSecret(box, standard)} else ${sealSecret(box, hmac)} end,
        previous_secret_expires_at = case when ${overlaps} then now() + make_interval(secs => ${overlapMs / 1000}) end,
        updated_at = now()
      where id = ${id}::uuid and deleted_at is null and kind = 'webhook'
      returning secret, previous_secret_expires_at`,
  );
  if (!row) return undefined;
  return {
    secret: openSecret(box, row.secret),
    previousSecretExpiresAt: row.previous_secret_expires_at === null ? null : iso(row.previous_secret_expires_at),
  };
}
