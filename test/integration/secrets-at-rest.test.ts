import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { UNREADABLE_URL } from '../../src/deliveries/subscriptions';
import { connectAccount, openJobberHarness, type JobberHarness } from '../fakes/jobber-harness';
import { jobberBody, jobberEvent, postJobber } from '../fakes/jobber-fixtures';
import { FakeSlack } from '../fakes/slack';
import type { FakeTokens } from '../fakes/jobber';
import { hookport } from '../helpers/cli';
import { ADMIN_TOKEN, csrfOf, signIn } from '../helpers/console';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, type DatabaseKind, type Harness } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { captureLogs, type LogLine } from '../helpers/logs';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { waitFor } from '../helpers/wait';
import { inboundSms, postTwilio } from '../helpers/webhooks';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const newKey = () => randomBytes(32).toString('base64');
const VARIABLE = 'HOOKPORT_ENCRYPTION_KEY';
const SLACK_PATH = '/services/T0HOOKPORT/B0TESTING/abcdefghijklmnopqrstuvwx';
const ENV = {
  ADMIN_TOKEN,
  DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
  DELIVERY_RETRY_SCHEDULE: '1h',
  DELIVERY_TIMEOUT_MS: '2000',
  DELIVERY_SWEEP_MS: '50',
  // A failed event waits: one drain shows one attempt.
  WORKER_RETRY_BASE_MS: '60000',
};

