import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client';

const dialect = new PgDialect();

export interface UpsertSpec {
  /** The unique columns of ON CONFLICT. */
  target: readonly PgColumn[];
  /** Column key → expression for DO UPDATE SET; constant SQL (no parameters). */
  set: Record<string, SQL>;
  /** Optional guard: the update happens only when this holds (e.g. the event is not older). */
  setWhere?: SQL;
}

/** Renders constant SQL once; parameters would collide with the per-call values, so they are refused. */
function render(fragment: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  if (params.length > 0) throw new Error('compiled upsert clauses must be constant SQL');
  return text;
}

/** Rows per statement: PostgreSQL takes at most 65,535 parameters, and a wide table has ~30 columns. */
const ROWS_PER_STATEMENT = 500;

/**
 * An INSERT … ON CONFLICT DO UPDATE whose text is rendered once. Drizzle's query builder spends a
 * few hundred microseconds per call on a wide upsert — most of the worker's CPU per event — so
 * the hot record upserts render their clauses once and only bind values per call. Values are
 * encoded by their column (jsonb, timestamps); an undefined value takes the column default.
 *
 * Set-based: one statement for many rows (the worker applies a whole batch at once). PostgreSQL
 * refuses a statement that updates the same row twice, so the rows must have distinct conflict
 * keys; it takes row locks in the order given, so callers pass them in a fixed order.
 */
export function compileUpsert<T extends PgTable>(
  table: T,
  spec: UpsertSpec,
): (tx: Executor, rows: readonly T['$inferInsert'][]) => Promise<void> {
  const columns = Object.entries(getTableColumns(table)).filter(
    ([, column]) => !column.generatedIdentity && !column.generated,
  );
  const names = columns.map(([, c]) => `"${c.name}"`).join(', ');
  const byKey = getTableColumns(table);
  const setText = Object.entries(spec.set)
    .map(([key, value]) => {
      const column = byKey[key];
      if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
      return `"${column.name}" = ${render(value)}`;
    })
    .join(', ');
  const target = spec.target.map((c) => `"${c.name}"`).join(', ');
  const head = sql.raw(`insert into "${getTableName(table)}" (${names}) values `);
  const tail = sql.raw(
    ` on conflict (${target}) do update set ${setText}${spec.setWhere ? ` where ${render(spec.setWhere)}` : ''}`,
  );
  const useDefault = sql.raw('default');
  const open = sql.raw('(');
  const close = sql.raw(')');
  const separator = sql.raw(', ');
  const tuple = (values: T['$inferInsert']) => {
    const row = values as Record<string, unknown>;
    const params = columns.map(([key, column]) => (row[key] === undefined ? useDefault : sql.param(row[key], column)));
    return sql`${open}${sql.join(params, separator)}${close}`;
  };

  return async (tx, rows) => {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const tuples = rows.slice(start, start + ROWS_PER_STATEMENT).map(tuple);
      await tx.execute(sql`${head}${sql.join(tuples, separator)}${tail}`);
    }
  };
}
