import { getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { UpsertSpec } from './compiled-upsert';
import { keepUnlessGiven } from './sql';

/** Columns every record table has that an update never touches (recordKey + timestamps). */
const KEY_AND_TIMESTAMPS = new Set(['id', 'provider', 'externalId', 'createdAt', 'updatedAt']);

type RecordTable = PgTable & { provider: PgColumn; externalId: PgColumn };

/**
 * The conflict clause by (provider, external_id) that fills in the existing row: every data column
 * takes the incoming value when it has one and keeps the stored one otherwise. For records whose
 * events only ever add facts (no status that could move backwards), so replays and reorderings are
 * harmless. Compile it with compileUpsert.
 */
export function keepingGiven(table: RecordTable): UpsertSpec {
  const dataColumns = Object.fromEntries(
    Object.entries(getTableColumns(table)).filter(([key]) => !KEY_AND_TIMESTAMPS.has(key)),
  ) as Record<string, PgColumn>;
  return {
    target: [table.provider, table.externalId],
    set: { ...keepUnlessGiven(table, dataColumns), updatedAt: sql`now()` },
  };
}
