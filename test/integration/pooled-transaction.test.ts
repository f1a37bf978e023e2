import { execFileSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client';
import { queryRows } from '../../src/db/rows';
import { createLogger } from '../../src/log/logger';
import { createPostgresDatabase, databaseKinds } from '../helpers/harness';

const hasPostgres = databaseKinds().includes('postgres');

/**
 * A pool connection that died while idle, noticed only when a transaction's BEGIN is sent on it
 * (PostgreSQL restarted, a network cut). drizzle-orm's own pooled transaction leaked such a client,
 * and with a pool of one the next transaction waited for a connection that never came back.
 */
(hasPostgres ? describe : describe.skip)('transactions on a pool connection that died while idle', () => {
  let database: Database;
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  beforeAll(async () => {
    target = await createPostgresDatabase();
    database = await openDatabase({
      databaseUrl: target.url,
      dataDir: 'memory://',
      poolSize: 1,
      timeoutMs: 2_000,
      logger: createLogger('error', true),
    });
  });
  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });

  it('gives the client back (destroyed) when BEGIN fails, so the pool serves the next transaction', async () => {
    const db = database.db;
    const [{ pid }] = (await queryRows<{ pid: number }>(db, sql`select pg_backend_pid() as pid`)) as [{ pid: number }];
    // Synchronous on purpose: the client learns its connection is gone only once the event loop runs
    // again, after BEGIN has been sent on it, as when a server dies between two transactions.
    const terminate = `const { Client } = require(${JSON.stringify(require.resolve('pg'))});
      const c = new Client({ connectionString: process.argv[1] });
      c.connect().then(() => c.query('select pg_terminate_backend(${Number(pid)})')).then(() => c.end());`;
    execFileSync(process.execPath, ['-e', terminate, target.url]);
    await expect(db.transaction((tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    expect(await db.transaction((tx) => queryRows(tx, sql`select 42 as n`))).toEqual([{ n: 42 }]);
    // A transaction that fails on its own (not the connection's fault) leaves the pool usable too.
    await expect(db.transaction((tx) => tx.execute(sql`select 1/0`))).rejects.toThrow();
    expect(await queryRows(db, sql`select 7 as n`)).toEqual([{ n: 7 }]);
  }, 30_000);
});
