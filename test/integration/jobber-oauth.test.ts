import { unusedAdminApi } from '../helpers/cli';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { jobberProvider } from '../../providers/jobber';
import { createLogger } from '../../src/log/logger';
import express from 'express';
import request from 'supertest';
import { jobberRoutes } from '../../providers/jobber/oauth/routes';
import { loadConfig } from '../helpers/config';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { datedRows, openJobberHarness, resetJobber, type JobberHarness } from '../fakes/jobber-harness';
import { postJobber, readJobberApiFixture, readJobberWebhook } from '../fakes/jobber-fixtures';
import { ADMIN_TOKEN, signIn } from '../helpers/console';

/** The proxy-path and unconfigured tests build the routes alone: no console in front. */
const anyOperator = (_req: unknown, _res: unknown, next: () => void) => next();

const CALLBACK = `${TEST_SECRETS.publicBaseUrl}/oauth/jobber/callback`;

/** Follows the connect flow as a browser would: Hookport → the fake's consent page → back with a code. */
async function connectThroughOAuth(j: JobberHarness) {
  const start = await j.h
    .http()
    .get('/oauth/jobber/connect')
    .set('cookie', await signIn(j.h));
  expect(start.status).toBe(302);
  const consent = await fetch(start.headers.location!, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  const cookie = String(start.headers['set-cookie']).split(';')[0]!;
  const callbackPath = `${back.pathname}${back.search}`;
  /** The callback as the browser that started the flow makes it (with its state cookie). */
  const callback = (path = callbackPath) => j.h.http().get(path).set('cookie', cookie);
  return { callbackPath, state: back.searchParams.get('state')!, cookie, callback };
}

async function runSync(j: JobberHarness, args: string[] = []) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const deps = {
    config: j.h.config,
    db: j.h.runtime.database.db,
    logger: createLogger('error', true),
    adminApi: unusedAdminApi,
    input: process.stdin,
  };
  const code = await jobberProvider.commands!.sync!.run(args, deps, out);
  return { code, text };
}

