import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { jobberSchema, validateJobberQuery } from './jobber-schema';
import { readJobberApiFixture } from './jobber-fixtures';
import { registerSecret } from '../helpers/log-capture';

type Family = 'client' | 'job' | 'invoice';
type Json = Record<string, unknown>;

export interface FakeTokens {
  accessToken: string;
  refreshToken: string;
}

/** Jobber's documented bucket: 10,000 points, restored at 500 a second. */
const DEFAULT_BUCKET = { maximumAvailable: 10_000, restoreRate: 500 };

/** The value of an argument as the query gives it (a literal, or a variable's value). */
function argValue(node: ValueNode, variables: Json): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/**
 * A query's cost as Jobber (and Shopify) compute it before running it: one point per object or
 * connection field, the records of a connection counted `first` times.
 */
export function queryCost(selections: SelectionSetNode | undefined, variables: Json, multiplier = 1): number {
  let cost = 0;
  for (const selection of selections?.selections ?? []) {
    if (selection.kind !== Kind.FIELD || !selection.selectionSet) continue;
    const firstArg = selection.arguments?.find((a) => a.name.value === 'first');
    const first = firstArg ? Number(argValue(firstArg.value, variables) ?? 1) : undefined;
    if (first === undefined) {
      cost += multiplier * (1 + queryCost(selection.selectionSet, variables));
      continue;
    }
    // A connection: its nodes (or edges) count `first` times, its pageInfo once.
    let inner = 1;
    for (const child of selection.selectionSet.selections) {
      if (child.kind !== Kind.FIELD || !child.selectionSet) continue;
      const times = child.name.value === 'nodes' || child.name.value === 'edges' ? first : 1;
      inner += times * (1 + queryCost(child.selectionSet, variables));
    }
    cost += multiplier * inner;
  }
  return cost;
}

/** A token shaped like Jobber's (a JWT whose payload carries `exp`), with a random signature part. */
function jwtLike(exp: number): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ exp })}.${randomBytes(16).toString('base64url')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

interface ListArgs extends PageArgs {
  filter?: { updatedAt?: { after?: string } } | null;
  sort?: { key: string; direction: string }[] | null;
}

const cursorOf = (index: number) => Buffer.from(`cursor:${index}`).toString('base64');
const indexOf = (cursor: string) =>
  Number(/^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1] ?? NaN);

