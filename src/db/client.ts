import type * as PgliteModule from '@electric-sql/pglite';
import type * as DrizzlePgliteModule from 'drizzle-orm/pglite';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { Pool } from 'pg';
import type { Logger } from 'winston';
import { makePrivateDir, tightenTree } from './private-dir';
import { acquireEmbeddedLock } from './embedded-lock';
import { pooledTransaction } from './pooled-transaction';
import * as schema from './schema';
import { errorMessage } from '../errors/error-message';

/** The database: runs statements and opens transactions. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/**
 * The one handle for code that runs statements: the database or a transaction, both have these.
 * Only code that opens a transaction itself takes Db.
 */
export type Executor = Pick<Db, 'execute' | 'select' | 'insert' | 'update' | 'delete'>;
export type DatabaseDriver = 'postgres' | 'pglite';

export interface Database {
  driver: DatabaseDriver;
  /**
   * Whether a commit survives a power loss or an OS crash. PGlite runs with fsync off and its Node
   * file layer never syncs: a commit survives a process crash (kill -9), not a power loss.
   */
  durable: boolean;
  db: Db;
  /** Whether a PostgreSQL backend (by pid) is one of this database handle's own connections. */
  ownsBackend(pid: number): boolean;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  /** Directory of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize: number;
  timeoutMs: number;
  logger: Logger;
}

/** PostgreSQL through `pg` when a URL is given, otherwise the embedded PGlite under dataDir. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return { ...openPostgres(options.databaseUrl, options), durable: true };
  return openPglite(options.dataDir);
}

function openPostgres(url: string, options: DatabaseOptions): Omit<Database, 'durable'> {
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize,
    // Fail fast when the server is unreachable, so webhooks get 503 (and retry) instead of hanging.
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: Math.max(options.timeoutMs * 10, 30_000),
    application_name: 'hookport',
  });
  // A client losing its server emits 'error', and an 'error' nobody listens to ends the process. The
  // pool listens only while a client is idle; a checked-out client between two queries of a
  // transaction (the worker, a provider's token lock) needs its own listener. Its next query reports the error.
  const lost = (err: Error) => options.logger.warn('database connection lost', { error: errorMessage(err) });
  pool.on('connect', (client) => client.on('error', lost));
  // Backend pids of the pool's connections (pg sets processID on connect): see ownsBackend.
  const backends = new Set<number>();
  pool.on('connect', (client) => backends.add((client as unknown as { processID: number }).processID));
  pool.on('remove', (client) => backends.delete((client as unknown as { processID: number }).processID));
  // Idle clients' errors also reach the pool, already logged by the listener above.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  db.transaction = pooledTransaction(pool) as unknown as Db['transaction'];
  return {
    driver: 'postgres',
    db,
    ownsBackend: (pid) => backends.has(pid),
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  // Loaded only here: a process with DATABASE_URL never needs the embedded database's code.
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily, on purpose */
  const { PGlite: Embedded } = require('@electric-sql/pglite') as typeof PgliteModule;
  const { drizzle: drizzlePglite } = require('drizzle-orm/pglite') as typeof DrizzlePgliteModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const onDisk = !dataDir.includes('://');
  if (onDisk) makePrivateDir(dataDir);
  // Before PGlite touches the directory: a second opener corrupts it.
  const lock = onDisk ? acquireEmbeddedLock(dataDir) : undefined;
  let client: PGlite;
  try {
    client = await Embedded.create(dataDir);
    if (onDisk) tightenTree(dataDir);
  } catch (err) {
    lock?.release();
    throw err;
  }
  return {
    driver: 'pglite',
    durable: false,
    db: drizzlePglite({ client, schema }) as unknown as Db,
    ownsBackend: () => false, // one process, no other backends
    close: async () => {
      await client.close();
      // Only once PGlite has flushed and let go; if close fails, the lock goes when the process exits.
      lock?.release();
    },
  };
}
