import { sql } from 'drizzle-orm';
import { DEFAULT_EVENT_TYPES } from '../../providers/thumbtack/api';
import { databaseKinds, openHarness, TEST_SECRETS, type Harness } from '../helpers/harness';
import { startFakeThumbtack, type FakeThumbtack } from '../fakes/thumbtack';

const BUSINESS = '590297085345701895';
const ADMIN_TOKEN = 'thumbtack-admin-api-token-5b2e8d1c7f4a9e36';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const HERE = 'https://hooks.example.com/webhooks/thumbtack';
const CREDENTIALS = { username: TEST_SECRETS.thumbtackUsername, password: TEST_SECRETS.thumbtackPassword };

interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

describe.each(databaseKinds())('Thumbtack webhooks through the admin API on %s', (kind) => {
  let fake: FakeThumbtack;
  let h: Harness;
  /** The same Hookport without any Thumbtack token. */
  let bare: Harness;
  const answers: string[] = [];
  beforeAll(async () => {
    fake = await startFakeThumbtack({ businesses: [BUSINESS] });
    h = await openHarness(kind, { ADMIN_TOKEN, THUMBTACK_API_URL: fake.url, THUMBTACK_ACCESS_TOKEN: fake.token });
    bare = await openHarness(kind, { ADMIN_TOKEN, THUMBTACK_API_URL: fake.url });
  });
  afterAll(async () => {
    // Whatever any route answered, and whatever the audit log holds, never holds a credential.
    const audit = JSON.stringify(await h.rows(sql`select * from audit_log`));
    for (const text of [...answers, audit]) {
      expect(text).not.toContain(fake.token);
      expect(text).not.toContain(TEST_SECRETS.thumbtackPassword);
    }
    await h.close();
    await bare.close();
    await fake.close();
  });
  beforeEach(async () => {
    fake.webhooks.clear();
    fake.requests.length = 0;
    await h.rows(sql`delete from audit_log`);
  });

  const call = async (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object, on: Harness = h) => {
    const req = on.http()[method](`/admin/api/thumbtack${path}`).set(auth);
    const res = await (body === undefined ? req : req.send(body));
    answers.push(res.text);
    return res;
  };
  const auditRows = () => h.rows<AuditRow>(sql`select actor, action, target, detail from audit_log order by at, id`);

  it('POST defaults to PUBLIC_BASE_URL + /webhooks/thumbtack, leads, messages and reviews, enabled, and sends the Basic credentials', async () => {
    const res = await call('post', '/webhooks', { businessId: BUSINESS });
    expect(res.status).toBe(201);
    const [stored] = [...fake.webhooks.values()];
    expect(res.body).toEqual({
      webhookId: stored!.webhookID,
      url: HERE,
      enabled: true,
      authType: 'Basic',
      eventTypes: [...DEFAULT_EVENT_TYPES],
      pointsHere: true,
    });
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        path: `/api/v4/businesses/${BUSINESS}/webhooks`,
        authorization: `Bearer ${fake.token}`,
        contentType: 'application/json',
        body: { webhookURL: HERE, eventTypes: [...DEFAULT_EVENT_TYPES], enabled: true, auth: CREDENTIALS },
      },
    ]);
    expect(await auditRows()).toEqual([
      {
        actor: 'admin-api',
        action: 'thumbtack.webhook_create',
        target: stored!.webhookID,
        detail: { businessId: BUSINESS, url: HERE, eventTypes: [...DEFAULT_EVENT_TYPES], enabled: true },
      },
    ]);
  });

  it('POST takes the url, event types and enabled given, and still sends the credentials', async () => {
    const res = await call('post', '/webhooks', {
      businessId: BUSINESS,
      url: 'https://elsewhere.example.com/hook',
      eventTypes: ['MessageCreatedV4'],
      enabled: false,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url: 'https://elsewhere.example.com/hook', enabled: false, pointsHere: false });
    expect(fake.requests.at(-1)!.body).toEqual({
      webhookURL: 'https://elsewhere.example.com/hook',
      eventTypes: ['MessageCreatedV4'],
      enabled: false,
      auth: CREDENTIALS,
    });
  });

  it('GET lists the webhooks as Thumbtack does, with pointsHere for the ones whose URL is this Hookport', async () => {
    fake.webhooks.set('1', {
      webhookID: '1',
      businessID: BUSINESS,
      webhookURL: HERE,
      eventTypes: ['NegotiationCreatedV4'],
      enabled: true,
      auth: null,
    });
    fake.webhooks.set('2', {
      webhookID: '2',
      businessID: BUSINESS,
      webhookURL: 'https://old-receiver.example.com/thumbtack',
      eventTypes: ['MessageCreatedV4'],
      enabled: false,
      auth: { username: 'someone', password: 'else' },
    });
    const res = await call('get', `/webhooks?businessId=${BUSINESS}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      webhooks: [
        {
          webhookId: '1',
          url: HERE,
          enabled: true,
          authType: 'None',
          eventTypes: ['NegotiationCreatedV4'],
          pointsHere: true,
        },
        {
          webhookId: '2',
          url: 'https://old-receiver.example.com/thumbtack',
          enabled: false,
          authType: 'Basic',
          eventTypes: ['MessageCreatedV4'],
          pointsHere: false,
        },
      ],
    });
    expect(fake.requests.map((r) => [r.method, r.authorization])).toEqual([['GET', `Bearer ${fake.token}`]]);
  });

  it('PATCH changes only the field given and sends the credentials again', async () => {
    const created = await call('post', '/webhooks', { businessId: BUSINESS, eventTypes: ['ReviewCreatedV4'] });
    const id = created.body.webhookId as string;
    // As if someone had changed it at Thumbtack without credentials.
    fake.webhooks.set(id, { ...fake.webhooks.get(id)!, auth: null });
    fake.requests.length = 0;
    const res = await call('patch', `/webhooks/${id}`, { businessId: BUSINESS, enabled: false });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      webhookId: id,
      url: HERE,
      enabled: false,
      authType: 'Basic',
      eventTypes: ['ReviewCreatedV4'],
      pointsHere: true,
    });
    expect(fake.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(fake.requests[1]).toMatchObject({
      authorization: `Bearer ${fake.token}`,
      body: { webhookURL: HERE, eventTypes: ['ReviewCreatedV4'], enabled: false, auth: CREDENTIALS },
    });
    expect((await auditRows()).at(-1)).toEqual({
      actor: 'admin-api',
      action: 'thumbtack.webhook_update',
      target: id,
      detail: { businessId: BUSINESS, enabled: false },
    });
  });

  it('DELETE removes it at Thumbtack and answers 204', async () => {
    const id = (await call('post', '/webhooks', { businessId: BUSINESS })).body.webhookId as string;
    const res = await call('delete', `/webhooks/${id}?businessId=${BUSINESS}`);
    expect(res.status).toBe(204);
    expect(fake.webhooks.size).toBe(0);
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/api/v4/businesses/${BUSINESS}/webhooks/${id}`,
      authorization: `Bearer ${fake.token}`,
    });
    expect((await auditRows()).map((r) => [r.action, r.target, r.detail])).toEqual([
      ['thumbtack.webhook_create', id, expect.any(Object)],
      ['thumbtack.webhook_delete', id, { businessId: BUSINESS }],
    ]);
  });

  it("answers Thumbtack's refusals as 502 provider_api_error with its status and message", async () => {
    const other = await call('get', '/webhooks?businessId=123');
    expect(other.status).toBe(502);
    expect(other.body).toEqual({
      error: 'provider_api_error',
      message: 'Thumbtack API answered 403: the token cannot manage business 123',
    });
    const insecure = await call('post', '/webhooks', { businessId: BUSINESS, url: 'http://hooks.example.com/x' });
    expect(insecure.status).toBe(502);
    expect(insecure.body.message).toBe('Thumbtack API answered 400: webhookURL must match ^https://');
    const missing = await call('patch', '/webhooks/42', { businessId: BUSINESS, enabled: true });
    expect(missing.status).toBe(502);
    expect(missing.body.message).toBe('Thumbtack API answered 404: webhook 42 not found');
    fake.failNext(500, 'upstream is down');
    const down = await call('delete', `/webhooks/42?businessId=${BUSINESS}`);
    expect(down.status).toBe(502);
    expect(down.body.message).toBe('Thumbtack API answered 500: upstream is down');
    // Nothing changed, so nothing is in the audit log.
    expect(await auditRows()).toEqual([]);
  });

  it('answers 503 provider_not_configured naming what to set when there is no token, before calling Thumbtack', async () => {
    for (const [method, path, body] of [
      ['get', `/webhooks?businessId=${BUSINESS}`],
      ['post', '/webhooks', { businessId: BUSINESS }],
      ['patch', '/webhooks/1', { businessId: BUSINESS, enabled: false }],
      ['delete', `/webhooks/1?businessId=${BUSINESS}`],
    ] as const) {
      const res = await call(method, path, body, bare);
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('provider_not_configured');
      expect(res.body.message).toMatch(/THUMBTACK_ACCESS_TOKEN/);
      expect(res.body.message).toMatch(/\/oauth\/thumbtack\/connect/);
    }
    expect(fake.requests).toEqual([]);
  });

  it('refuses a body or query its schema does not admit, with 400', async () => {
    expect((await call('post', '/webhooks', {})).status).toBe(400);
    expect((await call('get', '/webhooks')).status).toBe(400);
    expect((await call('patch', '/webhooks/1', { businessId: BUSINESS, password: 'x' })).status).toBe(400);
    expect(fake.requests).toEqual([]);
  });

  it('is in the OpenAPI document, with its schemas', async () => {
    const doc = (await h.http().get('/admin/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/thumbtack/webhooks']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/thumbtack/webhooks/{webhookId}']!).sort()).toEqual(['delete', 'patch']);
    const post = doc.paths['/thumbtack/webhooks']!.post as { responses: Record<string, unknown> };
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '502', '503']));
  });

  it('needs the admin token', async () => {
    const res = await h.http().get(`/admin/api/thumbtack/webhooks?businessId=${BUSINESS}`);
    expect(res.status).toBe(401);
  });
});
