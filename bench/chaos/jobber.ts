import { storeConnection } from '../../providers/jobber/oauth/tokens';
import type { Config } from '../../src/config/config';
import type { Db } from '../../src/db/client';
import type { FakeJobber } from '../../test/fakes/jobber';

/** How long the fake takes to answer a token refresh: the window in which the row lock is held. */
const GRANT_DELAY_MS = 1000;

/**
 * Connects the fake Jobber's account again every few seconds, with tokens Hookport believes have
 * expired: its next Jobber event refreshes them, holding the account's row lock (an open
 * transaction) across the token call, which the fake slows down, so faults land there too (issue 7,
 * defect 1). A store that fails while PostgreSQL is down is skipped. Returns a function that stops.
 */
export async function churnJobberTokens(fake: FakeJobber, config: Config, db: Db, everyMs = 5000): Promise<() => void> {
  fake.grantDelayMs = GRANT_DELAY_MS;
  const connect = async () => {
    try {
      const tokens = fake.issueTokens(3600);
      await storeConnection(config, db, fake.account.id, fake.account.name, {
        ...tokens,
        expiresAt: new Date(Date.now() - 1000),
      });
    } catch {
      // PostgreSQL is down: the next round connects it.
    }
  };
  await connect();
  const timer = setInterval(() => void connect(), everyMs);
  return () => clearInterval(timer);
}

/**
 * Resolves true as soon as Hookport calls the fake's token endpoint: from then on, for about
 * GRANT_DELAY_MS, a pooled connection sits idle inside the refresh transaction. False after `timeoutMs`.
 */
export async function tokenRefreshUnderWay(fake: FakeJobber, timeoutMs: number): Promise<boolean> {
  const before = fake.count('token');
  const deadline = Date.now() + timeoutMs;
  while (fake.count('token') === before) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
