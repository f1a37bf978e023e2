import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { catalogueOf } from '../../src/events/catalogue';
import { cliEnv, hookport, listen } from '../helpers/cli';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { suiteHarness } from '../helpers/suite';

/**
 * A subscription's event types are checked against the catalogue on create and on PATCH, through
 * the admin API and the CLI (the console's forms: console-subscriptions.test.ts): an entry that is
 * not a catalogue type, `*`, or a `prefix.*` matching one is 400 unknown_event_type naming the
 * nearest types, and nothing is created or changed.
 */

const ADMIN_TOKEN = 'subscription-event-types-admin-token-0123456789';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const URL = 'http://127.0.0.1:9/hook';

describe.each(databaseKinds())('subscription event types against the catalogue on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true' });
  const catalogue = catalogueOf(providers);
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const rows = () =>
    h.rows<{
      id: string;
      event_types: unknown;
      url: string;
      description: string | null;
      filter: unknown;
      updated_at: Date;
    }>(sql`select id, event_types, url, description, filter, updated_at from subscriptions order by created_at, id`);
  const create = async (eventTypes: string[]) => {
    const res = await api('post', '/subscriptions', { url: URL, eventTypes });
    expect([eventTypes, res.status]).toEqual([eventTypes, 201]);
    registerSecret('subscription secret', res.body.secret);
    return res.body as { id: string; eventTypes: string[] };
  };
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen(h);
  });
  afterAll(() => server?.close());

  it('takes catalogue types, *, and prefixes that match one', async () => {
    expect(catalogue.get('message.received')).toBeDefined();
    for (const types of [
      ['*'],
      ['message.received'],
      ['message.*', 'lead.created'],
      ['jobber.quote.*'],
      ['email.*', 'contact.suppressed'],
      ['webhook.test'],
    ]) {
      expect((await create(types)).eventTypes).toEqual(types);
    }
  });

  it('refuses an unknown type on create with the nearest types, and creates nothing', async () => {
    const before = await rows();
    const cases: [string[], RegExp][] = [
      [['message.new'], /^"message\.new" is not an event type Hookport emits; did you mean .*message\.received/],
      [['nosuch.*'], /^"nosuch\.\*" matches no event type Hookport emits/],
      [
        ['lead.created', 'invoice.payed'],
        /^"invoice\.payed" is not an event type Hookport emits; did you mean .*invoice\.paid/,
      ],
      [['messages.*'], /^"messages\.\*" matches no event type Hookport emits; did you mean .*message\.\*/],
      [['lead'], /^"lead" is not an event type/],
    ];
    for (const [eventTypes, message] of cases) {
      const res = await api('post', '/subscriptions', { url: URL, eventTypes });
      expect([eventTypes, res.status, res.body.error]).toEqual([eventTypes, 400, 'unknown_event_type']);
      expect(res.body.message).toMatch(message);
      expect(res.body.message).toContain('GET /admin/api/event-types');
    }
    expect(await rows()).toEqual(before);
  });

  it('refuses an unknown type on PATCH and changes nothing, not even the fields given beside it', async () => {
    const s = await create(['lead.created']);
    const [before] = (await rows()).filter((r) => r.id === s.id);
    for (const body of [
      { eventTypes: ['message.new'] },
      { eventTypes: ['nosuch.*'], url: 'http://127.0.0.1:9/elsewhere', description: 'changed' },
      {
        eventTypes: ['message.*', 'message.new'],
        enabled: false,
        filter: { data: { object: { status: 'delivered' } } },
      },
    ]) {
      const res = await api('patch', `/subscriptions/${s.id}`, body);
      expect([res.status, res.body.error]).toEqual([400, 'unknown_event_type']);
    }
    const res = await api('patch', `/subscriptions/${s.id}`, { eventTypes: ['message.new'] });
    expect(res.body.message).toMatch(/did you mean .*message\.received/);
    expect((await rows()).filter((r) => r.id === s.id)).toEqual([before]);
    expect((await api('get', `/subscriptions/${s.id}`)).body).toMatchObject({
      eventTypes: ['lead.created'],
      enabled: true,
      url: URL,
      filter: null,
    });

    const changed = await api('patch', `/subscriptions/${s.id}`, { eventTypes: ['message.*', 'invoice.paid'] });
    expect([changed.status, changed.body.eventTypes]).toEqual([200, ['message.*', 'invoice.paid']]);
  });

  it('the CLI shows the refusal with the suggestions (exit 64) on create and update, and changes nothing', async () => {
    const env = cliEnv({ ADMIN_TOKEN });
    const before = await rows();
    const created = await hookport(
      ['subscriptions', 'create', URL, '--events', 'message.new', '--url', server.url],
      env,
    );
    expect(created.code).toBe(64);
    expect(created.out).toBe('');
    expect(created.err).toMatch(
      /^hookport: the server refused the request: unknown_event_type: "message\.new" is not an event type Hookport emits; did you mean .*message\.received/,
    );
    expect(await rows()).toEqual(before);

    const s = await create(['lead.created']);
    const [row] = (await rows()).filter((r) => r.id === s.id);
    for (const option of ['--types', '--events']) {
      const updated = await hookport(
        ['subscriptions', 'update', s.id, option, 'nosuch.*', '--description', 'x', '--url', server.url],
        env,
      );
      expect(updated.code).toBe(64);
      expect(updated.err).toContain('unknown_event_type: "nosuch.*" matches no event type Hookport emits');
    }
    expect((await rows()).filter((r) => r.id === s.id)).toEqual([row]);
    const ok = await hookport(
      ['subscriptions', 'update', s.id, '--types', 'message.received,lead.*', '--url', server.url],
      env,
    );
    expect(ok).toEqual({ code: 0, out: `updated ${s.id}: enabled, ${URL}, message.received,lead.*\n`, err: '' });
    const both = await hookport(
      ['subscriptions', 'update', s.id, '--types', 'lead.*', '--events', 'lead.*', '--url', server.url],
      env,
    );
    expect(both.code).toBe(64);
    expect(both.err).toContain('give --events or --types');
  });
});
