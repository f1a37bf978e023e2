import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { captureLogs } from '../helpers/logs';
import { suiteHarness } from '../helpers/suite';

const ADMIN_TOKEN = 'sources-admin-api-token-3d8f1a6c9e2b7d40';
const BASE = 'https://hooks.example.com';
/** Every credential a source is given here: none may appear in an answer, the audit log or a log line. */
const OWN = {
  standard: `whsec_${Buffer.from('sources-admin-standard-key-0123456789').toString('base64')}`,
  hmac: 'sources-admin-hmac-secret-7c1e',
  github: 'sources-admin-github-secret-4b9a',
  stripe: `whsec_${Buffer.from('sources-admin-stripe-key-0123456789ab').toString('base64')}`,
  password: 'sources-admin-basic-password-62fd',
  token: 'sources-admin-bearer-token-0a8e5c7b',
  rotated: 'sources-admin-hmac-secret-rotated-91d3',
};
for (const value of Object.values(OWN)) registerSecret('source secret', value);

interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

describe.each(databaseKinds())('sources through the admin API on %s', (kind) => {
  const logs = captureLogs('debug');
  const h = suiteHarness(kind, { ADMIN_TOKEN }, { logger: logs.logger });
  /** Every answer's text, checked for secrets at the end. */
  const answers: string[] = [];
  const generated: string[] = [];

  const call = async (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api/sources${path}`).set('authorization', `Bearer ${ADMIN_TOKEN}`);
    const res = await (body === undefined ? req : req.send(body));
    answers.push(res.text);
    return res;
  };
  const create = (body: object) => call('post', '', body);
  const audit = () =>
    h.rows<AuditRow>(
      sql`select actor, action, target, detail from audit_log where action like 'source.%' order by at, id`,
    );

  beforeEach(async () => {
    await h.rows(sql`delete from sources`);
    await h.rows(sql`delete from audit_log`);
  });

  afterAll(() => {
    const everything = [answers.join('\n'), JSON.stringify(logs.lines)].join('\n');
    for (const secret of Object.values(OWN)) expect(everything).not.toContain(secret);
    // A generated secret is in its create answer only: never in a log line.
    for (const secret of generated) expect(JSON.stringify(logs.lines)).not.toContain(secret);
  });

  it('creates each kind, answering the parameters and the URL, never a secret given', async () => {
    const cases: [string, object, Record<string, unknown>][] = [
      ['hooks', { type: 'standard-webhooks', secret: OWN.standard }, { type: 'standard-webhooks' }],
      [
        'shop',
        { type: 'hmac', header: 'X-Shop-Signature', algorithm: 'sha256', encoding: 'base64', secret: OWN.hmac },
        { type: 'hmac', header: 'X-Shop-Signature', algorithm: 'sha256', encoding: 'base64' },
      ],
      ['forms', { type: 'basic', username: 'forms', password: OWN.password }, { type: 'basic', username: 'forms' }],
      ['crm', { type: 'bearer', header: 'X-Api-Key', token: OWN.token }, { type: 'bearer', header: 'X-Api-Key' }],
    ];
    for (const [name, verification, shown] of cases) {
      const res = await create({ name, verification, eventTypePath: 'event.type', description: `the ${name}` });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        name,
        url: `${BASE}/webhooks/sources/${name}`,
        verification: expect.objectContaining(shown),
        secretCount: 1,
        eventTypePath: 'event.type',
        dedupeHeader: null,
        schema: null,
        enabled: true,
        description: `the ${name}`,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(res.body).not.toHaveProperty('secret');
    }
    expect((await audit()).map((e) => [e.action, e.target, e.actor])).toEqual(
      cases.map(([name]) => ['source.created', name, 'admin-api']),
    );
    expect((await audit())[1]!.detail).toMatchObject({ kind: 'hmac', generated: false });
  });

  it('the presets fill in GitHub and Stripe, GitHub with its delivery header unless one is given', async () => {
    const github = await create({ name: 'github', verification: { preset: 'github', secret: OWN.github } });
    expect(github.status).toBe(201);
    expect(github.body).toMatchObject({
      verification: {
        type: 'hmac',
        header: 'X-Hub-Signature-256',
        algorithm: 'sha256',
        encoding: 'hex',
        prefix: 'sha256=',
        preset: 'github',
      },
      dedupeHeader: 'X-GitHub-Delivery',
      eventTypePath: null,
    });
    const own = await create({
      name: 'github-2',
      verification: { preset: 'github', secret: OWN.github },
      dedupeHeader: 'X-Request-Id',
    });
    expect(own.body).toMatchObject({ dedupeHeader: 'X-Request-Id' });
    const stripe = await create({ name: 'stripe', verification: { preset: 'stripe', secret: OWN.stripe } });
    expect(stripe.status).toBe(201);
    expect(stripe.body).toMatchObject({ verification: { type: 'stripe' }, secretCount: 1 });
    expect((await audit()).map((e) => e.detail?.kind)).toEqual(['hmac (github)', 'hmac (github)', 'stripe']);
  });

  it('shows a generated secret in the create answer only: never in GET, the list, a PATCH or the audit log', async () => {
    const res = await create({ name: 'generated', verification: { type: 'standard-webhooks' } });
    expect(res.status).toBe(201);
    const secret = res.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    registerSecret('generated source secret', secret);
    generated.push(secret);
    const later = [
      await call('get', '/generated'),
      await call('get', ''),
      await call('patch', '/generated', { description: 'changed' }),
      await call('get', '/generated'),
    ];
    for (const answer of later) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(secret);
      expect(answer.text).not.toContain('"secret"');
    }
    expect(JSON.stringify(await h.rows(sql`select * from audit_log`))).not.toContain(secret);
    // Stored sealed or not, what the table holds is what the store wrote; the answer never opens it.
    expect((await audit())[0]!.detail).toMatchObject({ kind: 'standard-webhooks', generated: true });
  });

  it('refuses a taken name with 409 conflict', async () => {
    const body = { name: 'taken', verification: { type: 'bearer', token: OWN.token } };
    expect((await create(body)).status).toBe(201);
    const again = await create(body);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'conflict', message: expect.stringContaining('taken') });
    expect(await audit()).toHaveLength(1);
  });

  it.each([
    ['an upper-case name', { name: 'GitHub' }, /name: a source name is 1 to 40 of a-z/],
    ['a 41-character name', { name: 'a'.repeat(41) }, /name: a source name/],
    ['an unverified source', { verification: { type: 'none' } }, /verification/],
    ['an unknown kind', { verification: { type: 'magic' } }, /verification/],
    ['a bad event type path', { eventTypePath: 'event..type' }, /eventTypePath: a dot path/],
    ['a bad dedupe header', { dedupeHeader: 'X Delivery' }, /dedupeHeader: an HTTP header name/],
    ['a schema that is not an object', { schema: ['type'] }, /schema/],
    ['an unknown field', { secret: OWN.token }, /Unrecognized key/],
  ])('refuses %s with 400', async (_what, change, message) => {
    const res = await create({ name: 'refused', verification: { type: 'bearer', token: OWN.token }, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message).toMatch(message);
    expect(res.text).not.toContain(OWN.token);
    expect(await audit()).toEqual([]);
  });

  it('refuses a body over the admin API limit of 64 KiB, so a larger schema never arrives (413)', async () => {
    const schema = { type: 'object', description: 'x'.repeat(40 * 1024), title: 'y'.repeat(25 * 1024) };
    const res = await create({ name: 'big', verification: { type: 'bearer', token: OWN.token }, schema });
    expect(res.status).toBe(413);
    expect(await h.rows(sql`select name from sources`)).toEqual([]);
  });

  it('lists, gets, changes and deletes; 404 for none; the events a source sent stay', async () => {
    await create({ name: 'beta', verification: { type: 'basic', username: 'b', password: OWN.password } });
    await create({ name: 'alpha', verification: { type: 'bearer', token: OWN.token }, eventTypePath: 'type' });
    const basic = `Basic ${Buffer.from(`b:${OWN.password}`).toString('base64')}`;
    const received = await h.http().post('/webhooks/sources/beta').set('authorization', basic).send({ type: 'kept' });
    expect(received.status).toBe(200);
    const list = await call('get', '');
    expect(list.status).toBe(200);
    expect(list.body.sources.map((s: { name: string }) => s.name)).toEqual(['alpha', 'beta']);
    expect((await call('get', '/alpha')).body).toMatchObject({ name: 'alpha', eventTypePath: 'type' });
    expect((await call('get', '/nope')).status).toBe(404);
    expect((await call('get', '/nope')).body).toMatchObject({ error: 'not_found' });

    const schema = { type: 'object', required: ['type'] };
    const patched = await call('patch', '/alpha', {
      eventTypePath: null,
      dedupeHeader: 'X-Delivery',
      enabled: false,
      description: 'the CRM',
      schema,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'alpha',
      eventTypePath: null,
      dedupeHeader: 'X-Delivery',
      enabled: false,
      description: 'the CRM',
      schema,
      verification: { type: 'bearer' },
    });
    expect(patched.body).not.toHaveProperty('secret');
    const cleared = await call('patch', '/alpha', { schema: null, dedupeHeader: null });
    expect(cleared.body).toMatchObject({ schema: null, dedupeHeader: null, description: 'the CRM' });

    const empty = await call('patch', '/alpha', {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/at least one of/);
    expect((await call('patch', '/nope', { enabled: true })).status).toBe(404);

    // A new verification replaces the secrets: two while rotating, newest first.
    const rotated = await call('patch', '/alpha', {
      verification: {
        type: 'hmac',
        header: 'X-Sig',
        algorithm: 'sha512',
        encoding: 'hex',
        secret: [OWN.rotated, OWN.hmac],
      },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ verification: { type: 'hmac', algorithm: 'sha512' }, secretCount: 2 });
    const regenerated = await call('patch', '/beta', { verification: { type: 'standard-webhooks' } });
    expect(regenerated.body.secret).toMatch(/^whsec_/);
    registerSecret('generated source secret', regenerated.body.secret as string);
    generated.push(regenerated.body.secret as string);

    expect((await call('delete', '/alpha')).status).toBe(204);
    expect((await call('delete', '/alpha')).status).toBe(404);
    expect((await call('get', '/alpha')).status).toBe(404);
    expect((await call('delete', '/beta')).status).toBe(204);
    expect(await h.rows(sql`select event_type from webhook_events where provider = 'source:beta'`)).toEqual([
      { event_type: 'source.beta.received' },
    ]);

    const entries = await audit();
    expect(entries.map((e) => [e.action, e.target])).toEqual([
      ['source.created', 'beta'],
      ['source.created', 'alpha'],
      ['source.updated', 'alpha'],
      ['source.updated', 'alpha'],
      ['source.updated', 'alpha'],
      ['source.updated', 'beta'],
      ['source.deleted', 'alpha'],
      ['source.deleted', 'beta'],
    ]);
    expect(entries[2]!.detail).toEqual({
      fields: ['dedupeHeader', 'description', 'enabled', 'eventTypePath', 'schema'],
      enabled: false,
    });
    expect(entries[4]!.detail).toEqual({ fields: ['verification'], kind: 'hmac', generated: false });
  });

  it('a change takes effect on this instance at once: a new source answers, a deleted or disabled one is 404', async () => {
    const basic = `Basic ${Buffer.from(`forms:${OWN.password}`).toString('base64')}`;
    const post = () =>
      h.http().post('/webhooks/sources/instant').set('authorization', basic).type('json').send('{"type":"sent"}');
    expect((await post()).status).toBe(404);
    await create({ name: 'instant', verification: { type: 'basic', username: 'forms', password: OWN.password } });
    expect((await post()).status).toBe(200);
    await call('patch', '/instant', { enabled: false });
    expect((await post()).status).toBe(404);
    await call('patch', '/instant', { enabled: true });
    expect((await post()).status).toBe(200);
    await call('delete', '/instant');
    expect((await post()).status).toBe(404);
  });

  it("publishes a source's own schema in the catalogue, as source.<name>.*, and drops it when cleared", async () => {
    const schema = { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] };
    await create({ name: 'shop', verification: { type: 'bearer', token: OWN.token }, schema, description: 'the shop' });
    const catalogue = (type: string) =>
      h.http().get(`/admin/api/event-types/${type}`).set('authorization', `Bearer ${ADMIN_TOKEN}`);
    const entry = await catalogue('source.shop.*');
    expect(entry.status).toBe(200);
    expect(entry.body.type).toBe('source.shop.*');
    expect(entry.body.description).toContain('the shop');
    expect(JSON.stringify(entry.body.schema)).toContain(JSON.stringify(schema.properties));
    await call('patch', '/shop', { schema: null });
    expect(JSON.stringify((await catalogue('source.shop.*')).body.schema)).not.toContain('"sku"');
    await call('delete', '/shop');
    // Its events still belong to the family of every source's.
    expect((await catalogue('source.shop.*')).body.type).toBe('source.*');
  });

  it('is in the OpenAPI document with its schemas', async () => {
    const doc = await h.http().get('/admin/api/openapi.json').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/sources', '/sources/{name}']));
    expect(Object.keys(doc.body.paths['/sources'])).toEqual(expect.arrayContaining(['get', 'post']));
  });
});
