import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { providers } from '../../providers';
import { deleteSource, insertSource, updateSource, type NewSource } from '../../providers/sources/store';
import { sourceDirectory } from '../../providers/sources/directory';
import { loadConfig } from '../../src/contract/load-config';
import { createLogger } from '../../src/log/logger';
import { openRuntime, type Runtime } from '../../src/runtime';
import { databaseKinds, postgresServerUrl, type Harness } from '../helpers/harness';
import { registerSecret, registerSecretsIn } from '../helpers/log-capture';
import { suiteHarness } from '../helpers/suite';
import { providerTestEnv } from '../helpers/test-secrets';
import { waitFor } from '../helpers/wait';
import { listen, rawRequest } from '../helpers/raw-http';

const ADMIN_TOKEN = 'sources-ingest-admin-token-4e8b1f6a2c9d7e35';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

// Secrets of the test sources: the log scan after the suite looks for each.
const SW_OLD = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SW_NEW = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
// GitHub's published example ("Validating webhook deliveries").
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
const STRIPE_SECRET = 'whsec_test_stripe_source_0a1b2c3d4e5f60718293';
const FORM_PASSWORD = 'form-builder-password-9d3e1a7c';
const API_KEY = 'source-api-key-5c7e9a1b3d5f7092';
for (const value of [SW_OLD, SW_NEW, GITHUB_SECRET, STRIPE_SECRET, FORM_PASSWORD, API_KEY])
  registerSecret('source', value);

const base = { eventTypePath: null, dedupeHeader: null, schema: null, enabled: true, description: null };
const SOURCES: NewSource[] = [
  {
    ...base,
    name: 'shop',
    verification: { type: 'standard-webhooks' },
    secrets: [SW_NEW, SW_OLD],
    eventTypePath: 'type',
  },
  {
    ...base,
    name: 'github',
    verification: {
      type: 'hmac',
      header: 'X-Hub-Signature-256',
      algorithm: 'sha256',
      encoding: 'hex',
      prefix: 'sha256=',
      preset: 'github',
    },
    secrets: [GITHUB_SECRET],
    eventTypePath: 'action',
    dedupeHeader: 'X-GitHub-Delivery',
  },
  {
    ...base,
    name: 'billing',
    verification: { type: 'stripe', toleranceSeconds: 300 },
    secrets: [STRIPE_SECRET],
    eventTypePath: 'type',
  },
  { ...base, name: 'forms', verification: { type: 'basic', username: 'forms' }, secrets: [FORM_PASSWORD] },
  { ...base, name: 'app', verification: { type: 'bearer', header: 'X-Api-Key' }, secrets: [API_KEY] },
];

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const stripe = new Stripe('sk_test_sources_suite');
let sequence = 0;

/** A Standard Webhooks request as the library signs it. */
function standardWebhook(secret: string, payload: Record<string, unknown>, at = new Date()) {
  const id = `msg_source_${++sequence}`;
  const body = JSON.stringify(payload);
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
  };
}

