import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';

/**
 * How a record kind's rows appear in events: `data.object` is the row keyed by column names,
 * times as ISO 8601 (UTC), jsonb as JSON. The same column list gives the object and its JSON
 * Schema, so the catalogue cannot drift from what the worker writes.
 */
export interface RecordView {
  kind: string;
  /** The table the kind is kept in. */
  table: string;
  description: string;
  /** `data.object`'s schema: every shown column, each nullable unless the column is NOT NULL. */
  schema: z.ZodObject;
  /** A row as PostgreSQL's to_jsonb gives it (column names) → `data.object`. */
  object(row: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /**
   * The earlier values of the columns a change changed (to_jsonb's names) → `data.previous`: shown columns only,
   * bookkeeping left out.
   */
  previous(changed: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** A row as Drizzle's select or returning gives it (property keys, Dates) → `data.object`. */
  fromSelect(row: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** A realistic `data.object` for the catalogue (it validates against `schema`). */
  example: Record<string, unknown>;
}

export interface RecordViewOptions<T extends PgTable> {
  description: string;
  /** Columns never shown (credentials, internal bookkeeping). */
  hidden?: readonly (keyof T['_']['columns'])[];
  /** Schemas of jsonb columns (by property key); any JSON otherwise. */
  json?: Partial<Record<keyof T['_']['columns'], z.ZodType>>;
  /** The example row by property key; columns left out are null (or their default). */
  example: Partial<Record<keyof T['_']['columns'], unknown>>;
}

/** Bookkeeping that changes with every write: never reported in `data.previous`. */
const NOT_A_CHANGE = new Set(['updated_at']);

interface Shown {
  key: string;
  name: string;
  time: boolean;
  schema: z.ZodType;
}

function columnSchema(column: PgColumn, json: z.ZodType | undefined): { schema: z.ZodType; time: boolean } {
  const enumValues = (column as { enumValues?: readonly string[] }).enumValues;
  let schema: z.ZodType;
  let time = false;
  switch (column.columnType) {
    case 'PgTimestamp':
    case 'PgTimestampString':
      schema = z.iso.datetime({ offset: true });
      time = true;
      break;
    case 'PgInteger':
    case 'PgBigInt53':
    case 'PgSmallInt':
      schema = z.number().int();
      break;
    case 'PgDoublePrecision':
    case 'PgReal':
    case 'PgNumeric':
      schema = z.number();
      break;
    case 'PgBoolean':
      schema = z.boolean();
      break;
    case 'PgUUID':
      schema = z.uuid();
      break;
    case 'PgJson':
    case 'PgJsonb':
      schema = json ?? z.json();
      break;
    default:
      schema = enumValues && enumValues.length > 0 ? z.enum(enumValues as [string, ...string[]]) : z.string();
  }
  return { schema: column.notNull ? schema : schema.nullable(), time };
}

/** PostgreSQL's text of a UTC time (`2026-12-06 19:00:52.123456+00` as to_jsonb writes it: `…T…+00:00`). */
const PG_UTC = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00:00$/;

/** An ISO time from whatever a driver or to_jsonb gave; text that is no time (e.g. `infinity`) stays as it is. */
function isoTime(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  // The common case without a Date: milliseconds, as toISOString writes them (truncated, as Date reads them).
  const utc = typeof value === 'string' ? PG_UTC.exec(value) : null;
  if (utc) return `${utc[1]}.${(utc[2] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  const at = value instanceof Date ? value : new Date(value as string);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

export function recordView<T extends PgTable>(kind: string, table: T, options: RecordViewOptions<T>): RecordView {
  const hidden = new Set<string>((options.hidden ?? []) as string[]);
  const json = (options.json ?? {}) as Record<string, z.ZodType | undefined>;
  const shown: Shown[] = Object.entries(getTableColumns(table) as Record<string, PgColumn>)
    .filter(([key]) => !hidden.has(key))
    .map(([key, column]) => ({ key, name: column.name, ...columnSchema(column, json[key]) }));
  const schema = z.strictObject(Object.fromEntries(shown.map((c) => [c.name, c.schema])));
  const build = (read: (c: Shown) => unknown) => {
    const out: Record<string, unknown> = {};
    for (const c of shown) {
      const value = read(c);
      out[c.name] = c.time ? isoTime(value) : (value ?? null);
    }
    return out;
  };
  const fromSelect = (row: Readonly<Record<string, unknown>>) => build((c) => row[c.key]);
  return {
    kind,
    table: getTableName(table),
    description: options.description,
    schema,
    object: (row) => build((c) => row[c.name]),
    previous: (changed) => {
      const out: Record<string, unknown> = {};
      for (const c of shown) {
        if (!Object.hasOwn(changed, c.name) || NOT_A_CHANGE.has(c.name)) continue;
        const was = changed[c.name] ?? null;
        out[c.name] = c.time ? isoTime(was) : was;
      }
      return out;
    },
    fromSelect,
    example: fromSelect(options.example as Record<string, unknown>),
  };
}

/** What an applied record change left: the row after it, and what it changed when the row existed. */
export interface RecordSnapshot {
  object: Record<string, unknown>;
  /** Absent when the change created the row. */
  previous?: Record<string, unknown>;
}

/** The snapshot of one upserted row from the upsert's own answer (see compileUpsert). */
export function snapshotOf(
  view: RecordView,
  written: { row: Record<string, unknown>; existed: boolean; changed: Readonly<Record<string, unknown>> },
): RecordSnapshot {
  const object = view.object(written.row);
  return written.existed ? { object, previous: view.previous(written.changed) } : { object };
}
