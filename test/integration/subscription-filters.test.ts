import { sql } from 'drizzle-orm';
import { cliEnv, hookport, listen } from '../helpers/cli';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postTwilio, THEIR_NUMBER } from '../helpers/webhooks';

/**
 * Content filters (Hookdeck's syntax) on subscriptions: evaluated when the delivery would be
 * created, so an event that does not match costs no delivery row. Real events go through the
 * ingest path (Twilio SMS signed as Twilio signs them) and the worker; the delivery worker is off,
 * so the rows are looked at as fan-out wrote them.
 */

const ADMIN_TOKEN = 'subscription-filters-admin-token-0123456789abcd';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const URL = 'http://127.0.0.1:9/hook';
const OTHER_NUMBER = '+14155550111';

type Filter = Record<string, unknown>;

describe.each(databaseKinds())('subscription filters on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true' });
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body as object);
  };
  const subscribe = async (filter?: Filter | null, eventTypes = ['message.received']) => {
    const res = await api('post', '/subscriptions', {
      url: URL,
      eventTypes,
      ...(filter !== undefined ? { filter } : {}),
    });
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    registerSecret('subscription secret', res.body.secret);
    return res.body as { id: string; filter: Filter | null };
  };
  /** An inbound SMS through /webhooks/twilio, processed by the worker. */
  const sms = async (text: string, from = THEIR_NUMBER) => {
    expect((await postTwilio(h, inboundSms({ Body: text, From: from }))).status).toBe(200);
    await h.drain();
  };
  /** The message texts a subscription got a delivery row for, oldest first. */
  const delivered = async (subscriptionId: string) =>
    (
      await h.rows<{ text: string }>(sql`select c.body::jsonb #>> '{data,object,body}' as text
        from deliveries d join canonical_events c on c.id = d.canonical_event_id
        where d.subscription_id = ${subscriptionId}::uuid order by c.created_at, d.created_at`)
    ).map((r) => r.text.trim());
  const count = async () => (await h.rows(sql`select id from subscriptions`)).length;

  afterEach(async () => {
    for (const s of (await api('get', '/subscriptions')).body.subscriptions as { id: string }[])
      await api('delete', `/subscriptions/${s.id}`);
  });

  it('creates a delivery only for the events a filter matches; the others get no row at all', async () => {
    const all = await subscribe();
    const urgent = await subscribe({ data: { object: { body: { $startsWith: 'URGENT' } } } });
    const fromCustomer = await subscribe({
      data: { object: { from_address: { $in: [THEIR_NUMBER] }, direction: 'inbound' } },
    });
    const questions = await subscribe({
      $or: [{ data: { object: { body: { $endsWith: '?' } } } }, { data: { object: { body: { $startsWith: 'Q:' } } } }],
    });
    const notUrgent = await subscribe({
      $not: { data: { object: { body: { $startsWith: 'URGENT' } } } },
      type: 'message.received',
    });
    const missing = await subscribe({ data: { object: { no_such_field: { $exist: true } } } });
    const typed = await subscribe({ type: { $eq: 'message.status_changed' } }, ['message.*']);
    expect(urgent.filter).toEqual({ data: { object: { body: { $startsWith: 'URGENT' } } } });
    expect((await api('get', `/subscriptions/${urgent.id}`)).body.filter).toEqual(urgent.filter);
    expect((await api('get', `/subscriptions/${all.id}`)).body.filter).toBeNull();

    await sms('URGENT: the pipe burst');
    await sms('Can you come at 5?', OTHER_NUMBER);
    await sms('Q: do you work weekends');

    expect(await delivered(all.id)).toEqual([
      'URGENT: the pipe burst',
      'Can you come at 5?',
      'Q: do you work weekends',
    ]);
    expect(await delivered(urgent.id)).toEqual(['URGENT: the pipe burst']);
    expect(await delivered(fromCustomer.id)).toEqual(['URGENT: the pipe burst', 'Q: do you work weekends']);
    expect(await delivered(questions.id)).toEqual(['Can you come at 5?', 'Q: do you work weekends']);
    expect(await delivered(notUrgent.id)).toEqual(['Can you come at 5?', 'Q: do you work weekends']);
    expect(await delivered(missing.id)).toEqual([]);
    expect(await delivered(typed.id)).toEqual([]);
    // Filtered out means no row, not a skipped one.
    expect(
      await h.rows(
        sql`select status from deliveries where subscription_id in (${urgent.id}::uuid, ${missing.id}::uuid, ${typed.id}::uuid)`,
      ),
    ).toEqual([{ status: 'pending' }]);
  });

  it('refuses an invalid filter with 400 invalid_request saying where, and creates nothing', async () => {
    const before = await count();
    const cases: [unknown, RegExp][] = [
      [
        { data: { object: { status: { $bogus: 1 } } } },
        /^body: filter\.data\.object\.status\.\$bogus: unknown operator/,
      ],
      [{ data: { object: { status: { $in: 5 } } } }, /^body: filter\.data\.object\.status\.\$in: /],
      [{ $or: { a: 1 } }, /^body: filter\.\$or: /],
      [{ data: { $exist: 'yes' } }, /^body: filter\.data\.\$exist: /],
      [{ data: { $gt: { a: 1 } } }, /^body: filter\.data\.\$gt: /],
      [[{ a: 1 }], /^body: filter: must be a JSON object/],
      ['{"a":1}', /^body: filter: must be a JSON object/],
      [7, /^body: filter: must be a JSON object/],
    ];
    for (const [filter, message] of cases) {
      const res = await api('post', '/subscriptions', { url: URL, eventTypes: ['*'], filter });
      expect([filter, res.status, res.body.error]).toEqual([filter, 400, 'invalid_request']);
      expect(res.body.message).toMatch(message);
    }
    expect(await count()).toBe(before);
    // null is no filter.
    expect((await subscribe(null)).filter).toBeNull();
  });

  it('refuses text the database cannot store (NUL, a lone surrogate) with 400, not a database error', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: { data: { object: { body: 'a\u0000b' } } } }, 'body.filter.data.object.body'],
      [{ filter: { 'k\u0000': 1 } }, 'body.filter.k\u0000'],
      [{ filter: { a: '\ud800' } }, 'body.filter.a'],
      [{ description: 'x\u0000y' }, 'body.description'],
    ];
    for (const [extra, place] of cases) {
      const res = await api('post', '/subscriptions', { url: URL, eventTypes: ['*'], ...extra });
      expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
      expect(res.body.message).toBe(
        `${place}: text with a NUL character or an unpaired UTF-16 surrogate cannot be stored; nothing was changed`,
      );
    }
    expect(await count()).toBe(before);
  });

  it('PATCH sets, replaces and (with null) clears a filter; an invalid one changes nothing', async () => {
    const s = await subscribe({ data: { object: { body: { $startsWith: 'URGENT' } } } });
    await sms('hello there');
    expect(await delivered(s.id)).toEqual([]);

    const refused = await api('patch', `/subscriptions/${s.id}`, {
      filter: { data: { $nope: true } },
      description: 'changed',
    });
    expect([refused.status, refused.body.error]).toEqual([400, 'invalid_request']);
    expect(refused.body.message).toMatch(/^body: filter\.data\.\$nope: unknown operator/);
    expect((await api('patch', `/subscriptions/${s.id}`, { filter: [1] })).status).toBe(400);
    expect((await api('get', `/subscriptions/${s.id}`)).body).toMatchObject({
      filter: { data: { object: { body: { $startsWith: 'URGENT' } } } },
      description: null,
    });

    const cleared = await api('patch', `/subscriptions/${s.id}`, { filter: null });
    expect([cleared.status, cleared.body.filter]).toEqual([200, null]);
    expect((await api('get', `/subscriptions/${s.id}`)).body.filter).toBeNull();
    await sms('hello again');
    expect(await delivered(s.id)).toEqual(['hello again']);

    const replaced = await api('patch', `/subscriptions/${s.id}`, {
      filter: { data: { object: { body: { $in: ['yes', 'no'] } } } },
    });
    expect(replaced.body.filter).toEqual({ data: { object: { body: { $in: ['yes', 'no'] } } } });
    await sms('maybe');
    await sms('yes');
    expect(await delivered(s.id)).toEqual(['hello again', 'yes']);
    // Leaving it out of a PATCH leaves it alone.
    expect((await api('patch', `/subscriptions/${s.id}`, { description: 'kept' })).body.filter).toEqual(
      replaced.body.filter,
    );
  });

  it('the CLI sets a filter on create, replaces or removes it on update (--no-filter); bad JSON is a usage error (64)', async () => {
    const server = await listen(h);
    try {
      const env = cliEnv({ ADMIN_TOKEN });
      const subs = (args: string[]) => hookport(['subscriptions', ...args, '--url', server.url], env);
      const filter = '{"data":{"object":{"body":{"$startsWith":"URGENT"}}}}';
      const created = await subs(['create', URL, '--events', 'message.received', '--filter', filter]);
      expect(created.code).toBe(0);
      const id = /^created subscription (\S+)$/m.exec(created.out)![1]!;
      registerSecret('subscription secret', /^signing secret: (\S+)$/m.exec(created.out)![1]!);
      expect(created.out).toContain(`filter: ${filter} (only events whose body matches get a delivery)`);
      await sms('not urgent');
      await sms('URGENT: from the CLI');
      expect(await delivered(id)).toEqual(['URGENT: from the CLI']);

      const replaced = await subs(['update', id, '--filter', '{"data":{"object":{"body":"exactly this"}}}']);
      expect(replaced).toEqual({
        code: 0,
        out: `updated ${id}: enabled, ${URL}, message.received, filter {"data":{"object":{"body":"exactly this"}}}\n`,
        err: '',
      });
      const removed = await subs(['update', id, '--no-filter']);
      expect(removed).toEqual({ code: 0, out: `updated ${id}: enabled, ${URL}, message.received\n`, err: '' });
      expect((await api('get', `/subscriptions/${id}`)).body.filter).toBeNull();

      const before = await count();
      for (const [args, message] of [
        [
          ['create', URL, '--events', '*', '--filter', '{"data": {'],
          /^hookport: --filter is not valid JSON( \(at [^)]+\))?: give a JSON object in single quotes, e\.g\. --filter '\{/,
        ],
        [
          ['create', URL, '--events', '*', '--filter', '[1]'],
          /^hookport: --filter must be a JSON object, not an array/,
        ],
        [['update', id, '--filter', 'null'], /^hookport: --filter must be a JSON object, not null/],
        [
          ['create', URL, '--events', '*', '--filter', '{"data":{"$bogus":1}}'],
          /^hookport: the server refused the request: body: filter\.data\.\$bogus: unknown operator/,
        ],
      ] as const) {
        const run = await subs([...args]);
        expect([args, run.code, run.out]).toEqual([args, 64, '']);
        expect(run.err).toMatch(message);
      }
      expect(await count()).toBe(before);
    } finally {
      await server.close();
    }
  });
});
