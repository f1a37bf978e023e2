import { findPostgresBin, startPostgres } from './postgres';
import { startLogCapture } from './log-capture';

/**
 * Decides where the PostgreSQL half of the suite runs: DATABASE_URL when given, else a throwaway
 * server when the binaries exist, else nowhere (and says so). Workers read HOOKPORT_TEST_PG_URL.
 * Also starts the run's log capture, which global-teardown.ts scans for secrets.
 */
export default async function globalSetup(): Promise<void> {
  startLogCapture();
  if (process.env.DATABASE_URL) {
    process.env.HOOKPORT_TEST_PG_URL = process.env.DATABASE_URL;
    return;
  }
  if (!findPostgresBin()) {
    process.stdout.write(
      '\n*** PostgreSQL binaries not found: the PostgreSQL half of the suite is SKIPPED; only the embedded-database (PGlite) half runs. ***\n\n',
    );
    return;
  }
  const pg = await startPostgres();
  process.env.HOOKPORT_TEST_PG_URL = pg.url;
  (globalThis as { __hookportPg?: { destroy(): void } }).__hookportPg = pg;
}
