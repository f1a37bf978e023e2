import type { Config } from '../../src/config';
import type { Db } from '../../src/db/client';
import { DeferError } from '../../src/provider';
import type { TokenSet } from './oauth';
import { retryAfterMs, throttleDelayMs, type QueryCost } from './throttle';
import { accountTokens, refreshAccountTokens } from './tokens';

export interface JobberApiDeps {
  config: Config;
  db: Db;
}

export type QueryResult<T> = { status: 'ok'; data: T } | { status: 'no_token' };

interface GraphqlBody<T> {
  data?: T | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
  extensions?: { cost?: QueryCost };
}

const REQUEST_TIMEOUT_MS = 15_000;
/** Refresh a little before the stated expiry, so a token does not expire on the way. */
const EXPIRY_MARGIN_MS = 60_000;

export function post(config: Config, accessToken: string, query: string, variables: Record<string, unknown>): Promise<Response> {
  return fetch(config.jobber.apiUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'x-jobber-graphql-version': config.jobber.graphqlVersion,
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/** Turns Jobber's answer into data, a deferral (throttled) or an error that names no secret. */
export async function readAnswer<T>(response: Response): Promise<T> {
  if (response.status === 429) throw new DeferError('Jobber answered 429 Too Many Requests', retryAfterMs(response.headers.get('retry-after')));
  const body = (await response.json().catch(() => null)) as GraphqlBody<T> | null;
  const errors = body?.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
    throw new DeferError('Jobber throttled the query (THROTTLED)', throttleDelayMs(body?.extensions?.cost));
  }
  if (!response.ok || errors.length > 0 || !body?.data) {
    const messages = errors.map((e) => e.message ?? e.extensions?.code ?? 'error').join('; ');
    throw new Error(`Jobber API answered ${response.status}${messages ? `: ${messages.slice(0, 500)}` : ' without data'}`);
  }
  return body.data;
}

/**
 * Runs one query as the account: refreshes an expired token first, and on a 401 refreshes once and
 * retries once. Throttling becomes a DeferError (the event waits, using up no attempt).
 */
export async function jobberQuery<T>(
  deps: JobberApiDeps,
  accountId: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<QueryResult<T>> {
  const { config, db } = deps;
  let tokens: TokenSet | null = await accountTokens(db, accountId);
  let refreshed = false;
  if (tokens?.expiresAt && tokens.expiresAt.getTime() <= Date.now() + EXPIRY_MARGIN_MS) {
    tokens = await refreshAccountTokens(config, db, accountId, tokens);
    refreshed = true;
  }
  if (!tokens) return { status: 'no_token' };
  let response = await post(config, tokens.accessToken, query, variables);
  if (response.status === 401 && !refreshed) {
    await response.body?.cancel();
    tokens = await refreshAccountTokens(config, db, accountId, tokens);
    if (!tokens) return { status: 'no_token' };
    response = await post(config, tokens.accessToken, query, variables);
  }
  if (response.status === 401) {
    await response.body?.cancel();
    throw new Error('Jobber refused the refreshed access token (401); reconnect the account at /oauth/jobber/connect');
  }
  return { status: 'ok', data: await readAnswer<T>(response) };
}
