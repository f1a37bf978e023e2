import { type Config, configuredSecrets, scrubSecrets } from '../../../src/provider';
import { jobberSettings } from '../settings';

/** An access token, its refresh token, and when the access token expires (null: unknown). */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

/**
 * Jobber's token endpoint said no. The message is only the status and Jobber's error code, safe to
 * show anyone; `detail` is Jobber's own text, scrubbed of secrets, for the log.
 */
export class JobberOAuthError extends Error {
  override name = 'JobberOAuthError';
  constructor(
    message: string,
    readonly status: number,
    /** The OAuth `error` code Jobber answered (`invalid_grant`, `invalid_client`, …), when it gave one. */
    readonly code?: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** An error code as OAuth and GraphQL spell them (`invalid_grant`, `THROTTLED`); anything else is not echoed. */
export function errorCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(value) ? value : undefined;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** Jobber's access tokens are JWTs; their `exp` is the expiry when the answer has no expires_in. */
function jwtExpiry(token: string): Date | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : null;
  } catch {
    return null;
  }
}

const DETAIL_CHARS = 300;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function tokenRequest(config: Config, params: Record<string, string>): Promise<TokenSet> {
  const { clientId, clientSecrets, oauthUrl } = jobberSettings.of(config);
  if (!clientId || clientSecrets.length === 0) {
    throw new JobberOAuthError('set JOBBER_CLIENT_ID and JOBBER_CLIENT_SECRET to talk to Jobber', 503);
  }
  const response = await fetch(`${oauthUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    // The first secret is the current one; the others only still verify webhooks during rotation.
    body: new URLSearchParams({ client_id: clientId, client_secret: clientSecrets[0]!, ...params }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text().catch(() => '');
  const body = parseJson(text);
  if (!response.ok) {
    // Jobber's error page may echo what it was sent (the code, the refresh token, the client secret).
    const code = errorCode(body && typeof body === 'object' ? (body as Record<string, unknown>).error : undefined);
    const detail = scrubSecrets(text, [...configuredSecrets(config), ...Object.values(params)]).slice(0, DETAIL_CHARS);
    throw new JobberOAuthError(
      `Jobber's token endpoint answered ${response.status}${code ? ` ${code}` : ''}`,
      response.status,
      code,
      detail,
    );
  }
  const {
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_in: expiresIn,
  } = (body ?? {}) as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new JobberOAuthError("Jobber's token endpoint answered without an access_token", 502);
  }
  return {
    accessToken,
    refreshToken: typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : null,
    expiresAt: typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : jwtExpiry(accessToken),
  };
}

export const exchangeCode = (config: Config, code: string, redirectUri: string) =>
  tokenRequest(config, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });

export const refreshTokens = (config: Config, refreshToken: string) =>
  tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken });
