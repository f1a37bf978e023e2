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

/** An ISO time from whatever a driver or to_jsonb gave; text that is no time (e.g. `infinity`) stays as it is. */
function isoTime(value: unknown): unknown {
  if (value === null || value === undefined) return null;
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
    fromSelect,
    example: fromSelect(options.example as Record<string, unknown>),
  };
}

/**
 * `data.previous`: the earlier values of exactly the fields that changed (Stripe's
 * previous_attributes); empty when the event changed nothing (an older event lost to the guard).
 */
export function changedFields(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(before)) {
    if (NOT_A_CHANGE.has(name)) continue;
    const now = after[name];
    if (value === now) continue;
    if (value !== null && now !== null && typeof value === 'object' && JSON.stringify(value) === JSON.stringify(now)) continue;
    previous[name] = value;
  }
  return previous;
}

/** What an applied record change left: the row after it, and what it changed when the row existed. */
export interface RecordSnapshot {
  object: Record<string, unknown>;
  /** Absent when the change created the row. */
  previous?: Record<string, unknown>;
}

/** The snapshot of one upserted row from the upsert's own answer (see compileUpsert). */
export function snapshotOf(view: RecordView, written: { row: Record<string, unknown> | null; old: Record<string, unknown> | null }): RecordSnapshot | null {
  const after = written.row ?? written.old;
  if (!after) return null;
  const object = view.object(after);
  if (!written.old) return { object };
  return { object, previous: written.row ? changedFields(view.object(written.old), object) : {} };
}
