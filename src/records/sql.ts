import { sql, type SQL } from 'drizzle-orm';
import { getTableName } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

const excluded = (column: PgColumn) => sql.raw(`excluded."${column.name}"`);
const current = (table: PgTable, column: PgColumn) => sql.raw(`"${getTableName(table)}"."${column.name}"`);

/** On conflict: take the incoming value when it has one, else keep the stored one. */
export function keepUnlessGiven(table: PgTable, columns: Record<string, PgColumn>): Record<string, SQL> {
  return Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [
      key,
      sql`coalesce(${excluded(column)}, ${current(table, column)})`,
    ]),
  );
}

/** On conflict: take the incoming value, whatever is stored (the latest state replaces the row's). */
export function takeGiven(columns: Record<string, PgColumn>): Record<string, SQL> {
  return Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, excluded(column)]));
}

/**
 * On conflict: keep the stored value when it has one, else take the incoming one (first write
 * wins). For facts that never change once known, so a later event cannot rewrite them.
 */
export function keepFirst(table: PgTable, columns: Record<string, PgColumn>): Record<string, SQL> {
  return Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [
      key,
      sql`coalesce(${current(table, column)}, ${excluded(column)})`,
    ]),
  );
}

/**
 * On conflict: take the incoming values only when the incoming rank is higher than the stored one,
 * or equal and (given `at`, the status time) not older, so a late, lower-ranked status never
 * replaces a higher one and a late event of the same rank never turns the status time back.
 */
export function whenRankAtLeast(
  table: PgTable,
  rank: PgColumn,
  columns: Record<string, PgColumn>,
  at?: PgColumn,
): Record<string, SQL> {
  const newRank = excluded(rank);
  const oldRank = current(table, rank);
  const notOlder = at ? sql`coalesce(${excluded(at)} >= ${current(table, at)}, true)` : sql`true`;
  const wins = sql`(${newRank} > ${oldRank} or (${newRank} = ${oldRank} and ${notOlder}))`;
  return Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [
      key,
      sql`case when ${wins} then ${excluded(column)} else ${current(table, column)} end`,
    ]),
  );
}

export const refs = { excluded, current };
