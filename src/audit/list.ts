import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { InvalidCursorError } from '../errors/hookport-error';
import type { AuditView } from './entry';

interface Row {
  id: string;
  at: Date | string;
  actor: string;
  address: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | string | null;
  at_micros: string;
}

const view = (r: Row): AuditView => ({
  id: r.id,
  at: new Date(r.at).toISOString(),
  actor: r.actor,
  address: r.address,
  action: r.action,
  target: r.target,
  detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
});

/** The audit log, newest first, keyset-paged on (at, id): each page one range of audit_log_at_idx. */
export async function listAudit(
  db: Executor,
  q: { limit: number; cursor?: string },
): Promise<{ entries: AuditView[]; nextCursor: string | null }> {
  let after = sql`true`;
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor);
    if (!c) throw new InvalidCursorError('cursor is not one this server returned');
    after = sql`(at, id) < ('epoch'::timestamptz + ${c.micros}::bigint * interval '1 microsecond', ${c.id}::uuid)`;
  }
  const rows = await queryRows<Row>(
    db,
    sql`select id, at, actor, address, action, target, detail,
        (extract(epoch from at) * 1000000)::bigint::text as at_micros
      from audit_log where ${after} order by at desc, id desc limit ${q.limit + 1}`,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    entries: page.map(view),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ micros: last.at_micros, id: last.id }) : null,
  };
}
