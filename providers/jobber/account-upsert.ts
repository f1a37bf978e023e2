import { sql } from 'drizzle-orm';
import type { Transaction } from '../../src/db/client';
import { refs } from '../../src/records/sql';
import type { JobberAccountChange } from './changes';
import { jobberAccounts } from './tables';

const { excluded, current } = refs;

/**
 * APP_CONNECT / APP_DISCONNECT. A disconnect clears the tokens (the app lost its grant); a connect
 * keeps them (tokens only ever come from the OAuth callback). An older fact never wins.
 */
export async function applyJobberAccount(tx: Pick<Transaction, 'insert'>, change: JobberAccountChange): Promise<void> {
  const a = jobberAccounts;
  const disconnecting = sql`${excluded(a.connectionState)} = 'disconnected'`;
  await tx
    .insert(jobberAccounts)
    .values({ accountId: change.externalId, connectionState: change.state, stateAt: change.at })
    .onConflictDoUpdate({
      target: a.accountId,
      set: {
        connectionState: sql`${excluded(a.connectionState)}`,
        stateAt: sql`${excluded(a.stateAt)}`,
        accessToken: sql`case when ${disconnecting} then null else ${current(a, a.accessToken)} end`,
        refreshToken: sql`case when ${disconnecting} then null else ${current(a, a.refreshToken)} end`,
        tokenExpiresAt: sql`case when ${disconnecting} then null else ${current(a, a.tokenExpiresAt)} end`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${current(a, a.stateAt)} <= ${excluded(a.stateAt)}`,
    });
}
