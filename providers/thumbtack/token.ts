import { type Config, type Db, HookportError } from '../../src/provider';
import { connectedAccessToken } from './oauth/tokens';
import { thumbtackSettings } from './settings';

export type TokenSource = 'connected account' | 'THUMBTACK_ACCESS_TOKEN';

export const CONNECT_PATH = '/oauth/thumbtack/connect';

/** What to set when there is no token, for the 503 and the CLI. */
export const NO_TOKEN_MESSAGE =
  `connect a Thumbtack account at ${CONNECT_PATH} (set THUMBTACK_CLIENT_ID and THUMBTACK_CLIENT_SECRET), ` +
  'or set THUMBTACK_ACCESS_TOKEN (an OAuth access token with supply::webhooks scopes)';

/**
 * The token webhook management uses: a connected account's first (it is refreshed; a pasted token
 * expires), else THUMBTACK_ACCESS_TOKEN.
 */
export async function managementToken(config: Config, db: Db): Promise<{ token: string; source: TokenSource } | null> {
  const connected = await connectedAccessToken(config, db);
  if (connected) return { token: connected, source: 'connected account' };
  const { accessToken } = thumbtackSettings.of(config);
  return accessToken ? { token: accessToken, source: 'THUMBTACK_ACCESS_TOKEN' } : null;
}

/** One line saying which token is used, and that the other one is not. */
export function tokenSourceLine(config: Config, source: TokenSource | null): string {
  const envSet = Boolean(thumbtackSettings.of(config).accessToken);
  if (source === 'connected account') {
    return envSet
      ? 'API token: the connected account (THUMBTACK_ACCESS_TOKEN is set too and is not used)'
      : 'API token: the connected account';
  }
  if (source === 'THUMBTACK_ACCESS_TOKEN') return 'API token: THUMBTACK_ACCESS_TOKEN (no account connected)';
  return `API token: none: ${NO_TOKEN_MESSAGE}`;
}

export const notConfigured = (message: string) => new HookportError('provider_not_configured', message);
