import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { databaseKinds, openHarness, type Harness } from '../helpers/harness';
import { ADMIN_TOKEN, signIn } from '../helpers/console';
import { startFakeThumbtack, type FakeThumbtack } from '../fakes/thumbtack';

const BUSINESS = '590297085345701895';
const CALLBACK = 'https://hooks.example.com/oauth/thumbtack/callback';
const bearer = { Authorization: `Bearer ${ADMIN_TOKEN}` };

interface ConnectionRow {
  access_token: string | null;
  refresh_token: string | null;
  token_expires_at: Date | string | null;
}

describe.each(databaseKinds())('connecting a Thumbtack account by OAuth on %s', (kind) => {
  let fake: FakeThumbtack;
  let h: Harness;
  const answers: string[] = [];
  beforeAll(async () => {
    fake = await startFakeThumbtack({ businesses: [BUSINESS] });
    h = await openHarness(kind, {
      ADMIN_TOKEN,
      HOOKPORT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      THUMBTACK_API_URL: fake.url,
      THUMBTACK_CLIENT_ID: fake.oauth.clientId,
      THUMBTACK_CLIENT_SECRET: fake.oauth.clientSecret,
      THUMBTACK_OAUTH_URL: fake.oauth.oauthUrl,
    });
  });
  afterAll(async () => {
    // No answer, and no audit entry, holds a token, a code or the client secret.
    const audit = JSON.stringify(await h.rows(sql`select * from audit_log`));
    const secrets = [fake.oauth.clientSecret, ...fake.issuedTokens, ...fake.oauth.refreshTokens];
    for (const text of [...answers, audit]) for (const secret of secrets) expect(text).not.toContain(secret);
    await h.close();
    await fake.close();
  });
  beforeEach(async () => {
    fake.oauth.expiresIn = 3600;
    fake.oauth.refuseClient = false;
    fake.oauth.tokenRequests.length = 0;
    fake.requests.length = 0;
    await h.rows(sql`delete from thumbtack_connection`);
    await h.rows(sql`delete from thumbtack_oauth_states`);
    await h.rows(sql`delete from audit_log`);
  });

  const keep = <T extends { text: string }>(res: T): T => (answers.push(res.text), res);
  const api = async (method: 'get' | 'delete', path: string) =>
    keep(await h.http()[method](`/admin/api/thumbtack${path}`).set(bearer));
  const connection = () =>
    h.rows<ConnectionRow>(sql`select access_token, refresh_token, token_expires_at from thumbtack_connection`);

  /** The flow as a browser makes it: Hookport → the fake's consent page → back with a code and the state. */
  async function startConnect() {
    const start = await h
      .http()
      .get('/oauth/thumbtack/connect')
      .set('cookie', await signIn(h));
    expect(start.status).toBe(302);
    const consent = await fetch(start.headers.location!, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    const cookie = String(start.headers['set-cookie']).split(';')[0]!;
    const path = `${back.pathname}${back.search}`;
    const callback = async (p = path, c = cookie) =>
      keep(await h.http().get(p).set('cookie', c).set('accept', 'application/json'));
    return { start, back, cookie, path, callback };
  }

  it('connect needs a signed-in operator', async () => {
    const anonymous = await h.http().get('/oauth/thumbtack/connect');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    expect(await h.rows(sql`select * from thumbtack_oauth_states`)).toEqual([]);
  });

  it('connect redirects to THUMBTACK_OAUTH_URL/authorize with the client id, callback, scopes and a state cookie', async () => {
    const { start } = await startConnect();
    const url = new URL(start.headers.location!);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.oauth.oauthUrl}/authorize`);
    const state = url.searchParams.get('state')!;
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: fake.oauth.clientId,
      redirect_uri: CALLBACK,
      scope: 'supply::businesses.read supply::webhooks.read supply::webhooks.write offline_access',
      state,
    });
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(String(start.headers['set-cookie'])).toMatch(
      new RegExp(
        `^hookport_thumbtack_state=${state}; Max-Age=600; Path=/oauth/thumbtack; HttpOnly; SameSite=Lax; Secure`,
      ),
    );
  });

  it('the callback stores the tokens sealed, lists the businesses, and webhooks are managed with no THUMBTACK_ACCESS_TOKEN', async () => {
    const { callback } = await startConnect();
    const res = await callback();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ connected: true, businesses: [{ businessId: BUSINESS, name: `Business ${BUSINESS}` }] });
    expect(fake.oauth.tokenRequests).toEqual([
      {
        grantType: 'authorization_code',
        clientAuthOk: true,
        form: { grant_type: 'authorization_code', code: expect.any(String), redirect_uri: CALLBACK },
      },
    ]);
    const access = fake.oauth.lastAccessToken()!;
    const [row] = await connection();
    expect(row!.access_token).not.toContain(access);
    expect(row!.access_token).toMatch(/^enc:/);
    expect(row!.refresh_token).toMatch(/^enc:/);
    expect(await h.rows(sql`select actor, action, detail from audit_log where action like 'thumbtack.%'`)).toEqual([
      { actor: 'console', action: 'thumbtack.connect', detail: { businesses: [BUSINESS] } },
    ]);

    const status = await api('get', '/connection');
    expect(status.body).toMatchObject({ connected: true, tokenSource: 'connected account' });
    const list = await api('get', `/webhooks?businessId=${BUSINESS}`);
    expect(list.status).toBe(200);
    expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${access}`);
  });

  it('refuses a reused state, a state this browser did not start, and one Hookport never issued', async () => {
    const { callback, path, back } = await startConnect();
    expect((await callback()).status).toBe(200);
    const reused = await callback();
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ error: 'invalid_state' });

    const other = await startConnect();
    const forged = await other.callback(other.path, 'hookport_thumbtack_state=someone-elses');
    expect(forged.status).toBe(400);
    expect(forged.body.message).toMatch(/this browser did not start this connection/);
    const noCookie = keep(await h.http().get(other.path).set('accept', 'application/json'));
    expect(noCookie.status).toBe(400);

    const invented = 'x'.repeat(43);
    const inventedPath = path.replace(back.searchParams.get('state')!, invented);
    const never = await callback(inventedPath, `hookport_thumbtack_state=${invented}`);
    expect(never.status).toBe(400);
    expect(never.body.message).toMatch(/unknown, used or expired state/);
    // Only the first callback exchanged a code.
    expect(fake.oauth.tokenRequests.map((r) => r.grantType)).toEqual(['authorization_code']);
  });

  it('refreshes a token about to expire before using it, storing the rotated tokens', async () => {
    fake.oauth.expiresIn = 60; // inside the five-minute margin
    expect((await (await startConnect()).callback()).status).toBe(200);
    const first = fake.oauth.lastAccessToken()!;
    const [before] = await connection();
    fake.oauth.expiresIn = 3600;
    const list = await api('get', `/webhooks?businessId=${BUSINESS}`);
    expect(list.status).toBe(200);
    expect(fake.oauth.tokenRequests.map((r) => [r.grantType, r.clientAuthOk])).toEqual([
      ['authorization_code', true],
      ['refresh_token', true],
    ]);
    const second = fake.oauth.lastAccessToken()!;
    expect(second).not.toBe(first);
    expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${second}`);
    const [after] = await connection();
    expect(after!.refresh_token).not.toBe(before!.refresh_token);
    expect(new Date(after!.token_expires_at!).getTime()).toBeGreaterThan(Date.now() + 3000_000);
    // Not due again: the next call uses it as is.
    await api('get', `/webhooks?businessId=${BUSINESS}`);
    expect(fake.oauth.tokenRequests).toHaveLength(2);
  });

  it('concurrent calls share one refresh: the rotated refresh token is never spent twice', async () => {
    fake.oauth.expiresIn = 60;
    expect((await (await startConnect()).callback()).status).toBe(200);
    fake.oauth.expiresIn = 3600;
    const answers = await Promise.all([1, 2, 3].map(() => api('get', `/webhooks?businessId=${BUSINESS}`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(fake.oauth.tokenRequests.map((r) => r.grantType)).toEqual(['authorization_code', 'refresh_token']);
  });

  it('a refresh Thumbtack refuses with invalid_grant clears the connection: 503 until connected again', async () => {
    fake.oauth.expiresIn = 60;
    expect((await (await startConnect()).callback()).status).toBe(200);
    fake.oauth.refreshTokens.clear(); // the grant was revoked at Thumbtack
    const res = await api('get', `/webhooks?businessId=${BUSINESS}`);
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('provider_not_configured');
    expect(await connection()).toEqual([{ access_token: null, refresh_token: null, token_expires_at: null }]);
  });

  it('a refresh refused for another reason answers 502 with the status and code, and keeps the connection', async () => {
    fake.oauth.expiresIn = 60;
    expect((await (await startConnect()).callback()).status).toBe(200);
    const [before] = await connection();
    fake.oauth.refuseClient = true; // e.g. the client secret was rotated at Thumbtack
    const res = await api('get', `/webhooks?businessId=${BUSINESS}`);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: 'provider_api_error',
      message: "Thumbtack's token endpoint answered 401 invalid_client",
    });
    expect(await connection()).toEqual([before]);
  });

  it('disconnect deletes the tokens, is audited, and webhook management then answers 503', async () => {
    expect((await (await startConnect()).callback()).status).toBe(200);
    const res = await api('delete', '/connection');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ disconnected: true });
    expect(await connection()).toEqual([{ access_token: null, refresh_token: null, token_expires_at: null }]);
    expect((await api('get', '/connection')).body).toMatchObject({
      connected: false,
      tokenSource: null,
      businesses: [],
    });
    expect((await api('get', `/webhooks?businessId=${BUSINESS}`)).status).toBe(503);
    expect((await api('delete', '/connection')).body).toEqual({ disconnected: false });
    const actions = await h.rows<{ actor: string; action: string }>(
      sql`select actor, action from audit_log where action like 'thumbtack.%' order by at, id`,
    );
    expect(actions).toEqual([
      { actor: 'console', action: 'thumbtack.connect' },
      { actor: 'admin-api', action: 'thumbtack.disconnect' },
    ]);
  });

  it('a token endpoint refusal answers 502 with its status and code only', async () => {
    const { callback, path } = await startConnect();
    const code = new URL(path, 'http://x').searchParams.get('code')!;
    const res = await callback(path.replace(code, 'not-a-code'));
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: 'thumbtack_connect_failed',
      message: "Thumbtack's token endpoint answered 400 invalid_grant",
    });
    expect(await connection()).toEqual([]);
  });
});
