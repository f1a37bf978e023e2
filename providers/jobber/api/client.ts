import { type Config, configuredSecrets, type Db, DeferError, scrubSecrets } from '../../../src/provider';
import { errorCode, type TokenSet } from '../oauth/token-endpoint';
import { retryAfterMs, throttleDelayMs, type QueryCost } from './throttle';
import { accountTokens, refreshAccountTokens } from '../oauth/tokens';
import { jobberSettings } from '../settings';

export interface JobberApiDeps {
  config: Config;
  db: Db;
}

/** `cost`: Jobber's query-cost extension, when it sent one (the import paces itself by it). */
export type QueryResult<T> = { status: 'ok'; data: T; cost?: QueryCost } | { status: 'no_token' };

interface GraphqlError {
  message?: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

interface GraphqlBody<T> {
  data?: T | null;
  errors?: GraphqlError[];
  extensions?: { cost?: QueryCost };
}

export interface AnswerOptions {
  /**
   * The top-level field that may be missing (`client`, `job`, `invoice`). Jobber documents a missing
   * record as that field answering null; if it also answers an error that only says "not found" for
   * that field, the answer is still the data (the item null), not an error.
   */
  item?: string;
  /** Strings Jobber's error text must not carry into the error (the access token sent). */
  secrets?: readonly string[];
}

/**
 * Jobber's GraphQL API answered an error. `status` and `code` are safe to show anyone; the message
 * adds Jobber's own error text, scrubbed of secrets, for logs and operators.
 */
export class JobberApiError extends Error {
  override name = 'JobberApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }

  /** What a browser may see: the status and Jobber's error code, never Jobber's text. */
  get publicMessage(): string {
    return `Jobber API answered ${this.status}${this.code ? ` ${this.code}` : ''}`;
  }
}

const REQUEST_TIMEOUT_MS = 15_000;
/** Refresh a little before the stated expiry, so a token does not expire on the way. */
const EXPIRY_MARGIN_MS = 60_000;

export function post(
  config: Config,
  accessToken: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Response> {
  const { apiUrl, graphqlVersion } = jobberSettings.of(config);
  return fetch(apiUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'x-jobber-graphql-version': graphqlVersion,
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

const NOT_FOUND_CODES = new Set(['NOT_FOUND', 'RECORD_NOT_FOUND']);
const NOT_FOUND_MESSAGE = /\bnot found\b|could not be found|couldn't find|could not find|does not exist|doesn't exist/i;

/** An error that only says `item` does not exist (no path, or the path is the item itself). */
function itemNotFound(error: GraphqlError, item: string): boolean {
  const onItem = !error.path || (error.path.length === 1 && error.path[0] === item);
  const code = error.extensions?.code;
  return (
    onItem &&
    ((code !== undefined && NOT_FOUND_CODES.has(code)) ||
      (code === undefined && NOT_FOUND_MESSAGE.test(error.message ?? '')))
  );
}

/** Turns Jobber's answer into data, a deferral (throttled) or an error that names no secret. */
export async function readAnswer<T>(response: Response, options: AnswerOptions = {}): Promise<T> {
  return (await readCostedAnswer<T>(response, options)).data;
}

/** readAnswer, with the query-cost extension of the answer. */
async function readCostedAnswer<T>(response: Response, options: AnswerOptions): Promise<{ data: T; cost?: QueryCost }> {
  if (response.status === 429)
    throw new DeferError('Jobber answered 429 Too Many Requests', retryAfterMs(response.headers.get('retry-after')));
  const body = (await response.json().catch(() => null)) as GraphqlBody<T> | null;
  const errors = body?.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
    throw new DeferError('Jobber throttled the query (THROTTLED)', throttleDelayMs(body?.extensions?.cost));
  }
  const { item } = options;
  const missing =
    item !== undefined &&
    response.ok &&
    errors.length > 0 &&
    body?.data != null &&
    (body.data as Record<string, unknown>)[item] == null &&
    errors.every((e) => itemNotFound(e, item));
  const cost = body?.extensions?.cost;
  if (missing) return { data: body.data!, cost };
  if (!response.ok || errors.length > 0 || !body?.data) {
    const messages = scrubSecrets(
      errors.map((e) => e.message ?? e.extensions?.code ?? 'error').join('; '),
      options.secrets ?? [],
    );
    throw new JobberApiError(
      `Jobber API answered ${response.status}${messages ? `: ${messages.slice(0, 500)}` : ' without data'}`,
      response.status,
      errorCode(errors.find((e) => e.extensions?.code)?.extensions?.code),
    );
  }
  return { data: body.data, cost };
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
  answer: AnswerOptions = {},
): Promise<QueryResult<T>> {
  const { config, db } = deps;
  let tokens: TokenSet | null = await accountTokens(config, db, accountId);
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
  const secrets = [tokens.accessToken, ...configuredSecrets(config)];
  return { status: 'ok', ...(await readCostedAnswer<T>(response, { ...answer, secrets })) };
}
