import { sql } from 'drizzle-orm';
import { isSealed, type SecretBox } from '../crypto/secret-box';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { SealedField, StoredValue } from '../secrets/sealed-field';

/** A flash carries a newly revealed secret: its value is sealed (the key beside it says only what it is for). */
const LABEL = 'admin_sessions.flash';

/**
 * A one-time value a console POST leaves in its session row (admin_sessions.flash) for the GET it
 * redirects to (post/redirect/get): the GET takes it and clears it, so a reload shows nothing and
 * resubmits nothing. In the database, not in memory, so any instance can serve the GET. One flash
 * per session: a newer one replaces it. The key says what it is for (and which page may take it).
 * The value is stored as `box.seal` of its JSON (as is, without a key).
 */
export async function setFlash(
  db: Executor,
  box: SecretBox,
  tokenHash: string,
  key: string,
  value: unknown,
): Promise<void> {
  const stored = box.enabled ? box.seal(LABEL, JSON.stringify(value)) : value;
  await db.execute(
    sql`update admin_sessions set flash = ${JSON.stringify({ key, value: stored })}::jsonb where token_hash = ${tokenHash}`,
  );
}

/**
 * The session's flash if it has this key, cleared in the same statement (two GETs cannot both take
 * it). Throws SecretUnreadableError when no configured key opens it.
 */
export async function takeFlash<T>(
  db: Executor,
  box: SecretBox,
  tokenHash: string,
  key: string,
): Promise<T | undefined> {
  const [row] = await queryRows<{ flash: { value: unknown } | string }>(
    db,
    sql`with taken as (
        select token_hash, flash from admin_sessions
        where token_hash = ${tokenHash} and flash ->> 'key' = ${key} and expires_at > now() for update
      )
      update admin_sessions s set flash = null from taken where s.token_hash = taken.token_hash
      returning taken.flash`,
  );
  if (!row) return undefined;
  const { value } = typeof row.flash === 'string' ? (JSON.parse(row.flash) as { value: unknown }) : row.flash;
  return (typeof value === 'string' && isSealed(value) ? JSON.parse(box.open(LABEL, value)) : value) as T;
}

/** A flash value as text: sealed, or the JSON of a plain one (what its seal would hold). */
const asText = (value: unknown) => (typeof value === 'string' && isSealed(value) ? value : JSON.stringify(value));

/** The flashes, for the passes that seal and re-seal every stored secret. */
export const flashField: SealedField = {
  label: LABEL,
  read: async (db, skipPrefix) => {
    const rows = await queryRows<{ id: string; value: string }>(
      db,
      sql`select token_hash as id, (flash -> 'value')::text as value from admin_sessions
        where flash is not null and flash ? 'value'
          ${skipPrefix === null ? sql`` : sql`and not (jsonb_typeof(flash -> 'value') = 'string' and starts_with(flash ->> 'value', ${skipPrefix}))`}`,
    );
    return rows.map((r): StoredValue => ({ id: r.id, stored: asText(JSON.parse(r.value)) }));
  },
  write: async (db, id, from, to) => {
    const before = isSealed(from) ? JSON.stringify(from) : from;
    await db.execute(
      sql`update admin_sessions set flash = jsonb_set(flash, '{value}', to_jsonb(${to}::text))
        where token_hash = ${id} and flash -> 'value' = ${before}::jsonb`,
    );
  },
};
