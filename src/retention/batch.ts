import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { RetentionTarget } from './targets';

/** Where a pass over one table has got to: the `order` values of the last row deleted, as text. */
export type Cursor = readonly string[];

export interface BatchResult {
  deleted: number;
  /** The last row deleted (null when none was): the next batch starts after it. */
  last: Cursor | null;
}

const list = (columns: readonly string[], suffix = '') => sql.raw(columns.map((c) => c + suffix).join(', '));

/**
 * One batch: up to `limit` expired rows after `after`, in index order, locked with SKIP LOCKED (rows
 * another instance is deleting, or an operator is replaying, are left alone) and deleted in the same
 * statement. FOR UPDATE re-checks the condition on the row's newest version, so a row replayed
 * since the statement began (no longer `processed`) is not deleted; the delete checks it once more.
 * The locked rows are deleted by their physical address (a TID scan): `id in (select …)` let the
 * planner hash-join the batch against a sequential scan of the whole table.
 */
export function batchStatement(target: RetentionTarget, days: number, limit: number, after: Cursor | null): SQL {
  const table = sql.raw(target.table);
  const order = list(target.order);
  // The first column alone lets the index start at the cursor; the row comparison makes it exact.
  const resume = after
    ? sql` and ${sql.raw(target.order[0]!)} >= ${after[0]} and (${order}) > (${sql.join(
        after.map((v) => sql`${v}`),
        sql`, `,
      )})`
    : sql``;
  return sql`
    with gone as (
      delete from ${table} where ctid = any(array(
        select ctid from ${table}
         where ${target.expired(days)}${resume}
         order by ${order}
         limit ${limit}
         for update skip locked))
        and ${target.expired(days)}
      returning ${order})
    select (select count(*) from gone)::int as deleted,
           (select json_build_array(${list(target.order, '::text')}) from gone order by ${list(target.order, ' desc')} limit 1) as last`;
}

export async function deleteBatch(
  db: Executor,
  target: RetentionTarget,
  days: number,
  limit: number,
  after: Cursor | null,
): Promise<BatchResult> {
  const [row] = await queryRows<{ deleted: number | string; last: string[] | string | null }>(
    db,
    batchStatement(target, days, limit, after),
  );
  const last = typeof row?.last === 'string' ? (JSON.parse(row.last) as string[]) : (row?.last ?? null);
  return { deleted: Number(row?.deleted ?? 0), last };
}