describe.each(databaseKinds())('run-time sources on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, SOURCES_MAX_BODY_BYTES: '65536' });
  beforeAll(async () => {
    for (const source of SOURCES) await insertSource(h.config, h.runtime.database.db, source);
    changed();
  });
  /** What the admin routes do after a change: this instance reads the table again at once. */
  const changed = () =>
    sourceDirectory({ config: h.config, db: h.runtime.database.db, logger: createLogger('error', true) }).changed();

  const post = (name: string, headers: Record<string, string>, body: string | Buffer) =>
    h.http().post(`/webhooks/sources/${name}`).set(headers).send(body);
  const inbox = (id: string) =>
    h.rows<{
      provider: string;
      event_type: string;
      dedupe_key: string;
      status: string;
      headers: Record<string, string>;
    }>(sql`select provider, event_type, dedupe_key, status, headers from webhook_events where id = ${id}`);
  const bodyOf = async (inboundId: string) =>
    (
      await h.rows<{ type: string; body: { type: string; data: Record<string, unknown> } }>(
        sql`select type, body from canonical_events where webhook_event_id = ${inboundId}`,
      )
    )[0];

  describe('standard-webhooks', () => {
    it('stores a signed request as source:<name>, typed from eventTypePath, its body as data.object', async () => {
      const { headers, body } = standardWebhook(SW_NEW, { type: 'Order Created', order: { id: 'o_1', total: 42 } });
      const res = await post('shop', headers, body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true, id: expect.any(String), duplicate: false });
      const [row] = await inbox(res.body.id);
      expect(row).toMatchObject({
        provider: 'source:shop',
        event_type: 'source.shop.order_created',
        dedupe_key: `webhook-id:${headers['webhook-id']}`,
      });
      // Credentials never stored as sent.
      expect(row!.headers['webhook-signature']).toBe('[redacted]');
      expect(await h.drain()).toEqual(['processed']);
      const event = await bodyOf(res.body.id);
      expect(event?.type).toBe('source.shop.order_created');
      expect(event?.body.data.object).toEqual({ type: 'Order Created', order: { id: 'o_1', total: 42 } });
      expect(event?.body.data.source).toMatchObject({ provider: 'source:shop', inboundEventId: res.body.id });
    });

    it('accepts the previous secret while both are listed (rotation), and refuses any other', async () => {
      expect((await post('shop', ...args(standardWebhook(SW_OLD, { type: 'x' })))).status).toBe(200);
      const other = standardWebhook('whsec_' + Buffer.alloc(24, 7).toString('base64'), { type: 'x' });
      const refused = await post('shop', ...args(other));
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_signature');
    });

    it('refuses an altered body, a stale and a future timestamp', async () => {
      const genuine = standardWebhook(SW_NEW, { type: 'x', n: 1 });
      expect((await post('shop', genuine.headers, genuine.body.replace('1', '2'))).status).toBe(401);
      const stale = standardWebhook(SW_NEW, { type: 'x' }, new Date(Date.now() - 10 * 60_000));
      expect((await post('shop', ...args(stale))).status).toBe(401);
      const future = standardWebhook(SW_NEW, { type: 'x' }, new Date(Date.now() + 10 * 60_000));
      expect((await post('shop', ...args(future))).status).toBe(401);
    });

    it('dedupes a retry by its webhook-id', async () => {
      const request = standardWebhook(SW_NEW, { type: 'x' });
      const first = await post('shop', ...args(request));
      const again = await post('shop', ...args(request));
      expect(again.body).toEqual({ received: true, id: first.body.id, duplicate: true });
    });
  });

  describe('hmac (the GitHub preset)', () => {
    it("verifies GitHub's published example; a body that is not JSON becomes {raw}", async () => {
      const res = await post(
        'github',
        { 'X-Hub-Signature-256': GITHUB_SIGNATURE, 'Content-Type': 'text/plain', 'X-GitHub-Delivery': 'd-1' },
        'Hello, World!',
      );
      expect(res.status).toBe(200);
      expect((await inbox(res.body.id))[0]).toMatchObject({
        event_type: 'source.github.received',
        dedupe_key: 'x-github-delivery:d-1',
      });
      await h.drain();
      expect((await bodyOf(res.body.id))?.body.data.object).toEqual({ raw: 'Hello, World!' });
    });

    it('refuses a forged signature and a missing header', async () => {
      const forged = `sha256=${'0'.repeat(64)}`;
      expect((await post('github', { 'X-Hub-Signature-256': forged }, 'Hello, World!')).status).toBe(401);
      expect((await post('github', {}, 'Hello, World!')).status).toBe(401);
    });

    it('types by `action`, and dedupes by the SHA-256 of the body when the dedupe header is absent', async () => {
      const body = JSON.stringify({ action: 'opened', number: 7 });
      const signature = `sha256=${createHmac('sha256', GITHUB_SECRET).update(body).digest('hex')}`;
      const headers = { 'X-Hub-Signature-256': signature, 'Content-Type': 'application/json' };
      const first = await post('github', headers, body);
      expect((await inbox(first.body.id))[0]).toMatchObject({
        event_type: 'source.github.opened',
        dedupe_key: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      expect((await post('github', headers, body)).body).toMatchObject({ id: first.body.id, duplicate: true });
    });
  });

  describe('stripe (the Stripe preset, verified with the stripe library)', () => {
    const event = (type: string) => JSON.stringify({ id: `evt_${++sequence}`, object: 'event', type });
    it('stores a request signed as Stripe signs it, typed by its `type`', async () => {
      const body = event('invoice.paid');
      const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET });
      const res = await post('billing', { 'Stripe-Signature': header, 'Content-Type': 'application/json' }, body);
      expect(res.status).toBe(200);
      expect((await inbox(res.body.id))[0]?.event_type).toBe('source.billing.invoice.paid');
    });

    it('refuses a stale signature and another secret', async () => {
      const body = event('invoice.paid');
      const stale = stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret: STRIPE_SECRET,
        timestamp: Math.floor(Date.now() / 1000) - 600,
      });
      expect((await post('billing', { 'Stripe-Signature': stale }, body)).status).toBe(401);
      const other = stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_another_one_entirely' });
      expect((await post('billing', { 'Stripe-Signature': other }, body)).status).toBe(401);
    });
  });

  describe('basic and bearer', () => {
    it('accepts a form post with the right Basic credentials, its fields as data.object', async () => {
      const res = await post(
        'forms',
        { Authorization: basic('forms', FORM_PASSWORD), 'Content-Type': 'application/x-www-form-urlencoded' },
        'name=Dana&phone=%2B15551234567&service=gutters&service=roof',
      );
      expect(res.status).toBe(200);
      await h.drain();
      expect((await bodyOf(res.body.id))?.body.data.object).toEqual({
        name: 'Dana',
        phone: '+15551234567',
        service: ['gutters', 'roof'],
      });
    });

    it('refuses wrong Basic credentials and a wrong key, from the headers alone', async () => {
      expect((await post('forms', { Authorization: basic('forms', 'wrong-password') }, 'a=1')).status).toBe(401);
      expect((await post('forms', { Authorization: basic('other', FORM_PASSWORD) }, 'a=1')).status).toBe(401);
      expect((await post('forms', {}, 'a=1')).status).toBe(401);
      expect((await post('app', { 'X-Api-Key': `${API_KEY}x` }, '{}')).status).toBe(401);
      expect((await post('app', { 'X-Api-Key': API_KEY, 'Content-Type': 'application/json' }, '{}')).status).toBe(200);
    });
  });

  describe('refused from the headers alone: the body is never awaited', () => {
    let port = 0;
    let close: () => Promise<void> = async () => {};
    beforeAll(async () => {
      ({ port, close } = await listen(h.runtime.app, h.config.http));
    });
    afterAll(() => close());

    // Each announces 100,000 bytes and sends none: only an answer that does not wait for the body arrives.
    it.each([
      ['Basic, wrong password', 'forms', { Authorization: basic('forms', 'not-the-password') }, 401],
      ['Basic, none', 'forms', {}, 401],
      ['bearer, wrong key', 'app', { 'X-Api-Key': 'not-the-key-at-all-0000' }, 401],
      ['hmac, no signature', 'github', {}, 401],
      ['hmac, malformed signature', 'github', { 'X-Hub-Signature-256': 'sha256=zz' }, 401],
      ['Standard Webhooks, no headers', 'shop', {}, 401],
      ['Stripe, no signature', 'billing', {}, 401],
      ['no such source', 'nothing-here', {}, 404],
    ])('%s → %s at once', async (_what, name, headers, status) => {
      const lines = Object.entries({ ...headers, 'Content-Length': '100000' }).map(([k, v]) => `${k}: ${v}`);
      const head = [`POST /webhooks/sources/${name} HTTP/1.1`, 'Host: hooks.example.com', ...lines].join('\r\n');
      const answer = await rawRequest(port, head, { timeoutMs: 4000 });
      expect(answer.status).toBe(status);
      expect(answer.body).not.toContain(FORM_PASSWORD);
    });
  });

  describe('like every provider', () => {
    it('answers 404 for no such source, and for a disabled or deleted one within its refresh', async () => {
      const db = h.runtime.database.db;
      const request = () => post('app', { 'X-Api-Key': API_KEY, 'Content-Type': 'application/json' }, '{"n":1}');
      expect((await post('nothing-here', {}, '{}')).status).toBe(404);
      expect((await h.http().post('/webhooks/sources').send('{}')).status).toBe(404);
      await updateSource(h.config, db, 'app', { enabled: false });
      changed();
      expect((await request()).status).toBe(404);
      await updateSource(h.config, db, 'app', { enabled: true });
      changed();
      expect((await request()).status).toBe(200);
    });

    it('answers 413 over SOURCES_MAX_BODY_BYTES, storing nothing', async () => {
      const before = await h.rows(sql`select id from webhook_events`);
      const big = JSON.stringify({ pad: 'x'.repeat(70_000) });
      const res = await post('app', { 'X-Api-Key': API_KEY, 'Content-Type': 'application/json' }, big);
      expect(res.status).toBe(413);
      expect(await h.rows(sql`select id from webhook_events`)).toHaveLength(before.length);
    });

    it('delivers to a subscription of source.<name>.*, and counts and lists the source by name', async () => {
      const created = await h
        .http()
        .post('/admin/api/subscriptions')
        .set(auth)
        .send({ url: 'https://receiver.example.com/hooks', eventTypes: ['source.shop.*'] });
      expect(created.status).toBe(201);
      const res = await post('shop', ...args(standardWebhook(SW_NEW, { type: 'refund' })));
      await h.drain();
      const deliveries = await h.rows<{ subscription_id: string; type: string }>(
        sql`select d.subscription_id, e.type from deliveries d join canonical_events e on e.id = d.canonical_event_id
            where e.webhook_event_id = ${res.body.id}`,
      );
      expect(deliveries).toEqual([{ subscription_id: created.body.id, type: 'source.shop.refund' }]);

      await h.runtime.counts.flush();
      const stats = await h.http().get('/admin/api/stats?window=1h').set(auth);
      expect(stats.body.providers['source:shop'].received).toBeGreaterThan(0);
      const metrics = await h.http().get('/metrics');
      expect(metrics.text).toMatch(/hookport_webhooks_received_total\{[^}]*provider="source:shop"/);
      const types = await h.http().get('/admin/api/event-types').set(auth);
      expect(types.body.eventTypes.map((t: { type: string }) => t.type)).toEqual(
        expect.arrayContaining(['source.*', 'source.shop.*', 'source.github.*']),
      );
    });

    it('keeps the events of a deleted source, and still replays them', async () => {
      const db = h.runtime.database.db;
      await insertSource(h.config, db, {
        ...base,
        name: 'gone',
        verification: { type: 'basic', username: 'u' },
        secrets: [FORM_PASSWORD],
      });
      changed();
      const res = await post(
        'gone',
        { Authorization: basic('u', FORM_PASSWORD), 'Content-Type': 'application/json' },
        '{"a":1}',
      );
      expect(res.status).toBe(200);
      await h.drain();
      await deleteSource(db, 'gone');
      changed();
      expect((await post('gone', { Authorization: basic('u', FORM_PASSWORD) }, '{"a":1}')).status).toBe(404);
      const replay = await h.http().post(`/admin/api/events/${res.body.id}/replay`).set(auth);
      expect(replay.status).toBe(202);
      expect(await h.drain()).toEqual(['processed']);
    });
  });
});

