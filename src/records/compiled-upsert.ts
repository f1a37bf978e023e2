import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
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

/** Rows per statement: one parameter each, but a bounded statement is easier on both ends. */
const ROWS_PER_STATEMENT = 500;

const JSON_TYPES = new Set(['PgJson', 'PgJsonb']);

/**
 * One input row after the statement, as to_jsonb gives rows (column names): `row` as it stands
 * after the statement (the stored row when the upsert's guard kept it), whether it `existed`
 * before, and the earlier values of exactly the columns the statement `changed` ({} when none).
 * Events carry these (src/events/record-view.ts), so nothing reads the row a second time.
 */
export interface WrittenRow {
  row: Record<string, unknown>;
  existed: boolean;
  changed: Record<string, unknown>;
}

/**
 * An INSERT … ON CONFLICT DO UPDATE whose clauses are rendered once, for many rows in one
 * statement (the worker applies a whole batch at once). The rows travel as one jsonb parameter,
 * expanded by jsonb_populate_recordset: Drizzle's builder spent most of the worker's CPU on a
 * multi-row VALUES list of a few thousand parameters, and PostgreSQL parsed and planned each.
 *
 * An undefined value takes the column's default; a null is a null. PostgreSQL refuses a statement
 * that updates the same row twice, so the rows must have distinct conflict keys; it takes row
 * locks in the order given, so callers pass them in a fixed order.
 */
