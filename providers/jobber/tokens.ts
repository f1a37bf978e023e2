import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Config } from '../../src/config';
import type { Db } from '../../src/db/client';
import { jobberAccounts } from '../../src/db/schema';
import { JobberOAuthError, refreshTokens, type TokenSet } from './oauth';

/** The account's tokens, or null when it has none (never connected, or disconnected). */
export async function accountTokens(db: Db, accountId: string): Promise<TokenSet | null> {
  const [row] = await db
    .select({ accessToken: jobberAccounts.accessToken, refreshToken: jobberAccounts.refreshToken, expiresAt: jobberAccounts.tokenExpiresAt })
    .from(jobberAccounts)
    .where(and(eq(jobberAccounts.accountId, accountId), isNotNull(jobberAccounts.accessToken)));
  return row?.accessToken ? { accessToken: row.accessToken, refreshToken: row.refreshToken, expiresAt: row.expiresAt } : null;
}

/** The OAuth callback: the account is connected now, with these tokens. */
export async function storeConnection(db: Db, accountId: string, name: string | null, tokens: TokenSet): Promise<void> {
  const values = {
    name,
    connectionState: 'connected' as const,
    stateAt: new Date(),
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenExpiresAt: tokens.expiresAt,
  };
  await db
    .insert(jobberAccounts)
    .values({ accountId, ...values })
    .onConflictDoUpdate({ target: jobberAccounts.accountId, set: { ...values, updatedAt: sql`now()` } });
}

/**
 * Swaps the refresh token for new tokens and stores them, unless another worker already did: the
 * write only lands while the row still holds the stale access token (compare-and-set, no lock held
 * across the HTTP call), and otherwise the other worker's tokens are used. A refresh token Jobber
 * no longer accepts clears the tokens: the account must connect again. Null means "no token".
 */
export async function refreshAccountTokens(config: Config, db: Db, accountId: string, stale: TokenSet): Promise<TokenSet | null> {
  if (!stale.refreshToken) return null;
  let fresh: TokenSet;
  try {
    fresh = await refreshTokens(config, stale.refreshToken);
  } catch (err) {
    if (!(err instanceof JobberOAuthError) || (err.status !== 400 && err.status !== 401)) throw err;
    const now = await accountTokens(db, accountId);
    if (now && now.accessToken !== stale.accessToken) return now;
    await db
      .update(jobberAccounts)
      .set({ accessToken: null, refreshToken: null, tokenExpiresAt: null, updatedAt: sql`now()` })
      .where(and(eq(jobberAccounts.accountId, accountId), eq(jobberAccounts.accessToken, stale.accessToken)));
    return null;
  }
  const updated = await db
    .update(jobberAccounts)
    .set({
      accessToken: fresh.accessToken,
      refreshToken: fresh.refreshToken ?? stale.refreshToken,
      tokenExpiresAt: fresh.expiresAt,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobberAccounts.accountId, accountId), eq(jobberAccounts.accessToken, stale.accessToken)))
    .returning({ accountId: jobberAccounts.accountId });
  return updated.length > 0 ? { ...fresh, refreshToken: fresh.refreshToken ?? stale.refreshToken } : accountTokens(db, accountId);
}
