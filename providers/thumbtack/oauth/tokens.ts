import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { type Config, type Db, type Executor, type SealedColumn, sealedLabel } from '../../../src/provider';
import { thumbtackConnection, type ConnectedBusiness } from '../tables';
import { refreshTokens, ThumbtackOAuthError, type TokenSet } from './token-endpoint';

/** The token columns, sealed with HOOKPORT_ENCRYPTION_KEY (declared for re-encryption). */
export const ACCESS_TOKEN: SealedColumn = { table: 'thumbtack_connection', key: 'id', column: 'access_token' };
export const REFRESH_TOKEN: SealedColumn = { table: 'thumbtack_connection', key: 'id', column: 'refresh_token' };

/** The one connection's key: Hookport connects one Thumbtack account. */
export const CONNECTION_ID = 'account';

/** A token expiring sooner than this is refreshed before it is used. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

const c = thumbtackConnection;
const sealed = (config: Config, tokens: TokenSet) => ({
  accessToken: config.secretBox.seal(sealedLabel(ACCESS_TOKEN), tokens.accessToken),
  refreshToken:
    tokens.refreshToken === null ? null : config.secretBox.seal(sealedLabel(REFRESH_TOKEN), tokens.refreshToken),
  tokenExpiresAt: tokens.expiresAt,
});

interface StoredRow {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

async function storedRow(db: Executor): Promise<StoredRow | null> {
  const [row] = await db
    .select({ accessToken: c.accessToken, refreshToken: c.refreshToken, expiresAt: c.tokenExpiresAt })
    .from(c)
    .where(and(eq(c.id, CONNECTION_ID), isNotNull(c.accessToken)));
  return row?.accessToken ? { ...row, accessToken: row.accessToken } : null;
}

const opened = (config: Config, row: StoredRow): TokenSet => ({
  accessToken: config.secretBox.open(sealedLabel(ACCESS_TOKEN), row.accessToken),
  refreshToken: row.refreshToken === null ? null : config.secretBox.open(sealedLabel(REFRESH_TOKEN), row.refreshToken),
  expiresAt: row.expiresAt,
});

/** The OAuth callback: this account is connected now, with these tokens and businesses. */
export async function storeConnection(
  config: Config,
  db: Executor,
  tokens: TokenSet,
  businesses: ConnectedBusiness[],
): Promise<void> {
  const values = { ...sealed(config, tokens), businesses, connectedAt: new Date() };
  await db
    .insert(c)
    .values({ id: CONNECTION_ID, ...values })
    .onConflictDoUpdate({ target: c.id, set: { ...values, updatedAt: sql`now()` } });
}

/** Forgets the tokens (and the businesses they reached); true when there was a connection. */
export async function disconnect(db: Executor): Promise<boolean> {
  const cleared = await db
    .update(c)
    .set({ accessToken: null, refreshToken: null, tokenExpiresAt: null, businesses: [], updatedAt: sql`now()` })
    .where(and(eq(c.id, CONNECTION_ID), isNotNull(c.accessToken)))
    .returning({ id: c.id });
  return cleared.length > 0;
}

export interface ConnectionStatus {
  connected: boolean;
  businesses: ConnectedBusiness[];
  connectedAt: Date | null;
  tokenExpiresAt: Date | null;
}

export async function connectionStatus(db: Executor): Promise<ConnectionStatus> {
  const [row] = await db
    .select({
      connected: sql<boolean>`${c.accessToken} is not null`,
      businesses: c.businesses,
      connectedAt: c.connectedAt,
      tokenExpiresAt: c.tokenExpiresAt,
    })
    .from(c)
    .where(eq(c.id, CONNECTION_ID));
  if (!row?.connected) return { connected: false, businesses: [], connectedAt: null, tokenExpiresAt: null };
  return row;
}

/** Refreshes under way in this process, by database: concurrent callers share one. */
const refreshing = new WeakMap<Db, Promise<string | null>>();

/**
 * The connected account's access token, refreshed first when it expires within REFRESH_MARGIN_MS;
 * null when no account is connected (or its grant is gone).
 */
export async function connectedAccessToken(config: Config, db: Db): Promise<string | null> {
  const row = await storedRow(db);
  if (!row) return null;
  const tokens = opened(config, row);
  if (!tokens.expiresAt || tokens.expiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
  if (!tokens.refreshToken) return tokens.accessToken; // nothing to refresh with: use it while it lasts
  const running = refreshing.get(db);
  if (running) return running;
  const started = refresh(config, db, row, tokens.refreshToken).finally(() => refreshing.delete(db));
  refreshing.set(db, started);
  return started;
}

/**
 * Swaps the refresh token, storing the new tokens only if the row still holds the one swapped (the
 * sealed text as read): another process that refreshed first wins, and its tokens are used. Only
 * `invalid_grant` for the refresh token still stored clears the connection.
 */
async function refresh(config: Config, db: Db, row: StoredRow, refreshToken: string): Promise<string | null> {
  const still = row.refreshToken === null ? sql`${c.refreshToken} is null` : eq(c.refreshToken, row.refreshToken);
  let fresh: TokenSet;
  try {
    fresh = await refreshTokens(config, refreshToken);
  } catch (err) {
    if (!(err instanceof ThumbtackOAuthError) || err.code !== 'invalid_grant') throw err;
    const cleared = await db
      .update(c)
      .set({ accessToken: null, refreshToken: null, tokenExpiresAt: null, updatedAt: sql`now()` })
      .where(and(eq(c.id, CONNECTION_ID), still))
      .returning({ id: c.id });
    if (cleared.length > 0) return null;
    const now = await storedRow(db);
    return now ? opened(config, now).accessToken : null;
  }
  const next: TokenSet = { ...fresh, refreshToken: fresh.refreshToken ?? refreshToken };
  const stored = await db
    .update(c)
    .set({ ...sealed(config, next), updatedAt: sql`now()` })
    .where(and(eq(c.id, CONNECTION_ID), still))
    .returning({ id: c.id });
  if (stored.length > 0) return next.accessToken;
  const now = await storedRow(db);
  return now ? opened(config, now).accessToken : null;
}
