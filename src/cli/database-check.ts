import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import type { Config } from '../config/config';
import { openDatabase } from '../db/client';
import { embeddedLockHolder } from '../db/embedded-lock';
import { errorMessage } from '../errors/error-message';
import { createLogger } from '../log/logger';
import { scrub } from './scrub';

export interface DatabaseCheck {
  ok: boolean;
  /** One line for the operator, never a password. */
  detail: string;
}

const CHECK_TIMEOUT_MS = 3000;

async function checkPostgres(config: Config, url: string): Promise<DatabaseCheck> {
  const timeout = Math.min(config.database.timeoutMs, CHECK_TIMEOUT_MS);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeout, query_timeout: timeout });
  client.on('error', () => {}); // a connection lost after the check is not the check's failure
  const started = Date.now();
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true, detail: `PostgreSQL answers (${Date.now() - started} ms)` };
  } catch (err) {
    return { ok: false, detail: `PostgreSQL does not answer: ${scrub(errorMessage(err), config, [url])}` };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The embedded database is opened only when no process holds it: a second opener corrupts it, and
 * a server that holds it is the proof it opens.
 */
async function checkEmbedded(config: Config): Promise<DatabaseCheck> {
  const dir = config.dataDir;
  if (dir.includes('://')) return { ok: true, detail: `embedded database in memory (${dir}): nothing to check` };
  if (!existsSync(dir))
    return { ok: true, detail: `embedded database: ${dir} does not exist yet (start-up creates it)` };
  const holder = embeddedLockHolder(dir);
  if (holder) {
    const who = holder.owner ? `pid ${holder.owner.pid} on ${holder.owner.hostname}` : 'the lock file is unreadable';
    return { ok: true, detail: `embedded database in ${dir}: held by the running server (${who})` };
  }
  const started = Date.now();
  try {
    const database = await openDatabase({
      databaseUrl: undefined,
      dataDir: dir,
      poolSize: 1,
      timeoutMs: config.database.timeoutMs,
      logger: createLogger('error', true),
    });
    try {
      await database.db.execute(sql`select 1`);
    } finally {
      await database.close();
    }
    return {
      ok: true,
      detail: `embedded database in ${dir} opens (${Date.now() - started} ms); not durable against a power loss`,
    };
  } catch (err) {
    return { ok: false, detail: `embedded database in ${dir} does not open: ${scrub(errorMessage(err), config)}` };
  }
}

export function checkDatabase(config: Config): Promise<DatabaseCheck> {
  return config.databaseUrl ? checkPostgres(config, config.databaseUrl) : checkEmbedded(config);
}
