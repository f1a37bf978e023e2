import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { claimDeliveries } from '../../src/deliveries/claim';
import { canonicalIds, insertCanonicalEvents } from '../../src/records/canonical';
import { queryRows } from '../../src/db/rows';
import { version } from '../../src/config/version';
import { RetentionJob } from '../../src/retention/job';
import { createLogger } from '../../src/log/logger';
import { databaseKinds } from '../helpers/harness';
import { Receiver, verifyDelivery, type Received } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';
import { canonicalRow } from '../helpers/canonical-rows';
import { waitFor } from '../helpers/wait';
import { registerSecret } from '../helpers/log-capture';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';

const ADMIN_TOKEN = 'admin-token-for-the-deliveries-0123456789abcdef';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

interface DeliveryRow {
  id: string;
  subscription_id: string;
  canonical_event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  response_status: number | null;
  response_body: string | null;
  duration_ms: number | null;
  last_error: string | null;
}

describe.each(databaseKinds())('deliveries on %s', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_RETRY_SCHEDULE: '100ms,100ms',
    DELIVERY_TIMEOUT_MS: '500',
    DELIVERY_LEASE_SECONDS: '1',
    DELIVERY_SWEEP_MS: '50',
    DELIVERY_SUBSCRIPTION_CONCURRENCY: '2',
  });
  const receivers: Receiver[] = [];
  const receiver = async (reply?: ConstructorParameters<typeof Receiver>[0]) => {
    const r = new Receiver(reply);
    receivers.push(r);
    await r.start();
    return r;
  };
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const subscribe = async (url: string, eventTypes: string[]) => {
    const res = await api('post', '/subscriptions', { url, eventTypes });
    expect(res.status).toBe(201);
    registerSecret('subscription secret', res.body.secret);
    return res.body as { id: string; secret: string };
  };
  const deliveriesOf = (subscriptionId: string) =>
    h.rows<DeliveryRow>(
      sql`select * from deliveries where subscription_id = ${subscriptionId}::uuid order by created_at, id`,
    );
  /** One inbound SMS, stored and processed: its canonical event is message.received. */
  const inboundMessage = async () => {
    const res = await postTwilio(h, inboundSms());
    expect(res.status).toBe(200);
    await h.drain();
    const [row] = await h.rows<{ id: string }>(
      sql`select id from webhook_events order by received_at desc, id desc limit 1`,
    );
    return row!.id;
  };
  const received = (r: Receiver, n: number, timeoutMs = 5000) =>
    waitFor(
      async () => r.received.length,
      (count) => count >= n,
      timeoutMs,
    );
  const settled = (subscriptionId: string, done: (rows: DeliveryRow[]) => boolean, timeoutMs = 5000) =>
    waitFor(() => deliveriesOf(subscriptionId), done, timeoutMs);

  afterEach(async () => {
    for (const s of (await api('get', '/subscriptions')).body.subscriptions as { id: string }[])
      await api('delete', `/subscriptions/${s.id}`);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('a delivery whose worker died mid-send is retaken when its lease runs out, and sent', async () => {
    const r = await receiver();
    const s = await subscribe(r.url(), ['message.received']);
    await inboundMessage();
    // A worker claims it and dies: nothing settles it, nothing renews its lease.
    const taken = await claimDeliveries(h.runtime.database.db, {
      limit: 10,
      leaseSeconds: 1,
      perSubscription: 10,
      maxAttempts: 3,
      onExhausted: () => Promise.reject(new Error('no delivery is on its last attempt here')),
    });
    expect(taken.map((d) => d.subscriptionId)).toEqual([s.id]);
    h.runtime.deliveryWorker.start();
    const [row] = await settled(s.id, (rows) => rows[0]?.status === 'succeeded');
    expect(row!.attempts).toBe(2);
    expect(r.received).toHaveLength(1);
    expect(verifyDelivery(s.secret, r.received[0]!).type).toBe('message.received');
  });

  it('writes deliveries in the transaction of the canonical events, and none when it rolls back', async () => {
    const r = await receiver();
    const s = await subscribe(r.url(), ['jobber.quote.created']);
    const webhookEventId = randomUUID();
    const row = canonicalRow({
      webhookEventId,
      provider: 'twilio',
      type: 'jobber.quote.created',
      recordKind: null,
      externalId: null,
      occurredAt: null,
      data: null,
    });
    let inside = -1;
    await expect(
      h.runtime.database.db.transaction(async (tx) => {
        await insertCanonicalEvents(tx, [row]);
        inside = (await queryRows(tx, sql`select 1 from deliveries where subscription_id = ${s.id}::uuid`)).length;
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(inside).toBe(1);
    expect(await deliveriesOf(s.id)).toEqual([]);
    expect(await h.rows(sql`select 1 from canonical_events where webhook_event_id = ${webhookEventId}::uuid`)).toEqual(
      [],
    );
  });

  it('gives canonical events stable ids: written again (null external ids too), nothing duplicates', async () => {
    const r = await receiver();
    const s = await subscribe(r.url(), ['jobber.visit.created']);
    const webhookEventId = randomUUID();
    const rows = [1, 2].map((n) =>
      canonicalRow({
        webhookEventId,
        provider: 'twilio',
        type: 'jobber.visit.created',
        recordKind: null,
        externalId: null,
        occurredAt: null,
        data: { n },
      }),
    );
    for (let i = 0; i < 2; i++) {
      await h.runtime.database.db.transaction((tx) => insertCanonicalEvents(tx, rows));
    }
    const written = await h.rows<{ id: string }>(
      sql`select id from canonical_events where webhook_event_id = ${webhookEventId}::uuid order by id`,
    );
    expect(written).toHaveLength(2);
    expect(canonicalIds(rows).sort()).toEqual(written.map((w) => w.id));
    expect(await deliveriesOf(s.id)).toHaveLength(2);
  });

  it('disables a subscription after DELIVERY_DISABLE_AFTER of nothing but failures', async () => {
    const r = await receiver(() => ({ status: 500 }));
    const s = await subscribe(r.url(), ['message.received']);
    await inboundMessage();
    await settled(s.id, (rows) => rows[0]?.status === 'dead');
    expect((await api('get', `/subscriptions/${s.id}`)).body.enabled).toBe(true);
    await h.rows(sql`update subscriptions set failing_since = now() - interval '6 days' where id = ${s.id}::uuid`);
    await inboundMessage();
    await settled(s.id, (rows) => rows[1]?.status === 'failed');
    const sub = (await api('get', `/subscriptions/${s.id}`)).body;
    expect(sub).toEqual(
      expect.objectContaining({ enabled: false, disabledReason: expect.stringContaining('DELIVERY_DISABLE_AFTER') }),
    );
    // A success clears the streak: re-enabled, the waiting delivery goes out.
    r.answer(() => ({ status: 200 }));
    await api('patch', `/subscriptions/${s.id}`, { enabled: true });
    await settled(s.id, (rows) => rows[1]?.status === 'succeeded');
    const [streak] = await h.rows<{ failing_since: Date | null }>(
      sql`select failing_since from subscriptions where id = ${s.id}::uuid`,
    );
    expect(streak!.failing_since).toBeNull();
  });

  it('matches *, prefix.* and exact types, sends the contract body and headers, signed', async () => {
    const r = await receiver();
    const subs = {
      all: await subscribe(r.url('127.0.0.1', '/all'), ['*']),
      messages: await subscribe(r.url('127.0.0.1', '/messages'), ['message.*']),
      exact: await subscribe(r.url('127.0.0.1', '/exact'), ['message.received']),
      emails: await subscribe(r.url('127.0.0.1', '/emails'), ['email.*']),
      leads: await subscribe(r.url('127.0.0.1', '/leads'), ['lead.created', 'review.*']),
    };
    const inboxId = await inboundMessage();
    const [canonical] = await h.rows<{ id: string; occurred_at: Date | null; received_at: Date }>(
      sql`select c.id, c.occurred_at, w.received_at from canonical_events c join webhook_events w on w.id = c.webhook_event_id
        where c.webhook_event_id = ${inboxId}::uuid`,
    );
    await received(r, 3);
    for (const s of [subs.all, subs.messages, subs.exact]) {
      expect((await settled(s.id, (rows) => rows[0]?.status === 'succeeded')).map((d) => d.canonical_event_id)).toEqual(
        [canonical!.id],
      );
    }
    expect(await deliveriesOf(subs.emails.id)).toEqual([]);
    expect(await deliveriesOf(subs.leads.id)).toEqual([]);
    expect(r.received).toHaveLength(3);
    for (const got of r.received) {
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['user-agent']).toBe(`Hookport/${version}`);
      expect(got.headers['webhook-id']).toBe(canonical!.id);
      expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      // Tracing is off without an OTLP endpoint: no trace to join (tracing.test.ts has it on).
      expect(got.headers.traceparent).toBeUndefined();
    }
    // Each subscription's own secret verifies its delivery; another's does not.
    const [all] = r.received.filter((x) => x.body && verifies(subs.all.secret, x));
    expect(all).toBeDefined();
    const body = verifyDelivery(subs.all.secret, all!);
    expect(Object.keys(body).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(body.type).toBe('message.received');
    // When it happened; Twilio's webhooks carry no time, so when Hookport received it.
    expect(body.timestamp).toBe(new Date(canonical!.occurred_at ?? canonical!.received_at).toISOString());
    expect(r.received.filter((x) => verifies(subs.messages.secret, x))).toHaveLength(1);
    expect(r.received.filter((x) => verifies(subs.exact.secret, x))).toHaveLength(1);
  });

  it('retries a flaky receiver on the schedule under the same webhook-id, then records the success', async () => {
    const r = await receiver((n) =>
      n < 2 ? { status: 500, body: `failure ${n}` } : { status: 200, body: 'accepted' },
    );
    const s = await subscribe(r.url(), ['message.received']);
    await inboundMessage();
    const [row] = await settled(s.id, (rows) => rows[0]?.status === 'succeeded');
    expect(row).toEqual(
      expect.objectContaining({ attempts: 3, response_status: 200, response_body: 'accepted', last_error: null }),
    );
    expect(row!.duration_ms).toEqual(expect.any(Number));
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => x.headers['webhook-id']))).toEqual(new Set([row!.canonical_event_id]));
    for (const x of r.received) verifyDelivery(s.secret, x);
    // The retries waited for the schedule (100 ms ± 20 %).
    expect(r.received[1]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(70);
  });

  it('is dead after the last retry, with the answer kept (first 1 KiB)', async () => {
    const r = await receiver(() => ({ status: 503, body: 'x'.repeat(5000) }));
    const s = await subscribe(r.url(), ['message.received']);
    await inboundMessage();
    const [row] = await settled(s.id, (rows) => rows[0]?.status === 'dead');
    expect(row).toEqual(
      expect.objectContaining({ attempts: 3, response_status: 503, last_error: 'the receiver answered 503' }),
    );
    expect(row!.response_body).toHaveLength(1024);
    expect(r.received).toHaveLength(3);
  });

  it('a 410 disables the subscription at once; what comes meanwhile waits, and goes out when it is enabled again', async () => {
    let gone = true;
    const r = await receiver(() => (gone ? { status: 410 } : { status: 200 }));
    const s = await subscribe(r.url(), ['message.received']);
    await inboundMessage();
    await settled(s.id, (rows) => rows[0]?.status === 'failed');
    const sub = (await api('get', `/subscriptions/${s.id}`)).body;
    expect(sub).toEqual(expect.objectContaining({ enabled: false, disabledReason: expect.stringContaining('410') }));
    await inboundMessage();
    await new Promise((done) => setTimeout(done, 400));
    expect(r.received).toHaveLength(1);
    const waiting = await deliveriesOf(s.id);
    expect(waiting.map((d) => [d.status, d.next_attempt_at])).toEqual([
      ['failed', null],
      ['pending', null],
    ]);
    gone = false;
    const enabled = await api('patch', `/subscriptions/${s.id}`, { enabled: true });
    expect(enabled.body).toEqual(expect.objectContaining({ enabled: true, disabledReason: null }));
    const rows = await settled(s.id, (all) => all.every((d) => d.status === 'succeeded'));
    expect(rows).toHaveLength(2);
    expect(r.received).toHaveLength(3);
  });

  it('a receiver that answers too late, or never, fails by DELIVERY_TIMEOUT_MS and holds up no other subscription', async () => {
    const slow = await receiver(() => ({ status: 200, delayMs: 2000 }));
    const never = await receiver(() => 'hang');
    const fast = await receiver();
    const slowSub = await subscribe(slow.url(), ['message.received']);
    const neverSub = await subscribe(never.url(), ['message.received']);
    const fastSub = await subscribe(fast.url(), ['message.received']);
    for (let i = 0; i < 4; i++) expect((await postTwilio(h, inboundSms())).status).toBe(200);
    await h.drain();
    // The fast one gets all four while the others hold their (limited: 2) slots.
    await received(fast, 4, 3000);
    await settled(fastSub.id, (rows) => rows.length === 4 && rows.every((d) => d.status === 'succeeded'));
    expect(never.received.length).toBeLessThanOrEqual(2);
    const first = (
      await settled(neverSub.id, (rows) => rows.some((d) => d.status !== 'pending' && d.status !== 'delivering'))
    ).find((d) => d.last_error)!;
    expect(first.last_error).toMatch(/no complete answer within 500 ms/);
    expect(first.response_status).toBeNull();
    const slowRow = (await settled(slowSub.id, (rows) => rows.some((d) => d.last_error))).find((d) => d.last_error)!;
    expect(slowRow.last_error).toMatch(/within 500 ms/);
    expect(slowRow.duration_ms).toBeLessThan(1500);
  });

  it('signs with both secrets during a rotation overlap, and only the new one after it', async () => {
    const r = await receiver();
    const s = await subscribe(r.url(), ['message.received']);
    const rotated = await api('post', `/subscriptions/${s.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const next = rotated.body.secret as string;
    registerSecret('subscription secret', next);
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(s.secret);
    await inboundMessage();
    await received(r, 1);
    const during = r.received[0]!;
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    verifyDelivery(next, during);
    verifyDelivery(s.secret, during);
    // The overlap ends.
    await h.rows(
      sql`update subscriptions set previous_secret_expires_at = now() - interval '1 second' where id = ${s.id}::uuid`,
    );
    await inboundMessage();
    await received(r, 2);
    const after = r.received[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    verifyDelivery(next, after);
    expect(() => verifyDelivery(s.secret, after)).toThrow();
  });

  it('a replay of the inbound event re-delivers under the same webhook-id, without a second delivery row', async () => {
    const r = await receiver();
    const s = await subscribe(r.url(), ['email.*']);
    const res = await postResend(h, emailEvent('email.delivered', emailId()));
    expect(res.status).toBe(200);
    await h.drain();
    await settled(s.id, (rows) => rows[0]?.status === 'succeeded');
    expect((await api('post', `/events/${res.body.id}/replay`)).status).toBe(202);
    await h.drain();
    await received(r, 2);
    const rows = await settled(s.id, (all) => all[0]?.status === 'succeeded');
    expect(rows).toHaveLength(1);
    expect(r.received[1]!.headers['webhook-id']).toBe(r.received[0]!.headers['webhook-id']);
    expect(r.received[0]!.headers['webhook-id']).toBe(rows[0]!.canonical_event_id);
    for (const x of r.received) expect(verifyDelivery(s.secret, x).type).toBe('email.delivered');
    expect(
      await h.rows(sql`select id from canonical_events where webhook_event_id = ${res.body.id}::uuid`),
    ).toHaveLength(1);
  });

  it('a deleted subscription gets nothing more: its waiting deliveries are never sent', async () => {
    const r = await receiver();
    const s = await subscribe(r.url(), ['message.received']);
    await api('patch', `/subscriptions/${s.id}`, { enabled: false });
    await inboundMessage();
    expect((await api('delete', `/subscriptions/${s.id}`)).status).toBe(204);
    expect((await api('get', `/subscriptions/${s.id}`)).status).toBe(404);
    const [row] = await deliveriesOf(s.id);
    expect(row).toEqual(expect.objectContaining({ status: 'dead', last_error: expect.stringContaining('deleted') }));
    await inboundMessage();
    await new Promise((done) => setTimeout(done, 300));
    expect(r.received).toEqual([]);
    expect(await deliveriesOf(s.id)).toHaveLength(1);
  });

  it('lists deliveries newest first, retries one now, test-sends, and counts outcomes in stats and metrics', async () => {
    const r = await receiver((n) => (n === 0 ? { status: 500 } : { status: 200, body: 'fine' }));
    const s = await subscribe(r.url(), ['message.received']);
    await inboundMessage();
    await settled(s.id, (rows) => rows[0]?.status === 'succeeded');
    const test = await api('post', `/subscriptions/${s.id}/test`);
    expect(test.status).toBe(200);
    expect(test.body).toEqual({
      deliveryId: expect.any(String),
      status: 'succeeded',
      responseStatus: 200,
      durationMs: expect.any(Number),
      error: null,
    });
    const sent = r.received.at(-1)!;
    expect(verifyDelivery(s.secret, sent).type).toBe('webhook.test');
    const list = await api('get', `/subscriptions/${s.id}/deliveries`);
    expect(list.status).toBe(200);
    expect(list.body.deliveries.map((d: { eventType: string }) => d.eventType)).toEqual([
      'webhook.test',
      'message.received',
    ]);
    expect((await api('get', `/subscriptions/${s.id}/deliveries?status=dead`)).body.deliveries).toEqual([]);
    const retried = await api('post', `/deliveries/${list.body.deliveries[1].id}/retry`);
    expect(retried.status).toBe(202);
    await received(r, 4);
    // The worker reports an attempt once it has settled it: wait for the retry's to be counted.
    const stats = await waitFor(
      async () => {
        await h.runtime.counts.flush();
        return api('get', `/subscriptions/${s.id}/stats?window=1h`);
      },
      (res) => res.body.attempted === 3,
    );
    // Attempts of the worker (test sends are not counted): 500, 200, and the retry's 200.
    expect(stats.body).toEqual(
      expect.objectContaining({ attempted: 3, succeeded: 2, failed: 1, p50Ms: expect.any(Number) }),
    );
    expect(stats.body.successRate).toBeCloseTo(2 / 3);
    const metrics = await h.runtime.metrics.registry.metrics();
    expect(metrics).toMatch(/hookport_deliveries_total\{outcome="succeeded"\} \d+/);
    expect(metrics).toMatch(/hookport_delivery_duration_seconds_count \d+/);
  });

  it('retention deletes finished deliveries older than RETENTION_DAYS, and leaves unfinished and young ones', async () => {
    const r = await receiver();
    const s = await subscribe(r.url(), ['jobber.payment.created']);
    for (const [status, days] of [
      ['succeeded', 31],
      ['dead', 31],
      ['pending', 31],
      ['failed', 31],
      ['succeeded', 29],
    ] as const) {
      await h.rows(sql`insert into deliveries (subscription_id, canonical_event_id, event_type, status, created_at)
        values (${s.id}::uuid, ${randomUUID()}::uuid, 'jobber.payment.created', ${status}, now() - make_interval(days => ${days}))`);
    }
    const pass = await new RetentionJob({
      db: h.runtime.database.db,
      logger: createLogger('error', true),
      days: 30,
      intervalMs: 3_600_000,
      pauseMs: 1,
    }).runPass();
    expect(pass.tables.deliveries).toMatchObject({ deleted: 2 });
    const left = await deliveriesOf(s.id);
    expect(left.map((d) => d.status).sort()).toEqual(['failed', 'pending', 'succeeded']);
  });
});

function verifies(secret: string, r: Received): boolean {
  try {
    new Webhook(secret).verify(r.body, r.headers);
    return true;
  } catch {
    return false;
  }
}

describe.each(databaseKinds())('DELIVERY_WORKER_ENABLED=false on %s', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_WORKER_ENABLED: 'false',
    DELIVERY_SWEEP_MS: '50',
    WORKER_ENABLED: 'true', // the inbox worker runs and fans out; only sending is off
    WORKER_SWEEP_MS: '100',
  });

  it('sends nothing from this process, and the deliveries wait for one that sends', async () => {
    const r = new Receiver();
    await r.start();
    try {
      const res = await h
        .http()
        .post('/admin/api/subscriptions')
        .set(auth)
        .send({ url: r.url(), eventTypes: ['*'] });
      expect(res.status).toBe(201);
      registerSecret('subscription secret', res.body.secret);
      expect((await postTwilio(h, inboundSms())).status).toBe(200);
      const pending = () => h.rows<{ status: string }>(sql`select status from deliveries`);
      await waitFor(pending, (rows) => rows.length === 1, 5000);
      await new Promise((resolve) => setTimeout(resolve, 600)); // a dozen sweeps of a sending worker
      expect(await pending()).toEqual([{ status: 'pending' }]);
      expect(r.received).toHaveLength(0);
      // The same delivery goes out once a sending worker runs: the wait above was not vacuous.
      h.runtime.deliveryWorker.start();
      await waitFor(
        async () => r.received.length,
        (n) => n === 1,
        5000,
      );
      expect(verifyDelivery(res.body.secret, r.received[0]!).type).toBe('message.received');
    } finally {
      await r.close();
    }
  });
});

describe.each(databaseKinds())('a backlog on %s', (kind) => {
  // No sweep to fall back on: the worker must keep claiming as its deliveries finish.
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_SWEEP_MS: '600000',
    DELIVERY_SUBSCRIPTION_CONCURRENCY: '8',
  });

  it('is sent in one pass, in rounds of the per-subscription limit whose successes settle together, without a sweep', async () => {
    // The receiver answers each round at once, so its successes are recorded in one statement and
    // every delivery in hand finishes in the same tick: the worker must still claim the next round.
    const r = new Receiver(() => 'hold');
    await r.start();
    try {
      const res = await h
        .http()
        .post('/admin/api/subscriptions')
        .set(auth)
        .send({ url: r.url(), eventTypes: ['message.received'] });
      expect(res.status).toBe(201);
      registerSecret('subscription secret', res.body.secret);
      for (let i = 0; i < 24; i++) expect((await postTwilio(h, inboundSms())).status).toBe(200);
      await h.drain();
      h.runtime.deliveryWorker.start();
      for (const round of [8, 16, 24]) {
        await waitFor(
          async () => r.received.length,
          (n) => n === round,
          5000,
        );
        expect(r.release()).toBe(8);
      }
      const rows = () =>
        h.rows<{ status: string }>(sql`select status from deliveries where subscription_id = ${res.body.id}::uuid`);
      await waitFor(rows, (all) => all.length === 24 && all.every((d) => d.status === 'succeeded'), 5000);
      expect(new Set(r.received.map((x) => x.headers['webhook-id'])).size).toBe(24);
      expect(r.received.every((x) => verifies(res.body.secret, x))).toBe(true);
    } finally {
      await r.close();
    }
  });
});
