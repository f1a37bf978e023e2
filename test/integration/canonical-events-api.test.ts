import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { insertCanonicalEvents } from '../../src/records/canonical';
import { canonicalRow } from '../helpers/canonical-rows';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';
import { waitFor } from '../helpers/wait';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';

/**
 * GET /admin/api/canonical-events[/:id], the pull API: what Hookport emitted, newest first, each
 * with the very body its deliveries carried.
 */

const ADMIN_TOKEN = 'canonical-events-admin-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

interface Item {
  id: string;
  type: string;
  createdAt: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
}
interface Page {
  canonicalEvents: Item[];
  nextCursor: string | null;
}

describe.each(databaseKinds())('the pull API on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true', DELIVERY_SWEEP_MS: '50' });
  const get = (path: string) => h.http().get(`/admin/api${path}`).set(auth);
  const page = async (query: string): Promise<Page> => {
    const res = await get(`/canonical-events${query}`);
    expect({ query, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({
      query,
      status: 200,
      body: 'ok',
    });
    return res.body as Page;
  };
  /** Every event a query matches, page by page; the pages' sizes too. */
  const all = async (query: string, limit: number) => {
    const items: Item[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const p: Page = await page(`?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...p.canonicalEvents);
      sizes.push(p.canonicalEvents.length);
      cursor = p.nextCursor;
    } while (cursor);
    return { items, sizes };
  };
  const newestFirst = (rows: { created_at: Date | string; id: string }[]) =>
    [...rows].sort(
      (a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime() || (a.id < b.id ? 1 : -1),
    );

  const receiver = new Receiver();
  let secret: string;
  let subscriptionId: string;
  const tied: string[] = [];
  let legacyId: string;
  let total = 0;

  beforeAll(async () => {
    const url = await receiver.start();
    const created = await h
      .http()
      .post('/admin/api/subscriptions')
      .set(auth)
      .send({ url, eventTypes: ['*'] });
    expect(created.status).toBe(201);
    secret = created.body.secret as string;
    subscriptionId = created.body.id as string;
    registerSecret('subscription secret', secret);
    // Through the worker: three inbound SMS (message.received) and three emails (email.*).
    for (let i = 0; i < 3; i++)
      expect((await postTwilio(h, inboundSms({ Body: `hello ${i} & <b>bye</b>` }))).status).toBe(200);
    for (const type of ['email.sent', 'email.delivered', 'email.bounced'])
      expect((await postResend(h, emailEvent(type, emailId()))).status).toBe(200);
    await h.drain();
    // Five in one statement: the same created_at, so only the id orders them. Two types that a LIKE would confuse.
    const webhookEventId = randomUUID();
    const rows = ['pull.tie', 'pull.tie', 'pull.tie', 'pull_x.tie', 'pullyx.tie'].map((type, n) =>
      canonicalRow({
        webhookEventId,
        provider: 'test',
        type,
        recordKind: null,
        externalId: `tie-${n}`,
        occurredAt: new Date('2026-12-01T10:00:00Z'),
        data: { n },
      }),
    );
    await h.runtime.database.db.transaction((tx) => insertCanonicalEvents(tx, rows));
    tied.push(
      ...(
        await h.rows<{ id: string }>(
          sql`select id from canonical_events where webhook_event_id = ${webhookEventId}::uuid and type = 'pull.tie'`,
        )
      ).map((r) => r.id),
    );
    // A row written before bodies existed (body null), with a delivery of its own.
    const [legacy] = await h.rows<{ id: string }>(
      sql`insert into canonical_events (webhook_event_id, provider, type, occurred_at, data)
        values (${randomUUID()}::uuid, 'test', 'pull.legacy', '2026-11-30T08:00:00.123Z', '{"old":true,"n":[1,2]}'::jsonb) returning id`,
    );
    legacyId = legacy!.id;
    await h.rows(
      sql`insert into deliveries (subscription_id, canonical_event_id, event_type, next_attempt_at)
        values (${subscriptionId}::uuid, ${legacyId}::uuid, 'pull.legacy', now()) returning id`,
    );
    total = Number((await h.rows<{ n: string }>(sql`select count(*) as n from canonical_events`))[0]!.n);
    expect(total).toBeGreaterThanOrEqual(12);
    h.runtime.deliveryWorker.start();
    await waitFor(
      async () => receiver.received.length,
      (n) => n >= total,
      15_000,
    );
  });
  afterAll(() => receiver.close());

  it('lists every event newest first (created_at, then id), paged with a cursor: each once, in order', async () => {
    const expected = newestFirst(
      await h.rows<{ id: string; created_at: Date | string }>(sql`select id, created_at from canonical_events`),
    ).map((r) => r.id);
    expect(expected).toHaveLength(total);
    const first = await page('');
    expect(first.canonicalEvents.map((e) => e.id)).toEqual(expected);
    expect(first.nextCursor).toBeNull();
    for (const limit of [1, 2, 5]) {
      const { items, sizes } = await all('', limit);
      expect(items.map((e) => e.id)).toEqual(expected);
      expect(sizes.slice(0, -1).every((n) => n === limit)).toBe(true);
    }
    // The five written together: the same time, ordered by id only, never repeated or skipped across pages.
    const ties = (await all('type=pull.tie', 1)).items;
    expect(ties.map((e) => e.id)).toEqual([...tied].sort().reverse());
    expect(new Set(ties.map((e) => e.createdAt)).size).toBe(1);
    for (const e of first.canonicalEvents) {
      expect(e).toEqual({
        id: expect.any(String),
        type: expect.any(String),
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
        body: expect.any(Object),
      });
      expect(e.body.type).toBe(e.type);
    }
  });

  it('filters by an exact type, a prefix.* (an underscore is no wildcard) and *', async () => {
    const messages = (await page('?type=message.received')).canonicalEvents;
    expect(messages).toHaveLength(3);
    expect(messages.every((e) => e.type === 'message.received')).toBe(true);
    const emails = (await all('type=email.*', 2)).items;
    expect(emails.map((e) => e.type).sort()).toEqual(['email.bounced', 'email.delivered', 'email.sent']);
    expect((await page('?type=pull_x.*')).canonicalEvents.map((e) => e.type)).toEqual(['pull_x.tie']);
    expect((await page('?type=pull.*')).canonicalEvents.map((e) => e.type).sort()).toEqual([
      'pull.legacy',
      'pull.tie',
      'pull.tie',
      'pull.tie',
    ]);
    expect((await page('?type=*')).canonicalEvents).toHaveLength(total);
    expect((await page('?type=message.nothing')).canonicalEvents).toEqual([]);
    expect((await page('?type=nothing.*')).canonicalEvents).toEqual([]);
  });

  it('since takes an ISO time on createdAt, inclusive, with the other filters', async () => {
    const everything = (await page('')).canonicalEvents;
    // Events written together share a time: the second oldest of the distinct ones.
    const times = [...new Set(everything.map((e) => e.createdAt))];
    expect(times.length).toBeGreaterThanOrEqual(3);
    const middle = times.at(-2)!;
    const since = (await page(`?since=${encodeURIComponent(middle)}`)).canonicalEvents;
    expect(since.map((e) => e.id)).toEqual(everything.filter((e) => e.createdAt >= middle).map((e) => e.id));
    expect(since.length).toBeGreaterThan(0);
    expect(since.length).toBeLessThan(everything.length);
    expect(
      (await page(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).canonicalEvents,
    ).toEqual([]);
    const offset = (await page(`?since=2000-01-01T01:00:00%2B01:00&type=email.*`)).canonicalEvents;
    expect(offset).toHaveLength(3);
  });

  it('answers 400 invalid_request for a bad limit, time, type, cursor or parameter', async () => {
    const other = await page('?type=email.*&limit=1');
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=ten',
      'since=yesterday',
      'since=2026-12-01',
      'type=',
      'type=email*',
      'type=*.sent',
      'type=a*b',
      `type=${'x'.repeat(513)}`,
      'cursor=not-a-cursor',
      `cursor=${Buffer.from(JSON.stringify(['1', 'not-a-uuid'])).toString('base64url')}`,
      'provider=twilio',
    ]) {
      const res = await get(`/canonical-events?${query}`);
      expect({ query, status: res.status, error: res.body.error }).toEqual({
        query,
        status: 400,
        error: 'invalid_request',
      });
      expect(res.body.message).toEqual(expect.any(String));
    }
    // A cursor of one list is a position, not a filter: it pages the unfiltered list too.
    expect((await get(`/canonical-events?cursor=${encodeURIComponent(other.nextCursor!)}`)).status).toBe(200);
    expect((await get('/canonical-events/not-a-uuid')).status).toBe(400);
    expect((await get('/canonical-events')).status).toBe(200);
    expect((await h.http().get('/admin/api/canonical-events')).status).toBe(401);
  });

  it('gives one event with its deliveries, and 404 not_found for an id it never emitted', async () => {
    const [message] = (await page('?type=message.received&limit=1')).canonicalEvents;
    const res = await get(`/canonical-events/${message!.id}`);
    expect(res.status).toBe(200);
    const [delivery] = await h.rows<{ id: string }>(
      sql`select id from deliveries where canonical_event_id = ${message!.id}::uuid`,
    );
    expect(res.body).toEqual({
      ...message,
      deliveries: [{ id: delivery!.id, subscriptionId, status: 'succeeded', attempts: 1 }],
    });
    const none = await get(`/canonical-events/${randomUUID()}`);
    expect(none.status).toBe(404);
    expect(none.body.error).toBe('not_found');
  });

  it('gives each event the very body its delivery carried, to the byte: old rows without a stored body too', async () => {
    const items = (await page('?limit=500')).canonicalEvents;
    expect(receiver.received.length).toBe(items.length);
    const byId = new Map(receiver.received.map((r) => [r.headers['webhook-id'], r]));
    for (const e of items) {
      const got = byId.get(e.id);
      expect({ id: e.id, type: e.type, delivered: got !== undefined }).toEqual({
        id: e.id,
        type: e.type,
        delivered: true,
      });
      expect(verifyDelivery(secret, got!)).toEqual(e.body);
      expect(JSON.stringify(e.body)).toBe(got!.body);
    }
    const message = items.find((e) => e.type === 'message.received')!;
    expect(message.body.data).toEqual(
      expect.objectContaining({
        object: expect.objectContaining({ direction: 'inbound' }),
        source: expect.objectContaining({ inboundEventId: expect.any(String) }),
      }),
    );
    const legacy = (await get(`/canonical-events/${legacyId}`)).body as Item;
    expect(legacy.body).toEqual({
      type: 'pull.legacy',
      timestamp: '2026-11-30T08:00:00.123Z',
      data: { old: true, n: [1, 2] },
    });
  });
});
