import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';

/** One stored secret: its row and its text as stored (sealed or plain). */
export interface StoredValue {
  id: string;
  stored: string;
}

/** A place where Hookport stores a secret, for the passes that seal and re-seal every one (reseal.ts). */
export interface SealedField {
  /** What the value is: the seal's label (its associated data). */
  label: string;
  /** Every value stored there, except those starting with `skipPrefix` (already under the first key). */
  read(db: Executor, skipPrefix: string | null): Promise<StoredValue[]>;
  /** Stores `to` in place of `from`, only if the row still holds `from` (a change meanwhile wins). */
  write(db: Executor, id: string, from: string, to: string): Promise<void>;
}

/**
 * A text column that holds a secret: `table.column`, rows named by `key`, and `where` (SQL, a
 * constant of the code) when only some rows hold one there (e.g. `kind = 'slack'`).
 */
export interface SealedColumn {
  table: string;
  key: string;
  column: string;
  where?: string;
  /** What its values are sealed as (default `table.column`); columns a value moves between share one. */
  label?: string;
}

/** The label a column's values are sealed with. */
export const sealedLabel = (c: SealedColumn): string => c.label ?? `${c.table}.${c.column}`;

/** The SealedField of a text column. Names are the code's constants, never input. */
export function columnField(c: SealedColumn): SealedField {
  const table = sql.identifier(c.table);
  const key = sql.identifier(c.key);
  const column = sql.identifier(c.column);
  const only = c.where ? sql`and (${sql.raw(c.where)})` : sql``;
  return {
    label: sealedLabel(c),
    read: (db, skipPrefix) =>
      queryRows<StoredValue>(
        db,
        sql`select ${key}::text as id, ${column} as stored from ${table}
          where ${column} is not null ${only} ${skipPrefix === null ? sql`` : sql`and not starts_with(${column}, ${skipPrefix})`}`,
      ),
    write: async (db, id, from, to) => {
      await db.execute(sql`update ${table} set ${column} = ${to} where ${key}::text = ${id} and ${column} = ${from}`);
    },
  };
}