/** Every stored value of every text, json(b) and bytea column of every table that contains `needle`. */
async function findEverywhere(h: Harness, needle: string): Promise<string[]> {
  const columns = await h.rows<{ table_name: string; column_name: string; data_type: string }>(
    sql`select c.table_name, c.column_name, c.data_type from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
        and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea', 'ARRAY')`,
  );
  expect(columns.length).toBeGreaterThan(20);
  const found: string[] = [];
  for (const c of columns) {
    const column = sql.identifier(c.column_name);
    const has =
      c.data_type === 'bytea'
        ? sql`position(convert_to(${needle}, 'UTF8') in ${column}) > 0`
        : sql`position(${needle} in ${column}::text) > 0`;
    const [row] = await h.rows<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(c.table_name)} where ${has}`,
    );
    if (row!.n > 0) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

/** Where any of `secrets` is stored in plain text: nowhere, with a key set. */
async function plainSecrets(h: Harness, secrets: Record<string, string>): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const [what, value] of Object.entries(secrets)) {
    const where = await findEverywhere(h, value);
    if (where.length > 0) found[what] = where;
  }
  return found;
}

describe.each(databaseKinds())('secrets encrypted at rest with HOOKPORT_ENCRYPTION_KEY on %s', (kind: DatabaseKind) => {
  const firstKey = newKey();
  let dataDir: string;
  let j: JobberHarness;
  const receiver = new Receiver();
  const slack = new FakeSlack();
  const issued: FakeTokens[] = [];
  const secrets: Record<string, string> = {};
  let standardId: string;
  let hmacId: string;
  let slackId: string;
  let hookUrl: string;

  /** The same database as `j.h`, opened by a new gateway (the embedded one admits one process: `j.h` is closed). */
  async function restart(env: Record<string, string>, lines?: LogLine[]): Promise<Harness> {
    await j.h.runtime.close();
    const logs = captureLogs('info');
    const h = await openHarness(
      'pglite',
      {
        ...ENV,
        ...j.fake.env(),
        DATA_DIR: dataDir,
        ...(j.h.config.databaseUrl ? { DATABASE_URL: j.h.config.databaseUrl } : {}),
        ...env,
      },
      { logger: logs.logger },
    );
    if (lines) lines.push(...logs.lines);
    return h;
  }
  const api = (h: Harness, method: 'get' | 'post', url: string, body?: object) => {
    const req = h.http()[method](`/admin/api${url}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const deliveriesOf = (h: Harness, id: string) =>
    h.rows<{ status: string; last_error: string | null; response_status: number | null }>(
      sql`select status, last_error, response_status from deliveries where subscription_id = ${id}::uuid order by created_at`,
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookport-secrets-'));
    j = await openJobberHarness(kind, {
      ...ENV,
      HOOKPORT_ENCRYPTION_KEY: firstKey,
      ...(kind === 'pglite' ? { DATA_DIR: dataDir } : {}),
    });
    const issue = j.fake.issueTokens.bind(j.fake);
    j.fake.issueTokens = (...args) => {
      const tokens = issue(...args);
      issued.push(tokens);
      return tokens;
    };
    hookUrl = await receiver.start();
    await slack.start();
    registerSecret('slack webhook path', SLACK_PATH);
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await j?.close();
    await receiver.close();
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores no secret in plain text anywhere (every column of every table); deliveries still verify', async () => {
    const h = j.h;
    const standard = await api(h, 'post', '/subscriptions', { url: hookUrl, eventTypes: ['message.received'] });
    expect(standard.status).toBe(201);
    standardId = standard.body.id as string;
    const rotated = await api(h, 'post', `/subscriptions/${standardId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    secrets.created = standard.body.secret as string;
    secrets.rotated = rotated.body.secret as string;
    secrets.own = `own-hmac-secret-${randomBytes(16).toString('hex')}`;
    registerSecret('subscription secret', secrets.own);
    const hmac = await api(h, 'post', '/subscriptions', {
      url: hookUrl,
      eventTypes: ['message.received'],
      signing: 'hmac-sha256',
      secret: secrets.own,
    });
    expect(hmac.status).toBe(201);
    hmacId = hmac.body.id as string;
    const toSlack = await api(h, 'post', '/subscriptions', {
      kind: 'slack',
      url: slack.url,
      eventTypes: ['message.received'],
    });
    expect(toSlack.status).toBe(201);
    slackId = toSlack.body.id as string;
    secrets.slack = SLACK_PATH;

    // Jobber: connected, then a webhook whose API call finds the token expired: refreshed and stored again.
    await connectAccount(j, { expiresInSec: -10 });
    expect((await postJobber(h, jobberBody(jobberEvent('CLIENT_CREATE')))).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(issued).toHaveLength(2);
    issued.forEach((t, i) =>
      Object.assign(secrets, { [`access${i}`]: t.accessToken, [`refresh${i}`]: t.refreshToken }),
    );

    // The console's reveal: between the POST and the GET, the secret waits in the session row.
    const cookie = await signIn(h);
    const page = await h.http().get(`/admin/subscriptions/${standardId}`).set('cookie', cookie);
    const asked = await h
      .http()
      .post(`/admin/subscriptions/${standardId}/secret`)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(asked.status).toBe(303);
    expect(await h.rows(sql`select token_hash from admin_sessions where flash is not null`)).toHaveLength(1);

    expect(await plainSecrets(h, secrets)).toEqual({});
    // The sealed values are there, each under the key's id.
    const [row] = await h.rows<{ secret: string; previous_secret: string; url: string }>(
      sql`select secret, previous_secret, url from subscriptions where id = ${standardId}::uuid`,
    );
    expect(row!.secret).toMatch(/^enc:v1:[0-9a-f]{12}:/);
    expect(row!.previous_secret).toMatch(/^enc:v1:[0-9a-f]{12}:/);
    expect(row!.url).toBe(hookUrl); // a webhook URL is not a secret

    const shown = await h.http().get(asked.headers.location!).set('cookie', cookie);
    expect(shown.text).toContain(secrets.rotated);
    expect(shown.text).toContain(secrets.created);
    expect((await api(h, 'get', `/subscriptions/${slackId}`)).body.url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/services\/T…\/B…\/…$/,
    );

    h.runtime.deliveryWorker.start();
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    await h.drain();
    for (const id of [standardId, hmacId, slackId])
      await waitFor(
        () => deliveriesOf(h, id),
        (rows) => rows[0]?.status === 'succeeded',
      );
    const standardGot = receiver.received.find((r) => r.headers['webhook-signature']?.includes(' '))!;
    expect(verifyDelivery(secrets.rotated, standardGot)).toMatchObject({ type: 'message.received' });
    expect(verifyDelivery(secrets.created, standardGot)).toMatchObject({ type: 'message.received' });
    const hmacGot = receiver.received.find((r) => r.headers['x-webhook-signature'])!;
    const hex = createHmac('sha256', secrets.own).update(hmacGot.body).digest('hex');
    expect(hmacGot.headers['x-webhook-signature']).toBe(`sha256=${hex}`);
    expect(slack.posts).toHaveLength(1);
  });

  it('restarted with another key: says so at start-up, keeps ingesting, never shows ciphertext, names the variable', async () => {
    const lines: LogLine[] = [];
    const h = await restart({ HOOKPORT_ENCRYPTION_KEY: newKey() }, lines);
    try {
      // secret, previous secret, own HMAC secret, Slack URL, Jobber access and refresh token.
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          variable: VARIABLE,
          unreadable: 6,
          message: expect.stringContaining(`cannot be decrypted with ${VARIABLE}`) as unknown,
        }),
      );
      const reveal = await api(h, 'get', `/subscriptions/${standardId}/secret`);
      expect(reveal.status).toBe(503);
      expect(reveal.body).toEqual({ error: 'secret_unreadable', message: expect.stringContaining(VARIABLE) });
      const cookie = await signIn(h);
      const page = await h.http().get(`/admin/subscriptions/${standardId}`).set('cookie', cookie);
      expect(page.status).toBe(200);
      const asked = await h
        .http()
        .post(`/admin/subscriptions/${standardId}/secret`)
        .set('cookie', cookie)
        .type('form')
        .send({ _csrf: csrfOf(page.text) });
      expect(asked.status).toBe(503);
      expect(asked.text).toContain(VARIABLE);
      const list = await api(h, 'get', '/subscriptions');
      expect(list.body.subscriptions.find((s: { id: string }) => s.id === slackId).url).toBe(UNREADABLE_URL);
      const consoleList = await h.http().get('/admin/subscriptions').set('cookie', cookie);
      for (const text of [
        JSON.stringify(reveal.body),
        asked.text,
        JSON.stringify(list.body),
        consoleList.text,
        page.text,
      ])
        expect(text).not.toContain('enc:v1');

      // Ingest needs none of the secrets; deliveries that do fail, naming the variable, and retry; nothing is sent.
      const before = { receiver: receiver.received.length, slack: slack.posts.length };
      h.runtime.deliveryWorker.start();
      expect((await postTwilio(h, inboundSms())).status).toBe(200);
      await h.drain();
      for (const id of [standardId, hmacId, slackId]) {
        const rows = await waitFor(
          () => deliveriesOf(h, id),
          (r) => r.length === 2 && r[1]!.status === 'failed',
        );
        expect(rows[1]!.last_error).toContain(VARIABLE);
        expect(rows[1]!.response_status).toBeNull();
      }
      expect({ receiver: receiver.received.length, slack: slack.posts.length }).toEqual(before);

      // A Jobber API call fails clearly the same way; the event waits for a retry.
      const calls = j.fake.calls.length;
      const event = {
        ...jobberEvent('CLIENT_CREATE'),
        occurredAt: new Date().toISOString(),
        itemId: 'Z2lkOi8vSm9iYmVyL0NsaWVudC85OQ==',
      };
      expect((await postJobber(h, jobberBody(event))).status).toBe(200);
      expect(await h.drain()).toEqual(['failed']);
      const [failed] = await h.rows<{ last_error: string }>(
        sql`select last_error from webhook_events where status = 'failed'`,
      );
      expect(failed!.last_error).toContain(VARIABLE);
      expect(j.fake.calls.length).toBe(calls);
    } finally {
      await h.close();
    }
  });

  it('rotation: "new,old" reads the old values; secrets reencrypt leaves none under the old key', async () => {
    const second = newKey();
    const both = `${second},${firstKey}`;
    let h = await restart({ HOOKPORT_ENCRYPTION_KEY: both });
    const reveal = await api(h, 'get', `/subscriptions/${standardId}/secret`);
    expect(reveal.body).toMatchObject({ secret: secrets.rotated, previousSecret: secrets.created });
    await h.close();

    const where = j.h.config.databaseUrl ? { DATABASE_URL: j.h.config.databaseUrl } : { DATA_DIR: dataDir };
    const wrong = await hookport(['secrets', 'reencrypt'], { ...where, HOOKPORT_ENCRYPTION_KEY: newKey() });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`6 stored secrets open under no key of ${VARIABLE}`);
    const run = await hookport(['secrets', 'reencrypt'], { ...where, HOOKPORT_ENCRYPTION_KEY: both });
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain('0 plain values encrypted, 6 re-encrypted from an older key, 0 unreadable');
    for (const text of [wrong.out, wrong.err, run.out]) expect(text).not.toMatch(/enc:v1|whsec_/);
    expect((await hookport(['secrets', 'reencrypt'], { ...where, HOOKPORT_ENCRYPTION_KEY: both })).out).toContain(
      '0 plain values encrypted, 0 re-encrypted from an older key, 0 unreadable',
    );

    // Only the new key now: everything opens, and start-up finds nothing unreadable.
    const lines: LogLine[] = [];
    h = await restart({ HOOKPORT_ENCRYPTION_KEY: second }, lines);
    try {
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
      expect((await api(h, 'get', `/subscriptions/${hmacId}/secret`)).body).toMatchObject({ secret: secrets.own });
      expect((await api(h, 'get', `/subscriptions/${slackId}`)).body.url).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/services\/T…\/B…\/…$/,
      );
      expect(await plainSecrets(h, secrets)).toEqual({});
    } finally {
      await h.close();
    }
  });
});

describe.each(databaseKinds())('secrets stored before a key was set, on %s', (kind: DatabaseKind) => {
  it('are encrypted in place on the first start with a key, and read back', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookport-plain-'));
    const j = await openJobberHarness(kind, { ...ENV, ...(kind === 'pglite' ? { DATA_DIR: dataDir } : {}) });
    let h: Harness | undefined;
    try {
      const created = await j.h
        .http()
        .post('/admin/api/subscriptions')
        .set(auth)
        .send({ url: 'https://example.com/hook', eventTypes: ['message.received'] });
      const secret = created.body.secret as string;
      const tokens = await connectAccount(j);
      // Stored plainly: that is what unset means.
      expect(await findEverywhere(j.h, secret)).toEqual(['subscriptions.secret']);
      expect(await findEverywhere(j.h, tokens.refreshToken)).toEqual(['jobber_accounts.refresh_token']);
      await j.h.runtime.close();

      const logs = captureLogs('info');
      h = await openHarness(
        'pglite',
        {
          ...ENV,
          ...j.fake.env(),
          DATA_DIR: dataDir,
          ...(j.h.config.databaseUrl ? { DATABASE_URL: j.h.config.databaseUrl } : {}),
          HOOKPORT_ENCRYPTION_KEY: newKey(),
        },
        { logger: logs.logger },
      );
      expect(logs.lines).toContainEqual(
        expect.objectContaining({ message: `stored secrets encrypted with ${VARIABLE}`, count: 3 }),
      );
      for (const value of [secret, tokens.accessToken, tokens.refreshToken])
        expect(await findEverywhere(h, value)).toEqual([]);
      const reveal = await h
        .http()
        .get(`/admin/api/subscriptions/${created.body.id as string}/secret`)
        .set(auth);
      expect(reveal.body).toMatchObject({ secret });
    } finally {
      await h?.close();
      await j.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