/** One page of a Relay connection over `all` (only `first`/`after`, which Hookport uses). */
function page(all: Json[], { first, after }: PageArgs) {
  const start = after ? indexOf(after) + 1 : 0;
  if (!Number.isInteger(start)) throw new GraphQLError(`invalid cursor ${after}`);
  const end = Math.min(all.length, first != null ? start + first : all.length);
  const nodes = all.slice(start, end);
  return {
    nodes,
    edges: nodes.map((node, i) => ({ node, cursor: cursorOf(start + i) })),
    totalCount: all.length,
    pageInfo: {
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? cursorOf(start) : null,
      endCursor: nodes.length > 0 ? cursorOf(end - 1) : null,
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/**
 * A local Jobber on 127.0.0.1: OAuth authorize (redirects back with a code) and token endpoints,
 * and a GraphQL endpoint that validates every query against Jobber's schema (400 with GraphQL errors
 * when invalid) and executes it against records loaded from test/fixtures/jobber/api. Refresh tokens
 * rotate (a used one answers invalid_grant); `grantDelayMs` slows successful token answers;
 * `forget` deletes a record (optionally answered with a NOT_FOUND error); invoice `jobs` is paged.
 */
export class FakeJobber {
  readonly clientId = 'hookport-test-client-id';
  readonly account: { id: string; name: string } = readJobberApiFixture('account') as { id: string; name: string };
  readonly records: Record<Family, Map<string, Json>> = { client: new Map(), job: new Map(), invoice: new Map() };
  /** Every request, for assertions: `graphql` (with the query's operation name) or `token` (with the grant). */
  readonly calls: {
    endpoint: 'graphql' | 'token';
    detail: string;
    authorization?: string;
    version?: string;
    variables?: Json;
  }[] = [];
  private readonly access = new Map<string, { accountId: string; exp: number }>();
  private readonly refresh = new Map<string, string>();
  private readonly codes = new Map<string, string>();
  /** Ids Jobber answers with the item null plus a NOT_FOUND error (see forget). */
  private readonly gone: Record<Family, Set<string>> = { client: new Set(), job: new Set(), invoice: new Set() };
  private throttled = 0;
  /** The cost bucket: points left at `at` (ms), restored continuously. */
  private bucket = { ...DEFAULT_BUCKET, available: DEFAULT_BUCKET.maximumAvailable, at: Date.now() };
  /** Called once a GraphQL answer is made, before it is sent: tests act while it travels. */
  beforeAnswer: ((operation: string, variables: Json) => Promise<void> | void) | undefined;
  /** The next answer of each endpoint is an error page echoing the request (see echoErrorNext). */
  private readonly echo: Partial<Record<'token' | 'graphql', { status: number; format: 'html' | 'json' }>> = {};
  /** How long a successful token answer takes (an invalid_grant answers at once). */
  grantDelayMs = 0;
  private server!: Server;
  url = '';

  constructor(readonly clientSecret: string) {
    this.reset();
  }

  /** Back to the fixtures: no tokens, codes, calls or throttling. */
  reset(): void {
    for (const family of ['client', 'job', 'invoice'] as const) {
      this.records[family].clear();
      this.gone[family].clear();
      this.put(family, readJobberApiFixture(family));
    }
    this.grantDelayMs = 0;
    this.calls.length = 0;
    this.access.clear();
    this.refresh.clear();
    this.codes.clear();
    this.throttled = 0;
    this.bucket = { ...DEFAULT_BUCKET, available: DEFAULT_BUCKET.maximumAvailable, at: Date.now() };
    this.beforeAnswer = undefined;
    delete this.echo.token;
    delete this.echo.graphql;
  }

  get apiUrl(): string {
    return `${this.url}/api/graphql`;
  }
  get oauthUrl(): string {
    return `${this.url}/api/oauth`;
  }
  /** The environment that points Hookport at this fake. */
  env(): Record<string, string> {
    return { JOBBER_CLIENT_ID: this.clientId, JOBBER_API_URL: this.apiUrl, JOBBER_OAUTH_URL: this.oauthUrl };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: Error) => send(res, 500, { message: err.message }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Hookport's fetch keeps connections alive; close them so nothing outlives the test file.
      this.server.closeAllConnections();
    });
  }

  /** Adds or replaces a record the API answers with. */
  put(family: Family, record: Json): void {
    this.records[family].set(String(record.id), record);
    this.gone[family].delete(String(record.id));
  }

  /**
   * Deletes a record. Jobber documents a missing record as the field answering null; with
   * `notFoundError` it also answers a NOT_FOUND error for that field, as some GraphQL servers do.
   */
  forget(family: Family, id: string, options: { notFoundError?: boolean } = {}): void {
    this.records[family].delete(id);
    if (options.notFoundError) this.gone[family].add(id);
  }

  /** Tokens for the account as if it had connected, the access token expiring in `expiresInSec`. */
  issueTokens(expiresInSec = 3600, accountId = this.account.id): FakeTokens {
    const accessToken = jwtLike(Math.floor(Date.now() / 1000) + expiresInSec);
    this.access.set(accessToken, { accountId, exp: Date.now() + expiresInSec * 1000 });
    const refreshToken = randomBytes(24).toString('base64url');
    registerSecret('Jobber access token (fake Jobber)', accessToken);
    registerSecret('Jobber refresh token (fake Jobber)', refreshToken);
    this.refresh.set(refreshToken, accountId);
    return { accessToken, refreshToken };
  }

  /** A bucket of `maximumAvailable` points restored at `restoreRate` a second, full now. */
  setBucket(maximumAvailable: number, restoreRate: number): void {
    this.bucket = { maximumAvailable, restoreRate, available: maximumAvailable, at: Date.now() };
  }

  /** Points in the bucket now. */
  available(): number {
    const b = this.bucket;
    return Math.min(b.maximumAvailable, b.available + ((Date.now() - b.at) / 1000) * b.restoreRate);
  }

  /** Charges `requested` points if the bucket holds them; the throttle status either way. */
  private charge(requested: number): {
    ok: boolean;
    status: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  } {
    const available = this.available();
    const ok = requested <= available;
    this.bucket = { ...this.bucket, available: ok ? available - requested : available, at: Date.now() };
    const { maximumAvailable, restoreRate } = this.bucket;
    return { ok, status: { maximumAvailable, restoreRate, currentlyAvailable: Math.floor(this.bucket.available) } };
  }

  /** The next `count` GraphQL requests answer THROTTLED. */
  throttleNext(count: number): void {
    this.throttled = count;
  }

  /**
   * The next request to `endpoint` is answered `status` with an error page that echoes what it was
   * sent, as careless servers do: the whole form (code, refresh token, client secret) for `token`, the
   * Authorization header for `graphql`; as HTML, or as JSON in the fields clients usually show.
   */
  echoErrorNext(endpoint: 'token' | 'graphql', status: number, format: 'html' | 'json'): void {
    this.echo[endpoint] = { status, format };
  }

  /** Answers the echoing error page if one is due for `endpoint`; true if it did. */
  private answerEcho(endpoint: 'token' | 'graphql', echoed: string[], res: ServerResponse): boolean {
    const echo = this.echo[endpoint];
    if (!echo) return false;
    delete this.echo[endpoint];
    const text = `request rejected: ${echoed.join(' ')}`;
    if (echo.format === 'html') {
      res
        .writeHead(echo.status, { 'content-type': 'text/html' })
        .end(`<html><body><h1>Error</h1><pre>${text}</pre></body></html>`);
    } else if (endpoint === 'token') {
      send(res, echo.status, { error: 'invalid_grant', error_description: text });
    } else {
      send(res, echo.status, { errors: [{ message: text, extensions: { code: 'FORBIDDEN' } }] });
    }
    return true;
  }

  count(endpoint: 'graphql' | 'token'): number {
    return this.calls.filter((c) => c.endpoint === endpoint).length;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/api/oauth/authorize') return this.authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/api/oauth/token')
      return this.token(new URLSearchParams(await readBody(req)), res);
    if (req.method === 'POST' && url.pathname === '/api/graphql') return this.graphql(req, await readBody(req), res);
    send(res, 404, { message: 'not found' });
  }

  /** Jobber's consent page, already approved: back to redirect_uri with a code and the same state. */
  private authorize(url: URL, res: ServerResponse): void {
    const redirect = url.searchParams.get('redirect_uri');
    if (
      url.searchParams.get('client_id') !== this.clientId ||
      !redirect ||
      url.searchParams.get('response_type') !== 'code'
    ) {
      return send(res, 400, { error: 'invalid_request' });
    }
    const code = randomBytes(12).toString('hex');
    registerSecret('Jobber authorization code (fake Jobber)', code);
    this.codes.set(code, redirect);
    const back = new URL(redirect);
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  }

  /**
   * The token endpoint. Refresh tokens rotate: each works once, and a used one answers invalid_grant
   * (what makes two concurrent refreshes with the same token dangerous).
   */
  private async token(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const grant = form.get('grant_type') ?? '';
    this.calls.push({ endpoint: 'token', detail: grant });
    if (this.answerEcho('token', [form.toString(), ...form.values()], res)) return;
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      return send(res, 401, { error: 'invalid_client' });
    }
    let accountId: string | undefined;
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      if (this.codes.get(code) !== form.get('redirect_uri')) return send(res, 400, { error: 'invalid_grant' });
      this.codes.delete(code);
      accountId = this.account.id;
    } else if (grant === 'refresh_token') {
      const old = form.get('refresh_token') ?? '';
      accountId = this.refresh.get(old);
      if (!accountId) return send(res, 400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
      this.refresh.delete(old); // rotated: each refresh token works once
    } else {
      return send(res, 400, { error: 'unsupported_grant_type' });
    }
    const tokens = this.issueTokens(3600, accountId);
    if (this.grantDelayMs > 0) await sleep(this.grantDelayMs);
    send(res, 200, { access_token: tokens.accessToken, refresh_token: tokens.refreshToken });
  }

  /**
   * A family's records as a list query sees them: `filter.updatedAt.after` keeps the later ones;
   * `sort: [{key: UPDATED_AT, direction}]` orders them; otherwise in the order they were put.
   */
  private listed(family: Family, args: ListArgs): Json[] {
    let all = [...this.records[family].values()];
    const after = args.filter?.updatedAt?.after;
    if (after) all = all.filter((r) => typeof r.updatedAt === 'string' && Date.parse(r.updatedAt) > Date.parse(after));
    const sort = args.sort?.[0];
    if (sort?.key === 'UPDATED_AT') {
      const sign = sort.direction === 'DESCENDING' ? -1 : 1;
      all.sort((a, b) => sign * (Date.parse(String(a.updatedAt)) - Date.parse(String(b.updatedAt))));
    }
    return all.map((record) =>
      family === 'invoice' && record.jobs
        ? { ...record, jobs: (a: PageArgs) => page((record.jobs as { nodes: Json[] }).nodes, a) }
        : record,
    );
  }

  private async graphql(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const authorization = req.headers.authorization;
    const version = req.headers['x-jobber-graphql-version'] as string | undefined;
    const { query, variables } = JSON.parse(raw) as { query: string; variables?: Json };
    const operation = /query\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    this.calls.push({ endpoint: 'graphql', detail: operation, authorization, version, variables });
    if (this.answerEcho('graphql', [`authorization: ${authorization ?? ''}`], res)) return;
    const grant = this.access.get(authorization?.replace(/^Bearer /, '') ?? '');
    if (!grant || grant.exp <= Date.now()) return send(res, 401, { message: 'Unauthorized' });
    if (!version) return send(res, 400, { errors: [{ message: 'X-JOBBER-GRAPHQL-VERSION header is required' }] });
    const errors = validateJobberQuery(query);
    if (errors.length > 0) return send(res, 400, { errors: errors.map((e) => ({ message: e.message })) });
    const operationNode = parse(query).definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const requested = queryCost(operationNode?.selectionSet, variables ?? {});
    const forced = this.throttled > 0;
    if (forced) this.throttled--;
    const charged = forced
      ? { ok: false, status: { ...this.charge(0).status, currentlyAvailable: 42 } }
      : this.charge(requested);
    if (!charged.ok) {
      return send(res, 200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
        extensions: {
          cost: {
            requestedQueryCost: forced ? Math.max(requested, 142) : requested,
            actualQueryCost: null,
            throttleStatus: charged.status,
          },
        },
      });
    }
    const byId = (family: Family) => (args: { id: string }) => {
      if (this.gone[family].has(args.id))
        throw new GraphQLError(`${family} not found`, { extensions: { code: 'NOT_FOUND' } });
      const record = this.records[family].get(args.id);
      if (!record) return null;
      // A connection (invoice.jobs) is paged as Jobber pages it: first/after with opaque cursors.
      return family === 'invoice' && record.jobs
        ? { ...record, jobs: (a: PageArgs) => page((record.jobs as { nodes: Json[] }).nodes, a) }
        : record;
    };
    const result = await execute({
      schema: jobberSchema(),
      document: parse(query),
      rootValue: {
        client: byId('client'),
        job: byId('job'),
        invoice: byId('invoice'),
        account: () => this.account,
        clients: (a: ListArgs) => page(this.listed('client', a), a),
        jobs: (a: ListArgs) => page(this.listed('job', a), a),
        invoices: (a: ListArgs) => page(this.listed('invoice', a), a),
      },
      variableValues: variables,
    });
    // The answer is made: what a test does now happens "while it travels" (it cannot change it).
    await this.beforeAnswer?.(operation, variables ?? {});
    send(res, 200, {
      ...result,
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: charged.status },
      },
    });
  }
}

export const startFakeJobber = (clientSecret: string) => new FakeJobber(clientSecret).start();