export function compileUpsert<T extends PgTable>(
  table: T,
  spec: UpsertSpec,
): (tx: Executor, rows: readonly T['$inferInsert'][]) => Promise<WrittenRow[]> {
  const tableName = getTableName(table);
  const columns = Object.entries(getTableColumns(table))
    .filter(([, column]) => !column.generatedIdentity && !column.generated)
    .map(([key, column]) => ({
      key,
      column,
      quoted: `"${column.name}"`,
      json: JSON_TYPES.has(column.columnType),
      // A constant default is written in; one PostgreSQL computes (now(), a sequence) is left to it.
      constantDefault:
        column.hasDefault && column.default !== undefined && !is(column.default, SQL) ? column.default : undefined,
      databaseDefault: column.hasDefault && (column.default === undefined || is(column.default, SQL)),
    }));
  const byKey = getTableColumns(table);
  const setText = Object.entries(spec.set)
    .map(([key, value]) => {
      const column = byKey[key];
      if (!column) throw new Error(`${tableName} has no column ${key}`);
      return `"${column.name}" = ${render(value)}`;
    })
    .join(', ');
  const target = spec.target.map((c) => `"${c.name}"`).join(', ');
  const conflict = ` on conflict (${target}) do update set ${setText}${spec.setWhere ? ` where ${render(spec.setWhere)}` : ''}`;
  const sameKey = (a: string, b: string) => spec.target.map((c) => `${a}."${c.name}" = ${b}."${c.name}"`).join(' and ');
  // `old` is read, and its rows locked in input order, before the insert starts (the insert's
  // one-time filter on it waits for it): the values before this statement, exact under concurrency.
  // A lateral lookup per input row, not a join: on a young table (no statistics yet) the planner
  // joined by scanning the whole table for every batch, as good as a full scan per webhook.
  const statementFor = (names: string): readonly [SQL, SQL] => [
    sql.raw(`with input as materialized (select * from jsonb_populate_recordset(null::"${tableName}", `),
    sql.raw(`::jsonb) with ordinality), old as materialized (
        select t.*, input.ordinality as "__n" from input
        cross join lateral (select * from "${tableName}" t where ${sameKey('t', 'input')} for update) t
      ), up as (
        insert into "${tableName}" (${names}) select ${names} from input
        where (select count(*) from old) >= 0 order by ordinality${conflict}
        returning *
      )
      select row_to_json(up) as "after", row_to_json(old) as "before"
      from input left join up on ${sameKey('up', 'input')} left join old on old."__n" = input.ordinality
      order by input.ordinality`),
  ];
  const statements = new Map<string, readonly [SQL, SQL]>();

  /** The row as jsonb_populate_recordset reads it, and the columns it leaves to PostgreSQL's defaults. */
  const encode = (values: T['$inferInsert']) => {
    const row = values as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const left: string[] = [];
    for (const c of columns) {
      let value = row[c.key];
      if (value === undefined && c.databaseDefault) {
        left.push(c.quoted);
        continue;
      }
      if (value === undefined) value = c.constantDefault ?? null;
      out[c.column.name] = value === null || c.json ? value : c.column.mapToDriverValue(value);
    }
    return { out, left: left.join(',') };
  };

  const write = async (tx: Executor, rows: Record<string, unknown>[], left: string) => {
    let head = statements.get(left);
    if (!head) {
      const omitted = new Set(left.split(','));
      head = statementFor(
        columns
          .filter((c) => !omitted.has(c.quoted))
          .map((c) => c.quoted)
          .join(', '),
      );
      statements.set(left, head);
    }
    const result = (await tx.execute(sql`${head[0]}${JSON.stringify(rows)}${head[1]}`)) as unknown as {
      rows: RawWritten[];
    };
    const answered = result.rows.map((r) => writtenRow(jsonOf(r.after), jsonOf(r.before)));
    // No row either way: another transaction inserted it after this statement's snapshot, and its
    // newer data won the guard. This change altered nothing; the row as it stands is read again.
    const missing = answered.flatMap((a, i) => (a.row === null ? [i] : []));
    const stored =
      missing.length > 0
        ? await rowsByKey(
            tx,
            missing.map((i) => rows[i]!),
          )
        : [];
    return answered.map((a, i) =>
      a.row !== null ? (a as WrittenRow) : { row: stored[missing.indexOf(i)]!, existed: true, changed: {} },
    );
  };

  /** The rows with these rows' conflict keys, as they stand now, in the same order. */
  const rowsByKey = async (tx: Executor, keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> => {
    const found = (await tx.execute(
      sql`select to_jsonb(t) as "row" from jsonb_populate_recordset(null::${sql.raw(`"${tableName}"`)}, ${JSON.stringify(keys)}::jsonb) with ordinality k
        join ${sql.raw(`"${tableName}" t on ${sameKey('t', 'k')}`)} order by k.ordinality`,
    )) as unknown as { rows: { row: Record<string, unknown> | string }[] };
    if (found.rows.length !== keys.length) throw new Error(`${tableName}: a row the upsert conflicted with is gone`);
    return found.rows.map((r) => jsonOf(r.row)!);
  };

  return async (tx, rows) => {
    const written: WrittenRow[] = [];

    // Consecutive rows that leave the same columns to their defaults share a statement (almost
    // always all of them); splitting into runs, not groups, keeps the lock order.
    let pending: Record<string, unknown>[] = [];
    let pendingLeft = '';
    for (const values of rows) {
      const { out, left } = encode(values);
      if (pending.length > 0 && (left !== pendingLeft || pending.length === ROWS_PER_STATEMENT)) {
        written.push(...(await write(tx, pending, pendingLeft)));
        pending = [];
      }
      pendingLeft = left;
      pending.push(out);
    }
    if (pending.length > 0) written.push(...(await write(tx, pending, pendingLeft)));
    return written;
  };
}

// row_to_json, not to_jsonb: PostgreSQL writes json text straight from the row, without building
// jsonb first (measurably cheaper for a batch; docs/performance.md).
type RawWritten = { after: Record<string, unknown> | string | null; before: Record<string, unknown> | string | null };

/** Both rows come from the same statement as the same json, so an unchanged value is the same value. */
const same = (a: unknown, b: unknown) =>
  a === b ||
  (typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    JSON.stringify(a) === JSON.stringify(b));

/**
 * What a row's answer says: the row after (the stored one when the guard kept it), whether it existed, what changed.
 */
function writtenRow(
  after: Record<string, unknown> | null,
  before: Record<string, unknown> | null,
): Omit<WrittenRow, 'row'> & { row: Record<string, unknown> | null } {
  const changed: Record<string, unknown> = {};
  if (after && before)
    for (const [name, was] of Object.entries(before))
      if (name !== '__n' && !same(was, after[name] ?? null)) changed[name] = was;
  return { row: after ?? before, existed: before !== null, changed };
}

/** A driver may hand jsonb back as text. */
const jsonOf = (v: Record<string, unknown> | string | null): Record<string, unknown> | null =>
  typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : v;

/** Changes as the rows
 compileUpsert writes: the same fields without the record kind. */
export const withoutKind = <C extends { kind: string }>(changes: readonly C[]): Omit<C, 'kind'>[] =>
  changes.map(({ kind: _kind, ...values }) => values);
