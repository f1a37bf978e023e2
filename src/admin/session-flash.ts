import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';

/**
 * A one-time value a console POST leaves in its session row (admin_sessions.flash) for the GET it
 * redirects to (post/redirect/get): the GET takes it and clears it, so a reload shows nothing and
 * resubmits nothing. In the database, not in memory, so any instance can serve the GET. One flash
 * per session: a newer one replaces it. The key says what it is for (and which page may take it).
 */
export async function setFlash(db: Executor, tokenHash: string, key: string, value: unknown): Promise<void> {
  await db.execute(
    sql`update admin_sessions set flash = ${JSON.stringify({ key, value })}::jsonb where token_hash = ${tokenHash}`,
  );
}

/** The session's flash if it has this key, cleared in the same statement (two GETs cannot both take it). */
export async function takeFlash<T>(db: Executor, tokenHash: string, key: string): Promise<T | undefined> {
  const [row] = await queryRows<{ flash: { value: T } | string }>(
    db,
    sql`with taken as (
        select token_hash, flash from admin_sessions
        where token_hash = ${tokenHash} and flash ->> 'key' = ${key} and expires_at > now() for update
      )
      update admin_sessions s set flash = null from taken where s.token_hash = taken.token_hash
      returning taken.flash`,
  );
  if (!row) return undefined;
  const flash = typeof row.flash === 'string' ? (JSON.parse(row.flash) as { value: T }) : row.flash;
  return flash.value;
}
