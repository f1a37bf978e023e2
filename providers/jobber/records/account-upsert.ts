import { sql } from 'drizzle-orm';
import { type Applied, compileUpsert, type Executor, recordAudit, refs, snapshotOf } from '../../../src/provider';
import { JOBBER_ITSELF } from '../audit';
import type { JobberAccountChange } from './changes';
import { jobberAccounts } from './tables';
import { jobberAccountView } from './views';

const { excluded, current } = refs;
const a = jobberAccounts;
const disconnecting = sql`${excluded(a.connectionState)} = 'disconnected'`;

const upsert = compileUpsert(jobberAccounts, {
  target: [a.accountId],
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

/**
 * APP_CONNECT / APP_DISCONNECT. A disconnect clears the tokens (the app lost its grant); a connect
 * keeps them (tokens only ever come from the OAuth callback). An older fact never wins.
 */
export async function applyJobberAccounts(tx: Executor, changes: readonly JobberAccountChange[]): Promise<Applied> {
  const written = await upsert(
    tx,
    changes.map((c) => ({ accountId: c.externalId, connectionState: c.state, stateAt: c.at })),
  );
  for (const w of written) {
    if (w.row.connection_state !== 'disconnected') continue;
    const target = String(w.row.account_id);
    await recordAudit(tx, { by: JOBBER_ITSELF, action: 'jobber.disconnect', target });
  }
  return { snapshots: written.map((w) => snapshotOf(jobberAccountView, w)) };
}
