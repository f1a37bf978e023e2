import { existsSync } from 'node:fs';
import type { Config } from '../config/config';
import type { AnyProvider } from '../contract/provider';
import { openDatabase } from '../db/client';
import { embeddedLockHolder } from '../db/embedded-lock';
import { errorMessage } from '../errors/error-message';
import { createLogger } from '../log/logger';
import { scrub } from './scrub';

/** Why the database cannot be read here without harm, if so (the embedded one admits one process). */
function unreadable(config: Config): string | undefined {
  if (config.databaseUrl) return undefined;
  if (config.dataDir.includes('://')) return 'the embedded database is in memory: nothing is stored';
  if (!existsSync(config.dataDir)) return `${config.dataDir} does not exist yet`;
  if (embeddedLockHolder(config.dataDir))
    return "the running server holds the embedded database: see the console's page";
  return undefined;
}

/**
 * The lines configured providers contribute (`setupCheck`), each prefixed with the provider's name;
 * the database is opened as is (no migrations: a check changes nothing) and closed after.
 */
export async function providerSetupLines(config: Config, providers: AnyProvider[]): Promise<string[]> {
  const checking = providers.filter((p) => p.setupCheck && p.createVerifier(config));
  if (checking.length === 0) return [];
  const reason = unreadable(config);
  if (reason) return checking.map((p) => `  ${p.name}: setup not checked: ${reason}`);
  const logger = createLogger('error', true);
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: 1,
      timeoutMs: config.database.timeoutMs,
      logger,
    });
  } catch (err) {
    return checking.map((p) => `  ${p.name}: setup not checked: ${scrub(errorMessage(err), config)}`);
  }
  const lines: string[] = [];
  try {
    for (const p of checking) {
      try {
        const own = await p.setupCheck!({ config, db: database.db, logger });
        lines.push(...own.map((line) => `  ${p.name}: ${scrub(line, config)}`));
      } catch (err) {
        lines.push(`  ${p.name}: setup not checked: ${scrub(errorMessage(err), config)}`);
      }
    }
  } finally {
    await database.close();
  }
  return lines;
}