describe.each(databaseKinds())('Jobber OAuth and sync on %s', (kind) => {
  let j: JobberHarness;
  beforeAll(async () => {
    j = await openJobberHarness(kind, { ADMIN_TOKEN });
  });
  afterAll(() => j.close());
  beforeEach(() => resetJobber(j));

  it('connect needs a signed-in operator: 401 without a console session, or with one that was signed out', async () => {
    const anonymous = await j.h.http().get('/oauth/jobber/connect');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: 'unauthorized' });
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    const forged = await j.h.http().get('/oauth/jobber/connect').set('cookie', 'hookport_session=forged');
    expect(forged.status).toBe(401);
    expect(await j.h.rows(sql`select * from jobber_oauth_states`)).toEqual([]);
  });

  it("connect redirects to Jobber's authorize URL with client id, callback URL and a state", async () => {
    const res = await j.h
      .http()
      .get('/oauth/jobber/connect')
      .set('cookie', await signIn(j.h));
    expect(res.status).toBe(302);
    const url = new URL(res.headers.location!);
    expect(`${url.origin}${url.pathname}`).toBe(`${j.fake.oauthUrl}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: j.fake.clientId,
      redirect_uri: CALLBACK,
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });

  it('the callback exchanges the code, finds the account and stores its tokens', async () => {
    const { callback } = await connectThroughOAuth(j);
    const res = await callback().set('accept', 'application/json');
    expect(res.status).toBe(200);
    const fixture = readJobberApiFixture('account');
    expect(res.body).toEqual({ connected: true, accountId: fixture.id, name: fixture.name });
    const [account] = await datedRows(
      j.h,
      sql`select account_id, name, connection_state, access_token, refresh_token, token_expires_at from jobber_accounts`,
    );
    expect(account).toEqual({
      account_id: j.fake.account.id,
      name: j.fake.account.name,
      connection_state: 'connected',
      access_token: expect.stringMatching(/^ey/),
      refresh_token: expect.any(String),
      token_expires_at: expect.any(Date),
    });
    // The expiry comes from the token's own exp: about an hour away.
    const minutes = ((account!.token_expires_at as Date).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(55);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(JSON.stringify(res.body)).not.toContain(account!.access_token as string);
    // Its existing clients, jobs and invoices are imported in the background (jobber-import.test.ts).
    expect(await j.h.rows(sql`select account_id, kind, status from jobber_sync_runs`)).toEqual([
      { account_id: j.fake.account.id, kind: 'import', status: 'queued' },
    ]);
    // In the audit log, with the browser's address; no token in it.
    const [entry] = await j.h.rows<Record<string, unknown>>(
      sql`select actor, address, action, target, detail from audit_log order by at desc limit 1`,
    );
    expect(entry).toEqual({
      actor: 'console',
      address: expect.stringContaining('127.0.0.1'),
      action: 'jobber.connect',
      target: j.fake.account.id,
      detail: null,
    });
  });

  it('a browser gets a short HTML page that names the account', async () => {
    const { callback } = await connectThroughOAuth(j);
    const res = await callback().set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Whitfield Gutters &amp; Eaves');
  });

  it('a state is good once', async () => {
    const { callback } = await connectThroughOAuth(j);
    expect((await callback()).status).toBe(200);
    const again = await callback();
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      error: 'invalid_state',
      message: expect.stringContaining('start again at /oauth/jobber/connect'),
    });
  });

  it('binds the state to the browser that started: HttpOnly SameSite cookie, required on the callback', async () => {
    const { callbackPath, cookie, callback } = await connectThroughOAuth(j);
    const start = await j.h
      .http()
      .get('/oauth/jobber/connect')
      .set('cookie', await signIn(j.h));
    expect(String(start.headers['set-cookie'])).toMatch(
      /^hookport_jobber_state=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/oauth\/jobber; HttpOnly; SameSite=Lax; Secure$/,
    );
    // The callback link opened by someone else (no cookie, or another attempt's cookie) connects nothing.
    for (const other of [
      j.h.http().get(callbackPath),
      j.h.http().get(callbackPath).set('cookie', String(start.headers['set-cookie']).split(';')[0]!),
    ]) {
      const res = await other;
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'invalid_state',
        message: expect.stringContaining('this browser did not start this connection'),
      });
    }
    expect(await j.h.rows(sql`select account_id from jobber_accounts`)).toEqual([]);
    const done = await callback();
    expect(done.status).toBe(200);
    expect(String(done.headers['set-cookie'])).toContain('hookport_jobber_state=; Max-Age=0');
    expect(cookie).toMatch(/^hookport_jobber_state=/);
  });

  it('behind a proxy path (PUBLIC_BASE_URL with a path), the cookie Path and the callback URL include it', async () => {
    const config = { ...j.h.config, publicBaseUrl: 'https://x.example/hookport' };
    const app = express().use(
      jobberRoutes({
        config,
        db: j.h.runtime.database.db,
        logger: createLogger('error', true),
        requireOperator: anyOperator,
      }),
    );
    const res = await request(app).get('/oauth/jobber/connect');
    expect(res.status).toBe(302);
    expect(String(res.headers['set-cookie'])).toMatch(
      /; Path=\/hookport\/oauth\/jobber; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(new URL(res.headers.location!).searchParams.get('redirect_uri')).toBe(
      'https://x.example/hookport/oauth/jobber/callback',
    );
  });

  it('expired states are found through an index on expires_at', async () => {
    const indexes = await j.h.rows<{ indexdef: string }>(
      sql`select indexdef from pg_indexes where tablename = 'jobber_oauth_states'`,
    );
    expect(indexes.map((i) => i.indexdef)).toContainEqual(expect.stringMatching(/USING btree \(expires_at\)$/));
  });

  it('refuses a state it never issued, and one that expired', async () => {
    const forged = await j.h.http().get('/oauth/jobber/callback?code=abc&state=forged');
    expect(forged.status).toBe(400);
    expect(forged.body.error).toBe('invalid_state');
    const { callback } = await connectThroughOAuth(j);
    await j.h.rows(sql`update jobber_oauth_states set expires_at = now() - interval '1 second'`);
    expect((await callback()).body.error).toBe('invalid_state');
    expect(j.fake.count('token')).toBe(0);
  });

  it('reports a code Jobber refuses, without any secret', async () => {
    const { state, callback } = await connectThroughOAuth(j);
    const res = await callback(`/oauth/jobber/callback?code=not-a-code&state=${state}`);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: 'jobber_connect_failed',
      message: "Jobber's token endpoint answered 400 invalid_grant",
    });
    expect(JSON.stringify(res.body)).not.toContain(TEST_SECRETS.jobberClientSecret);
    expect(await j.h.rows(sql`select * from jobber_accounts`)).toEqual([]);
  });

  it('reports a denied authorization', async () => {
    const res = await j.h.http().get('/oauth/jobber/callback?error=access_denied&state=x');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'authorization_denied',
      message: 'Jobber did not authorize the app: access_denied',
    });
  });

  it('rows that arrived before the account connected wait, then `jobber sync` fills them', async () => {
    for (const topic of ['CLIENT_CREATE', 'JOB_CREATE', 'INVOICE_CREATE']) {
      expect((await postJobber(j.h, readJobberWebhook(topic))).status).toBe(200);
    }
    expect(await j.h.drain()).toEqual(['processed', 'processed', 'processed']);
    const waiting = sql`select 'client' as kind, name as label, sync_status from clients
      union all select 'job', title, sync_status from jobs
      union all select 'invoice', invoice_number, sync_status from invoices order by kind`;
    expect(await j.h.rows(waiting)).toEqual([
      { kind: 'client', label: null, sync_status: 'awaiting_sync' },
      { kind: 'invoice', label: null, sync_status: 'awaiting_sync' },
      { kind: 'job', label: null, sync_status: 'awaiting_sync' },
    ]);
    expect(await runSync(j)).toEqual({ code: 0, text: 'synced 0, not found in Jobber 0, still waiting 0, failed 0\n' });

    const { callback } = await connectThroughOAuth(j);
    expect((await callback()).status).toBe(200);
    expect(await runSync(j)).toEqual({ code: 0, text: 'synced 3, not found in Jobber 0, still waiting 0, failed 0\n' });
    expect(await j.h.rows(waiting)).toEqual([
      { kind: 'client', label: 'Dana Whitfield', sync_status: 'synced' },
      { kind: 'invoice', label: '2087', sync_status: 'synced' },
      { kind: 'job', label: 'Spring gutter cleaning', sync_status: 'synced' },
    ]);
    // Nothing is left to do.
    expect(await runSync(j)).toEqual({ code: 0, text: 'synced 0, not found in Jobber 0, still waiting 0, failed 0\n' });
  });

  it('a row that fails does not stop `jobber sync`: the others sync, the failure is named and counted, exit 1', async () => {
    for (const topic of ['CLIENT_CREATE', 'JOB_CREATE', 'INVOICE_CREATE'])
      await postJobber(j.h, readJobberWebhook(topic));
    expect(await j.h.drain()).toEqual(['processed', 'processed', 'processed']);
    const { callback } = await connectThroughOAuth(j);
    expect((await callback()).status).toBe(200);
    // Jobber answers the client (synced first) with a query error; the job and invoice are fine.
    const client = readJobberApiFixture('client');
    j.fake.put('client', { ...client, isLead: 'not a boolean' });
    const run = await runSync(j);
    expect(run.code).toBe(1);
    const lines = run.text.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^failed client ${client.id as string}: Jobber API answered 200: Boolean cannot represent`),
      ),
      'synced 2, not found in Jobber 0, still waiting 0, failed 1',
    ]);
    expect(
      await j.h.rows(sql`select 'client' as kind, sync_status from clients union all select 'job', sync_status from jobs
      union all select 'invoice', sync_status from invoices order by kind`),
    ).toEqual([
      { kind: 'client', sync_status: 'awaiting_sync' },
      { kind: 'invoice', sync_status: 'synced' },
      { kind: 'job', sync_status: 'synced' },
    ]);
    // Once Jobber answers, a second run picks up what is left.
    j.fake.put('client', client);
    expect(await runSync(j)).toEqual({ code: 0, text: 'synced 1, not found in Jobber 0, still waiting 0, failed 0\n' });
  });

  it('sync of an invoice found paid emits invoice.paid for the webhook event that left it waiting', async () => {
    j.fake.put('invoice', { ...readJobberApiFixture('invoice'), invoiceStatus: 'paid' });
    const posted = await postJobber(j.h, readJobberWebhook('INVOICE_CREATE'));
    expect(await j.h.drain()).toEqual(['processed']);
    const { callback } = await connectThroughOAuth(j);
    await callback();
    await runSync(j, ['--account', j.fake.account.id]);
    expect(await j.h.rows(sql`select webhook_event_id from canonical_events where type = 'invoice.paid'`)).toEqual([
      { webhook_event_id: posted.body.id },
    ]);
  });
});

describe('Jobber OAuth without configuration', () => {
  it.each([
    [{ PUBLIC_BASE_URL: 'https://hooks.example.com', JOBBER_CLIENT_SECRET: 's' }, 'JOBBER_CLIENT_ID'],
    [{ PUBLIC_BASE_URL: 'https://hooks.example.com', JOBBER_CLIENT_ID: 'id' }, 'JOBBER_CLIENT_SECRET'],
    [{ JOBBER_CLIENT_ID: 'id', JOBBER_CLIENT_SECRET: 's' }, 'PUBLIC_BASE_URL'],
  ])('answers 503 naming the missing variable (%j), touching nothing else', async (env, variable) => {
    // No database at all: the check comes before any use of it.
    const app = express().use(
      jobberRoutes({
        config: loadConfig(env),
        db: undefined as never,
        logger: createLogger('error', true),
        requireOperator: anyOperator,
      }),
    );
    for (const path of ['/oauth/jobber/connect', '/oauth/jobber/callback?code=a&state=b']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'provider_not_configured', message: `set ${variable}` });
    }
  });
});
