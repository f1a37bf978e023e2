import type { Logger } from 'winston';
import type { Config } from '../config/config';
import { openDatabase, type Db } from '../db/client';
import { migrate } from '../db/migrate';

/**
 * Runs `run` on the database the settings name, opened as start-up opens it (migrations applied)
 * with a small pool, and closes it after, for commands that work on the database directly.
 */
export async function withDatabase<T>(config: Config, logger: Logger, run: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    timeoutMs: config.database.timeoutMs,
    logger,
  });
  try {
    await migrate(database.db);
    return await run(database.db);
  } finally {
    await database.close();
  }
}