/** A signed request as supertest arguments. */
function args(request: { headers: Record<string, string>; body: string }): [Record<string, string>, string] {
  return [request.headers, request.body];
}

const describeOnPostgres = postgresServerUrl() ? describe : describe.skip;

describeOnPostgres('a source created on one instance', () => {
  const h: Harness = suiteHarness('postgres', { ADMIN_TOKEN });
  let other: Runtime;
  beforeAll(async () => {
    const settings = {
      DATA_DIR: 'memory://',
      DATABASE_URL: h.config.databaseUrl!,
      ...providerTestEnv(providers),
      WORKER_ENABLED: 'false',
      DELIVERY_WORKER_ENABLED: 'false',
    };
    registerSecretsIn(settings);
    other = await openRuntime(loadConfig(settings, providers), createLogger('error', true), providers);
  });
  afterAll(() => other?.close());

  it('is taken by another instance within seconds, and refused there once deleted', async () => {
    const request = () =>
      import('supertest').then(({ default: request }) =>
        request(other.app)
          .post('/webhooks/sources/late')
          .set({ 'X-Api-Key': API_KEY, 'Content-Type': 'application/json' })
          .send('{}'),
      );
    // The other instance has read the (empty) table already: only a refresh can explain a 200.
    expect((await request()).status).toBe(404);
    const started = Date.now();
    await insertSource(h.config, h.runtime.database.db, {
      ...base,
      name: 'late',
      verification: { type: 'bearer', header: 'X-Api-Key' },
      secrets: [API_KEY],
    });
    await waitFor(request, (res) => res.status === 200, 5000);
    const tookMs = Date.now() - started;
    expect(tookMs).toBeLessThan(5000);
    await deleteSource(h.runtime.database.db, 'late');
    await waitFor(request, (res) => res.status === 404, 5000);
  });
});
