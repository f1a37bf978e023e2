import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { openDatabase } from '../../src/db/client';
import { findMigrationsFolder, migrate } from '../../src/db/migrate';
import { queryRows } from '../../src/db/rows';
import { createLogger } from '../../src/log/logger';
import { createPostgresDatabase, databaseKinds, OPEN_TIMEOUT_MS, openHarness } from '../helpers/harness';

const migrationCount = readMigrationFiles({ migrationsFolder: findMigrationsFolder() }).length;

describe.each(databaseKinds())('migrations on %s', (kind) => {
  it(
    'a second migrate() finds nothing to do',
    async () => {
      const h = await openHarness(kind);
      try {
        expect(await migrate(h.runtime.database.db)).toEqual([]);
        expect(await h.rows(sql`select count(*)::int as n from hookport_migrations`)).toEqual([{ n: migrationCount }]);
      } finally {
        await h.close();
      }
    },
    OPEN_TIMEOUT_MS,
  );
});

(databaseKinds().includes('postgres') ? it : it.skip)(
  'two instances migrating a fresh PostgreSQL database at once both succeed, applying each migration once',
  async () => {
    const fresh = await createPostgresDatabase();
    const open = () =>
      openDatabase({
        databaseUrl: fresh.url,
        dataDir: 'unused',
        poolSize: 2,
        timeoutMs: 3000,
        logger: createLogger('error', true),
      });
    const [a, b] = await Promise.all([open(), open()]);
    try {
      const [fromA, fromB] = await Promise.all([migrate(a.db), migrate(b.db)]);
      expect([fromA.length, fromB.length].sort()).toEqual([0, migrationCount]);
      const counts = await queryRows<{ migrations: number; inbox_tables: number }>(
        a.db,
        sql`select (select count(*)::int from hookport_migrations) as migrations,
                   (select count(*)::int from pg_tables where tablename = 'webhook_events') as inbox_tables`,
      );
      expect(counts).toEqual([{ migrations: migrationCount, inbox_tables: 1 }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await fresh.drop();
    }
  },
);
