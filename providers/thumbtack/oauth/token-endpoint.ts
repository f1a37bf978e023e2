import { type Config, configuredSecrets, scrubSecrets } from '../../../src/provider';
import { thumbtackSettings } from '../settings';

/** An access token, its refresh token, and when the access token expires (null: unknown). */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

/**
 * Thumbtack's token endpoint said no. The message is the status and the OAuth error code only, safe
 * to show; `detail` is Thumbtack's own text, scrubbed, for the log.
 */
export class ThumbtackOAuthError extends Error {
  override name = 'ThumbtackOAuthError';
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

const errorCode = (value: unknown) =>
  typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(value) ? value : undefined;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * POST <THUMBTACK_OAUTH_URL>/token, the client authenticated with HTTP Basic (RFC 6749 2.3.1, the
 * method every OAuth server must accept); Thumbtack's docs do not confirm the path or the method.
 */
async function tokenRequest(config: Config, params: Record<string, string>): Promise<TokenSet> {
  const { clientId, clientSecret, oauthUrl } = thumbtackSettings.of(config);
  if (!clientId || !clientSecret) {
    throw new ThumbtackOAuthError('set THUMBTACK_CLIENT_ID and THUMBTACK_CLIENT_SECRET', 503);
  }
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  let response: Response;
  try {
    response = await fetch(`${oauthUrl}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause ?? (err as Error);
    const detail = scrubSecrets(cause.message, [...configuredSecrets(config), ...Object.values(params), basic]);
    throw new ThumbtackOAuthError("Thumbtack's token endpoint did not answer", 0, undefined, detail);
  }
  const text = await response.text().catch(() => '');
  const body = parseJson(text) as Record<string, unknown> | null;
  if (!response.ok) {
    const code = errorCode(body?.error);
    const detail = scrubSecrets(text, [...configuredSecrets(config), ...Object.values(params), basic]).slice(0, 300);
    throw new ThumbtackOAuthError(
      `Thumbtack's token endpoint answered ${response.status}${code ? ` ${code}` : ''}`,
      response.status,
      code,
      detail,
    );
  }
  const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn } = body ?? {};
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new ThumbtackOAuthError("Thumbtack's token endpoint answered without an access_token", 502);
  }
  return {
    accessToken,
    refreshToken: typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : null,
    expiresAt: typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null,
  };
}

export const exchangeCode = (config: Config, code: string, redirectUri: string) =>
  tokenRequest(config, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });

export const refreshTokens = (config: Config, refreshToken: string) =>
  tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken });
