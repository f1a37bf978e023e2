import { and, eq, isNotNull, sql } from 'drizzle-orm';
import {
  compileUpsert,
  type Config,
  type Db,
  type Executor,
  type SealedColumn,
  sealedLabel,
  takeGiven,
} from '../../../src/provider';
import { jobberAccounts } from '../records/tables';
import { JobberOAuthError, refreshTokens, type TokenSet } from './token-endpoint';

/** The token columns, sealed with HOOKPORT_ENCRYPTION_KEY (the provider declares them for re-encryption). */
export const ACCESS_TOKEN: SealedColumn = { table: 'jobber_accounts', key: 'account_id', column: 'access_token' };
export const REFRESH_TOKEN: SealedColumn = { table: 'jobber_accounts', key: 'account_id', column: 'refresh_token' };

interface StoredTokens {
  accessToken: string | null;
  refreshToken: string | null;
  expiresAt: Date | null;
}

/** Stored tokens opened (throws the kit's SecretUnreadableError when no configured key opens them). */
const opened = (config: Config, row: StoredTokens & { accessToken: string }): TokenSet => ({
  accessToken: config.secretBox.open(sealedLabel(ACCESS_TOKEN), row.accessToken),
  refreshToken: row.refreshToken === null ? null : config.secretBox.open(sealedLabel(REFRESH_TOKEN), row.refreshToken),
  expiresAt: row.expiresAt,
});

/** Tokens as they are stored: sealed. */
const sealed = (config: Config, tokens: TokenSet) => ({
  accessToken: config.secretBox.seal(sealedLabel(ACCESS_TOKEN), tokens.accessToken),
  refreshToken:
    tokens.refreshToken === null ? null : config.secretBox.seal(sealedLabel(REFRESH_TOKEN), tokens.refreshToken),
  tokenExpiresAt: tokens.expiresAt,
});

/** The account's tokens, or null when it has none (never connected, or disconnected). */
export async function accountTokens(config: Config, db: Db, accountId: string): Promise<TokenSet | null> {
  const [row] = await db
    .select({
      accessToken: jobberAccounts.accessToken,
      refreshToken: jobberAccounts.refreshToken,
      expiresAt: jobberAccounts.tokenExpiresAt,
    })
    .from(jobberAccounts)
    .where(and(eq(jobberAccounts.accountId, accountId), isNotNull(jobberAccounts.accessToken)));
  return row?.accessToken ? opened(config, { ...row, accessToken: row.accessToken }) : null;
}

const a = jobberAccounts;
/** A new connection replaces whatever the account's row held (tokens, state, name). */
const upsertConnection = compileUpsert(jobberAccounts, {
  target: [a.accountId],
  set: {
    ...takeGiven({
      name: a.name,
      connectionState: a.connectionState,
      stateAt: a.stateAt,
      accessToken: a.accessToken,
      refreshToken: a.refreshToken,
      tokenExpiresAt: a.tokenExpiresAt,
    }),
    updatedAt: sql`now()`,
  },
});

/** The OAuth callback: the account is connected now, with these tokens. */
export async function storeConnection(
  config: Config,
  db: Executor,
  accountId: string,
  name: string | null,
  tokens: TokenSet,
): Promise<void> {
  await upsertConnection(db, [
    {
      accountId,
      name,
      connectionState: 'connected',
      stateAt: new Date(),
      ...sealed(config, tokens),
    },
  ]);
}

const sameTokens = (a: TokenSet, b: TokenSet) => a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;

/** Refreshes under way in this process, by account: concurrent callers share one. */
const refreshing = new Map<string, Promise<TokenSet | null>>();

/**
 * Tokens Jobber issued that the database has not confirmed storing, by account, with the refresh
 * token they replace. Jobber rotates refresh tokens: if the database goes away between its answer
 * and the commit, the stored refresh token is already spent, and without this copy the account
 * would have to connect again. The next refresh stores these instead of asking Jobber.
 */
