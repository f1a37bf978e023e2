import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerSecret } from '../helpers/log-capture';

/**
 * A local stand-in for the Thumbtack Partner API v4 webhook endpoints, on 127.0.0.1: checks the
 * bearer token and each request's shape the way the real API documents it (webhookURL ^https://,
 * known event types, Basic auth object), keeps webhooks in memory, and answers errors as JSON.
 */
export const BUSINESS_WEBHOOK_EVENT_TYPES = [
  'MessageCreatedV4',
  'NegotiationCreatedV4',
  'ReviewCreatedV4',
  'PresetJobMatchedV4',
  'PresetJobStatusChangedV4',
  'PresetJobCancelledV4',
  'PresetJobUpdatedV4',
  'PresetJobCompletedV4',
];

export interface StoredWebhook {
  webhookID: string;
  businessID: string;
  webhookURL: string;
  eventTypes: string[];
  enabled: boolean;
  /** Kept only so tests can check what was sent; the API never returns it. */
  auth: { username: string; password: string } | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

export interface FakeOAuth {
  clientId: string;
  clientSecret: string;
  /** Base of the OAuth endpoints (THUMBTACK_OAUTH_URL): `<oauthUrl>/authorize`, `<oauthUrl>/token`. */
  oauthUrl: string;
  /** Seconds each issued access token lives (`expires_in`). */
  expiresIn: number;
  /** Token requests as received (form fields, and whether the client's Basic credentials were right). */
  tokenRequests: { grantType: string | null; clientAuthOk: boolean; form: Record<string, string> }[];
  /** While true, the token endpoint refuses the client (401 invalid_client), as after a secret rotation. */
  refuseClient: boolean;
  /** Refresh tokens still valid (each is rotated on use). */
  refreshTokens: Set<string>;
  /** The access token issued last. */
  lastAccessToken(): string | undefined;
}

export interface FakeThumbtack {
  url: string;
  token: string;
  oauth: FakeOAuth;
  /** Access tokens the API accepts besides `token` (the ones the token endpoint issued). */
  issuedTokens: Set<string>;
  /** The next API call answers this (status and Thumbtack's message) instead of handling it. */
  failNext(status: number, message: string): void;
  /** Business ids the token may manage. */
  businesses: Set<string>;
  webhooks: Map<string, StoredWebhook>;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PATH = /^\/api\/v4\/businesses\/([^/]+)\/webhooks(?:\/([^/]+))?$/;
const CLIENT_ID = 'thumbtack-test-client-id';
const CLIENT_SECRET = 'thumbtack-test-client-secret-6d1f0b7a2c';

function view(w: StoredWebhook) {
  return {
    webhookID: w.webhookID,
    webhookURL: w.webhookURL,
    enabled: w.enabled,
    authType: w.auth ? 'Basic' : 'None',
    businessID: w.businessID,
    eventTypes: w.eventTypes,
  };
}

function validSettings(body: unknown): Omit<StoredWebhook, 'webhookID' | 'businessID'> {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.webhookURL !== 'string' || !/^https:\/\//.test(b.webhookURL)) {
    throw new ApiError(400, 'INVALID_REQUEST', 'webhookURL must match ^https://');
  }
  const types = b.eventTypes;
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => BUSINESS_WEBHOOK_EVENT_TYPES.includes(t))) {
    throw new ApiError(
      400,
      'INVALID_REQUEST',
      `eventTypes must be a non-empty list of ${BUSINESS_WEBHOOK_EVENT_TYPES.join(', ')}`,
    );
  }
  if (b.enabled !== undefined && typeof b.enabled !== 'boolean')
    throw new ApiError(400, 'INVALID_REQUEST', 'enabled must be a boolean');
  let auth: StoredWebhook['auth'] = null;
  if (b.auth !== undefined) {
    const a = b.auth as Record<string, unknown>;
    if (typeof a?.username !== 'string' || !a.username || typeof a.password !== 'string' || !a.password) {
      throw new ApiError(400, 'INVALID_REQUEST', 'auth must be {username, password}');
    }
    auth = { username: a.username, password: a.password };
  }
  return { webhookURL: b.webhookURL, eventTypes: types as string[], enabled: b.enabled ?? true, auth };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeThumbtack(options: { businesses?: string[] } = {}): Promise<FakeThumbtack> {
  const token = `tt_${randomBytes(24).toString('hex')}`;
  registerSecret('Thumbtack API access token (fake Thumbtack)', token);
  registerSecret('Thumbtack OAuth client secret (fake Thumbtack)', CLIENT_SECRET);
  const issuedTokens = new Set<string>();
  const codes = new Map<string, string>();
  let lastAccessToken: string | undefined;
  let failure: { status: number; message: string } | undefined;
  const oauth: FakeOAuth = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    oauthUrl: '',
    expiresIn: 3600,
    tokenRequests: [],
    refuseClient: false,
    refreshTokens: new Set(),
    lastAccessToken: () => lastAccessToken,
  };
  function issue() {
    const access = `ttat_${randomBytes(24).toString('hex')}`;
    const refresh = `ttrt_${randomBytes(24).toString('hex')}`;
    registerSecret('Thumbtack OAuth access token (fake Thumbtack)', access);
    registerSecret('Thumbtack OAuth refresh token (fake Thumbtack)', refresh);
    issuedTokens.add(access);
    oauth.refreshTokens.add(refresh);
    lastAccessToken = access;
    return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: oauth.expiresIn };
  }
  /** The consent page, already approved: back to redirect_uri with a code and the same state. */
  function authorize(url: URL) {
    const redirect = url.searchParams.get('redirect_uri');
    if (
      url.searchParams.get('client_id') !== CLIENT_ID ||
      !redirect ||
      url.searchParams.get('response_type') !== 'code'
    )
      return { status: 400, headers: {}, body: { error: 'invalid_request' } };
    const code = `ttcode_${randomBytes(16).toString('hex')}`;
    registerSecret('Thumbtack authorization code (fake Thumbtack)', code);
    codes.set(code, redirect);
    const back = new URL(redirect);
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    return { status: 302, headers: { location: back.toString() }, body: undefined };
  }
  function tokenEndpoint(authorization: string | undefined, text: string) {
    const form = Object.fromEntries(new URLSearchParams(text));
    const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    const clientAuthOk = authorization === expected && !oauth.refuseClient;
    oauth.tokenRequests.push({ grantType: form.grant_type ?? null, clientAuthOk, form });
    if (!clientAuthOk) return { status: 401, body: { error: 'invalid_client' } };
    if (form.grant_type === 'authorization_code') {
      if (!form.code || codes.get(form.code) !== form.redirect_uri)
        return { status: 400, body: { error: 'invalid_grant' } };
      codes.delete(form.code);
      return { status: 200, body: issue() };
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token || !oauth.refreshTokens.delete(form.refresh_token))
        return { status: 400, body: { error: 'invalid_grant', error_description: 'refresh token is not valid' } };
      return { status: 200, body: issue() };
    }
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  }
  const businesses = new Set(options.businesses ?? ['590297085345701895']);
  const webhooks = new Map<string, StoredWebhook>();
  const requests: RecordedRequest[] = [];
  let nextId = 590298304139583503n;

  function handle(
    method: string,
    path: string,
    authorization: string | undefined,
    contentType: string | undefined,
    body: unknown,
  ) {
    if (failure) {
      const { status, message } = failure;
      failure = undefined;
      throw new ApiError(status, 'FAILURE', message);
    }
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    if (!bearer || (bearer !== token && !issuedTokens.has(bearer))) {
      throw new ApiError(401, 'INVALID_TOKEN', 'The access token provided in the authorization header is not valid');
    }
    if (method === 'GET' && path === '/api/v4/businesses') {
      return {
        status: 200,
        body: { data: [...businesses].map((businessID) => ({ businessID, name: `Business ${businessID}` })) },
      };
    }
    const match = PATH.exec(path);
    if (!match) throw new ApiError(404, 'NOT_FOUND', `no route ${method} ${path}`);
    const businessID = decodeURIComponent(match[1]!);
    const webhookID = match[2] && decodeURIComponent(match[2]);
    if (!businesses.has(businessID))
      throw new ApiError(403, 'INSUFFICIENT_SCOPE', `the token cannot manage business ${businessID}`);
    if ((method === 'POST' || method === 'PUT') && !(contentType ?? '').startsWith('application/json')) {
      throw new ApiError(400, 'INVALID_REQUEST', 'Content-Type must be application/json');
    }
    if (!webhookID) {
      if (method === 'GET')
        return {
          status: 200,
          body: { data: [...webhooks.values()].filter((w) => w.businessID === businessID).map(view) },
        };
      if (method === 'POST') {
        const webhook = { webhookID: String(nextId++), businessID, ...validSettings(body) };
        webhooks.set(webhook.webhookID, webhook);
        return { status: 201, body: view(webhook) };
      }
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} not allowed`);
    }
    const existing = webhooks.get(webhookID);
    if (!existing || existing.businessID !== businessID)
      throw new ApiError(404, 'NOT_FOUND', `webhook ${webhookID} not found`);
    if (method === 'GET') return { status: 200, body: view(existing) };
    if (method === 'PUT') {
      const updated = { webhookID, businessID, ...validSettings(body) };
      webhooks.set(webhookID, updated);
      return { status: 200, body: view(updated) };
    }
    if (method === 'DELETE') {
      webhooks.delete(webhookID);
      return { status: 204, body: undefined };
    }
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} not allowed`);
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void readBody(req).then((text) => {
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/oauth/authorize' && method === 'GET') {
        const r = authorize(new URL(req.url ?? '/', 'http://127.0.0.1'));
        res.writeHead(r.status, r.headers);
        res.end(r.body === undefined ? undefined : JSON.stringify(r.body));
        return;
      }
      if (path === '/oauth/token' && method === 'POST') {
        const r = tokenEndpoint(req.headers.authorization, text);
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.body));
        return;
      }
      let body: unknown;
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, payload === undefined ? {} : { 'content-type': 'application/json' });
        res.end(payload === undefined ? undefined : JSON.stringify(payload));
      };
      try {
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          throw new ApiError(400, 'INVALID_REQUEST', 'body is not valid JSON');
        }
        requests.push({
          method,
          path,
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          body,
        });
        const result = handle(method, path, req.headers.authorization, req.headers['content-type'], body);
        answer(result.status, result.body);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        answer(err.status, { error: { code: err.code, message: err.message } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  oauth.oauthUrl = `http://127.0.0.1:${port}/oauth`;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    oauth,
    issuedTokens,
    failNext: (status, message) => void (failure = { status, message }),
    businesses,
    webhooks,
    requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
