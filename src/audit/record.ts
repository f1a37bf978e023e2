import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client';
import { AUDIT_ACTION_NAME } from './actions';
import type { AuditEntry } from './entry';

/**
 * Writes one entry. Called with the transaction of the change it records, the entry commits with
 * the change or not at all; a failure is the caller's (the action fails, never silently unrecorded).
 */
export async function recordAudit(db: Executor, { by, action, target = null, detail }: AuditEntry): Promise<void> {
  if (!AUDIT_ACTION_NAME.test(action)) throw new Error(`audit action ${JSON.stringify(action)} is not <area>.<verb>`);
  const withSession = by.session === undefined ? detail : { ...detail, session: by.session };
  const json = withSession === undefined || Object.keys(withSession).length === 0 ? null : JSON.stringify(withSession);
  await db.execute(
    sql`insert into audit_log (actor, address, action, target, detail)
      values (${by.actor}, ${by.address}, ${action}, ${target}, ${json}::jsonb)`,
  );
}

/**
 * Runs `change` and records the entry it yields (none: nothing happened, e.g. no such id) in one
 * transaction.
 */
export async function audited<T>(
  db: Db,
  change: (tx: Executor) => Promise<T>,
  entryOf: (result: T) => AuditEntry | null,
): Promise<T> {
  return db.transaction(async (tx) => {
    const result = await change(tx);
    const entry = entryOf(result);
    if (entry) await recordAudit(tx, entry);
    return result;
  });
}
