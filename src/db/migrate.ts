import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db } from './client';
import { queryRows } from './rows';

/** Arbitrary constant: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 7_316_205_001;

/** migrations/ at the repository root, from src/db (ts-jest) or dist/src/db (built). */
export function findMigrationsFolder(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'migrations');
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no migrations/ folder found above ${from}`);
  }
}

/**
 * Applies drizzle-kit's SQL files that are not yet applied, all in one transaction under an
 * advisory lock: a second instance starting at the same time waits, then finds nothing to do.
 */
export async function migrate(db: Db, migrationsFolder = findMigrationsFolder()): Promise<string[]> {
  const migrations = readMigrationFiles({ migrationsFolder });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create table if not exists hookport_migrations (
      created_at bigint primary key,
      hash text not null,
      applied_at timestamptz not null default now()
    )`);
    const rows = await queryRows<{ last: string | null }>(
      tx,
      sql`select max(created_at)::text as last from hookport_migrations`,
    );
    const last = Number(rows[0]?.last ?? -1);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.folderMillis <= last) continue;
      for (const statement of migration.sql) {
        if (statement.trim() !== '') await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into hookport_migrations (created_at, hash) values (${migration.folderMillis}, ${migration.hash})`,
      );
      applied.push(migration.hash);
    }
    return applied;
  });
}
