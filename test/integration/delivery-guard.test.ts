import { sql } from 'drizzle-orm';
import { DeliveryHttpClient } from '../../src/deliveries/http-client';
import { NetworkGuardError, systemResolver, type Resolver } from '../../src/deliveries/network-guard';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { Receiver } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';
import { waitFor } from '../helpers/wait';
import { inboundSms, postTwilio } from '../helpers/webhooks';

const ADMIN_TOKEN = 'admin-token-for-the-guard-tests-0123456789abcdef';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Names the tests control; anything else resolves as the system does. */
const dns: Record<string, string[]> = {
  'public.test': ['93.184.216.34'],
  'rebind.test': ['127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'mixed.test': ['93.184.216.34', '10.0.0.7'],
  'v6.test': ['::ffff:127.0.0.1'],
};
const resolve: Resolver = (host, callback) => {
  const table = dns[host];
  if (!table) return systemResolver(host, callback);
  callback(
    null,
    table.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  );
};

describe('the delivery HTTP client without DELIVERY_ALLOW_PRIVATE_NETWORKS', () => {
  const receiver = new Receiver();
  const client = new DeliveryHttpClient({ allowPrivateNetworks: false, timeoutMs: 2000, resolve });
  beforeAll(() => receiver.start());
  afterAll(async () => {
    await client.close();
    await receiver.close();
  });

  it.each([
    ['a literal loopback address', (port: number) => `http://127.0.0.1:${port}/hook`],
    ['a literal IPv6 loopback address', (port: number) => `http://[::1]:${port}/hook`],
    ['an IPv4-mapped IPv6 loopback address', (port: number) => `http://[::ffff:127.0.0.1]:${port}/hook`],
    ['localhost, resolved by the system', (port: number) => `http://localhost:${port}/hook`],
    ['a name that resolves to 127.0.0.1', (port: number) => `http://rebind.test:${port}/hook`],
    ['a name with a private address among public ones', (port: number) => `http://mixed.test:${port}/hook`],
    ['the metadata service by name', () => 'http://metadata.test/latest/meta-data'],
    ['the metadata service by address', () => 'http://169.254.169.254/latest/meta-data'],
    ['a link-local IPv6 address', () => 'http://[fe80::1]/hook'],
    ['a unique-local IPv6 address', () => 'http://[fd12:3456::1]/hook'],
    ['a private address', () => 'http://10.0.0.5/hook'],
    ['the unspecified address', (port: number) => `http://0.0.0.0:${port}/hook`],
  ])('refuses %s, before anything is sent', async (_what, url) => {
    await expect(client.post(url(receiver.port), { 'content-type': 'application/json' }, '{}')).rejects.toBeInstanceOf(
      NetworkGuardError,
    );
    expect(receiver.received).toEqual([]);
  });

  it('connects when allowed', async () => {
    const open = new DeliveryHttpClient({ allowPrivateNetworks: true, timeoutMs: 2000 });
    const res = await open.post(receiver.url('localhost'), { 'content-type': 'application/json' }, '{}');
    await open.close();
    expect(res.status).toBe(200);
    expect(receiver.received).toHaveLength(1);
  });
});

describe.each(databaseKinds())('subscriptions and the network guard on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, DELIVERY_SWEEP_MS: '50', DELIVERY_RETRY_SCHEDULE: '1h' }, { resolve });
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };

  it('answers 401 without the token', async () => {
    expect((await h.http().get('/admin/api/subscriptions')).status).toBe(401);
    const res = await h
      .http()
      .post('/admin/api/subscriptions')
      .send({ url: 'https://public.test/hook', eventTypes: ['*'] });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(expect.objectContaining({ error: 'unauthorized' }));
    expect((await h.http().get('/admin/api/subscriptions/00000000-0000-4000-8000-000000000000/secret')).status).toBe(
      401,
    );
  });

  it.each([
    'ftp://public.test/hook',
    'file:///etc/passwd',
    'http://127.0.0.1/hook',
    'http://localhost:8080/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.5/hook',
    'http://192.168.1.20/hook',
    'http://100.64.1.1/hook',
    'http://[fe80::1]/hook',
    'http://[fd00::1]/hook',
    'http://0.0.0.0/hook',
    'http://rebind.test/hook',
    'http://metadata.test/hook',
    'http://mixed.test/hook',
    'http://v6.test/hook',
  ])('refuses to subscribe %s: 400 url_not_allowed', async (url) => {
    const res = await api('post', '/subscriptions', { url, eventTypes: ['*'] });
    expect({ url, status: res.status, error: res.body.error }).toEqual({ url, status: 400, error: 'url_not_allowed' });
    expect(res.body.message).toEqual(expect.any(String));
  });

  it('answers invalid_request for a bad body', async () => {
    for (const body of [
      {},
      { url: 'https://public.test/' },
      { url: 'https://public.test/', eventTypes: [] },
      { url: 'https://public.test/', eventTypes: ['lead created'] },
      { url: 'https://public.test/', eventTypes: ['*'], extra: 1 },
    ]) {
      const res = await api('post', '/subscriptions', body);
      expect({ body, status: res.status, error: res.body.error }).toEqual({
        body,
        status: 400,
        error: 'invalid_request',
      });
    }
  });

  it('shows the secret on creation and at /secret only', async () => {
    const created = await api('post', '/subscriptions', {
      url: 'https://public.test/hook',
      eventTypes: ['lead.*'],
      description: 'CRM',
    });
    expect(created.status).toBe(201);
    registerSecret('subscription secret', created.body.secret);
    expect(created.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        kind: 'webhook',
        enabled: true,
        disabledReason: null,
        eventTypes: ['lead.*'],
        description: 'CRM',
      }),
    );
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32);
    const one = await api('get', `/subscriptions/${created.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(JSON.stringify(one.body)).not.toContain(created.body.secret.slice(6));
    const list = await api('get', '/subscriptions');
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret.slice(6));
    expect(list.body.subscriptions.map((s: { id: string }) => s.id)).toContain(created.body.id);
    const secret = await api('get', `/subscriptions/${created.body.id}/secret`);
    expect(secret.body).toEqual({ secret: created.body.secret, previousSecret: null, previousSecretExpiresAt: null });
    const patched = await api('patch', `/subscriptions/${created.body.id}`, { url: 'http://10.1.1.1/' });
    expect(patched.body.error).toBe('url_not_allowed');
    expect((await api('get', '/subscriptions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('describes the subscription routes in the OpenAPI document', async () => {
    const doc = (await h.http().get('/admin/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/subscriptions',
        '/subscriptions/{id}',
        '/subscriptions/{id}/secret',
        '/subscriptions/{id}/rotate-secret',
        '/subscriptions/{id}/test',
        '/subscriptions/{id}/deliveries',
        '/subscriptions/{id}/stats',
        '/deliveries/{id}/retry',
      ]),
    );
    expect(Object.keys(doc.paths['/subscriptions/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
  });

  it('checks the address connected to, after DNS: a name that rebinds to 127.0.0.1 after the check gets nothing', async () => {
    dns['later.test'] = ['93.184.216.34'];
    const created = await api('post', '/subscriptions', {
      url: `http://later.test:${receiver.port}/hook`,
      eventTypes: ['message.received'],
    });
    expect(created.status).toBe(201);
    registerSecret('subscription secret', created.body.secret);
    dns['later.test'] = ['127.0.0.1'];
    // And one that a database edit pointed at a literal loopback address.
    const literal = await api('post', '/subscriptions', {
      url: 'https://public.test/hook',
      eventTypes: ['message.received'],
    });
    registerSecret('subscription secret', literal.body.secret);
    await h.rows(
      sql`update subscriptions set url = ${`http://[::1]:${receiver.port}/hook`} where id = ${literal.body.id}::uuid`,
    );
    h.runtime.deliveryWorker.start();
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    await h.drain();
    const rows = await waitFor(
      () =>
        h.rows<{ subscription_id: string; status: string; last_error: string | null }>(
          sql`select subscription_id, status, last_error from deliveries`,
        ),
      (all) => all.length === 2 && all.every((d) => d.status === 'failed'),
    );
    const errorOf = (id: string) => rows.find((d) => d.subscription_id === id)!.last_error;
    expect(errorOf(created.body.id)).toMatch(/refused to connect to later\.test: 127\.0\.0\.1 is a loopback/);
    expect(errorOf(literal.body.id)).toMatch(/refused to connect to ::1/);
    expect(receiver.received).toEqual([]);
  });
});