const unsaved = new Map<string, { replaces: string; tokens: TokenSet }>();

/**
 * Swaps the refresh token for new tokens and stores them, one refresh per account at a time.
 * Jobber may rotate refresh tokens: a second refresh with the same token would be refused and must
 * not clear what the first stored. In one process, concurrent callers share the refresh under way.
 * With PostgreSQL, other processes may refresh too: the account's row is locked (`select … for
 * update`) for the whole exchange, and a caller that waited finds the tokens it read (`stale`)
 * replaced and uses the stored ones without calling Jobber. The embedded database serves one
 * process, and a transaction held across the HTTP call would stall every other query there (webhook
 * inserts included), so it takes no lock. Only `invalid_grant` for the refresh token still stored
 * clears the tokens (the account must connect again); any other refusal (e.g. `invalid_client`) is
 * thrown and the event retries. Null means "no token".
 */
export function refreshAccountTokens(
  config: Config,
  db: Db,
  accountId: string,
  stale: TokenSet,
): Promise<TokenSet | null> {
  const running = refreshing.get(accountId);
  if (running) return running;
  const refresh = (
    config.databaseUrl ? refreshLocked(config, db, accountId, stale) : refreshExclusively(config, db, accountId, stale)
  )
    .then((tokens) => {
      // Committed: whatever was pending for the account is either stored now or superseded.
      unsaved.delete(accountId);
      return tokens;
    })
    .finally(() => refreshing.delete(accountId));
  refreshing.set(accountId, refresh);
  return refresh;
}

/** The refresh under the account's row lock: exclusive across processes sharing PostgreSQL. */
export const refreshLocked = (config: Config, db: Db, accountId: string, stale: TokenSet) =>
  db.transaction((tx) => refreshExclusively(config, tx, accountId, stale));

async function refreshExclusively(
  config: Config,
  tx: Executor,
  accountId: string,
  stale: TokenSet,
): Promise<TokenSet | null> {
  const [row] = await tx
    .select({
      accessToken: jobberAccounts.accessToken,
      refreshToken: jobberAccounts.refreshToken,
      expiresAt: jobberAccounts.tokenExpiresAt,
    })
    .from(jobberAccounts)
    .where(eq(jobberAccounts.accountId, accountId))
    .for('update');
  if (!row?.accessToken) return null; // disconnected meanwhile
  const stored = opened(config, { ...row, accessToken: row.accessToken });
  if (!sameTokens(stored, stale)) return stored; // refreshed (or reconnected) by someone else meanwhile
  if (!stored.refreshToken) return null;
  const pending = unsaved.get(accountId);
  if (pending?.replaces === stored.refreshToken) return storeRefreshed(config, tx, accountId, pending.tokens);
  let fresh: TokenSet;
  try {
    fresh = await refreshTokens(config, stored.refreshToken);
  } catch (err) {
    if (!(err instanceof JobberOAuthError) || err.code !== 'invalid_grant') throw err;
    await tx
      .update(jobberAccounts)
      .set({ accessToken: null, refreshToken: null, tokenExpiresAt: null, updatedAt: sql`now()` })
      // The stored text, as read: sealing again would give other bytes.
      .where(and(eq(jobberAccounts.accountId, accountId), eq(jobberAccounts.refreshToken, row.refreshToken!)));
    return null;
  }
  const next: TokenSet = { ...fresh, refreshToken: fresh.refreshToken ?? stored.refreshToken };
  unsaved.set(accountId, { replaces: stored.refreshToken, tokens: next });
  return storeRefreshed(config, tx, accountId, next);
}

async function storeRefreshed(config: Config, tx: Executor, accountId: string, next: TokenSet): Promise<TokenSet> {
  await tx
    .update(jobberAccounts)
    .set({ ...sealed(config, next), updatedAt: sql`now()` })
    .where(eq(jobberAccounts.accountId, accountId));
  return next;
}
