import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import * as schema from './schema';

type Transaction = NodePgDatabase<typeof schema>['transaction'];

/**
 * db.transaction over a pg Pool, with the pool client checked out and given back here.
 * drizzle-orm 0.45's own sends BEGIN before the try/finally that releases the client: a BEGIN on a
 * connection that died while idle (PostgreSQL restarted, a network cut) leaks that client for good,
 * and a few such leaks exhaust the pool, after which every webhook waits and gets 503
 * (drizzle-orm#6241, #6114, open). It also gives a failed transaction's client back as healthy.
 * Here the client is always released, and destroyed (release(err)) when the transaction failed:
 * its connection may be the reason.
 */
export function pooledTransaction(pool: Pool): Transaction {
  return (async (run: Parameters<Transaction>[0], config?: Parameters<Transaction>[1]) => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      // On one client, drizzle's transaction is BEGIN … COMMIT (ROLLBACK on error) and releases nothing.
      return await drizzlePg({ client, schema }).transaction(run, config);
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(failure);
    }
  }) as Transaction;
}
