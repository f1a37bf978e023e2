import { getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { keepUnlessGiven } from './sql';

/** Columns every record table has that an update never touches (recordKey + timestamps). */
const KEY_AND_TIMESTAMPS = new Set(['id', 'provider', 'externalId', 'createdAt', 'updatedAt']);

type RecordTable = PgTable & { provider: PgColumn; externalId: PgColumn };

/**
 * Inserts a row by (provider, external_id), or fills in the existing one: every data column takes
 * the incoming value when it has one and keeps the stored one otherwise. For records whose events
 * only ever add facts (no status that could move backwards), so replays and reorderings are harmless.
 */
export async function upsertKeepingGiven<T extends RecordTable>(
  tx: Pick<Db, 'insert'>,
  table: T,
  values: T['$inferInsert'],
): Promise<void> {
  const dataColumns = Object.fromEntries(
    Object.entries(getTableColumns(table)).filter(([key]) => !KEY_AND_TIMESTAMPS.has(key)),
  ) as Record<string, PgColumn>;
  // Every key is a column of T; the generic table type just cannot show it.
  const set = { ...keepUnlessGiven(table, dataColumns), updatedAt: sql`now()` } as PgUpdateSetSource<T>;
  await tx
    .insert(table)
    .values(values)
    .onConflictDoUpdate({
      target: [table.provider, table.externalId],
      set,
    });
}
