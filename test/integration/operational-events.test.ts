import { sql } from 'drizzle-orm';
import { claimEvents } from '../../src/inbox/claim';
import { LEASE_EXHAUSTED } from '../../src/deliveries/attempt';
import { failingAlert } from '../../src/operational/failing';
import { servedBodySchemas, type BodySchemas } from '../helpers/body-schemas';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';
import { deferred, waitFor } from '../helpers/wait';
import { markDeadAndTell } from '../../src/operational/inbox-events';
import { inboundSms, postResend, postTwilio } from '../helpers/webhooks';

const ADMIN_TOKEN = 'admin-token-for-operational-events-0123456789ab';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** A receiver's token in its URL's query: it must never reach an event body. */
const URL_TOKEN = 'q-token-3b7e9c1d5f';

interface Body {
  type: string;
  timestamp: string;
  data: { object: Record<string, unknown>; source: Record<string, unknown>; [field: string]: unknown };
}
interface Listed {
  id: string;
  type: string;
  body: Body;
}

/** Refuses every hookport.* insert: the transaction that would write one must roll back whole. */
const REFUSE = sql`create or replace function refuse_operational() returns trigger language plpgsql as $$
  begin
    if new.type like 'hookport.%' then raise exception 'operational events refused by the test'; end if;
    return new;
  end $$`;

describe.each(databaseKinds())('operational events on %s', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_RETRY_SCHEDULE: '50ms,50ms',
    DELIVERY_TIMEOUT_MS: '2000',
    DELIVERY_LEASE_SECONDS: '1',
    DELIVERY_SWEEP_MS: '50',
  });
  const receivers: Receiver[] = [];
  const secrets: string[] = [];
  let schemas: BodySchemas;

  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const receiver = async (reply?: ConstructorParameters<typeof Receiver>[0]) => {
    const r = new Receiver(reply);
    receivers.push(r);
    await r.start();
    return r;
  };
  const subscribe = async (url: string, eventTypes: string[], description?: string) => {
    const res = await api('post', '/subscriptions', { url, eventTypes, description });
    expect(res.status).toBe(201);
    registerSecret('subscription secret', res.body.secret);
    secrets.push(res.body.secret as string);
    return res.body as { id: string; secret: string };
  };
  /** A failing subscriber of message.received, its URL carrying a token. */
  const failingSubscriber = async (status = 500) => {
    const r = await receiver(() => ({ status }));
    return { r, s: await subscribe(`${r.url()}?token=${URL_TOKEN}`, ['message.received'], 'CRM sync') };
  };
  const inboundMessage = async () => {
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    await h.drain();
  };
  const deliveriesOf = (subscriptionId: string) =>
    h.rows<{ id: string; status: string; attempts: number; event_type: string; last_error: string | null }>(
      sql`select id, status, attempts, event_type, last_error from deliveries where subscription_id = ${subscriptionId}::uuid order by created_at, id`,
    );
  const allSettled = (subscriptionId: string, n: number, status = 'dead') =>
    waitFor(
      () => deliveriesOf(subscriptionId),
      (rows) => rows.length === n && rows.every((d) => d.status === status),
      10_000,
    );
  /** The operational events the pull API lists, oldest first. */
  const operational = async (): Promise<Listed[]> => {
    const res = await api('get', '/canonical-events?type=hookport.*&limit=100');
    expect(res.status).toBe(200);
    return (res.body.canonicalEvents as Listed[]).reverse();
  };
  const about = async (type: string, match: (b: Body) => boolean) =>
    (await operational()).filter((e) => e.type === type && match(e.body));
  const eventually = (type: string, match: (b: Body) => boolean, n = 1) =>
    waitFor(
      () => about(type, match),
      (list) => list.length >= n,
      10_000,
    );
  /** A body valid against the served catalogue, naming Hookport and its cause, with no secret in it. */
  const expectSound = (body: Body, causeId: string) => {
    expect(schemas.problems(body.type, body)).toEqual([]);
    expect(body.data.source).toEqual(expect.objectContaining({ provider: 'hookport', inboundEventId: causeId }));
    const text = JSON.stringify(body);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.replace(/^whsec_/, ''));
    }
    expect(text).not.toContain(URL_TOKEN);
    expect(text).not.toContain(ADMIN_TOKEN);
  };

  beforeAll(async () => {
    const catalogue = await api('get', '/event-types');
    expect(catalogue.status).toBe(200);
    schemas = servedBodySchemas(catalogue.body.eventTypes);
    h.runtime.deliveryWorker.start();
  });
  afterEach(async () => {
    await h.rows(sql`drop trigger if exists refuse_operational on canonical_events`);
    for (const s of (await api('get', '/subscriptions')).body.subscriptions as { id: string }[])
      await api('delete', `/subscriptions/${s.id}`);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('a delivery out of attempts is dead: hookport.delivery.dead reaches a hookport.* subscriber, signed', async () => {
    const ops = await receiver();
    const opsSub = await subscribe(ops.url(), ['hookport.*']);
    const { s } = await failingSubscriber();
    await inboundMessage();
    const [dead] = await allSettled(s.id, 1);
    const [listed] = await eventually('hookport.delivery.dead', (b) => b.data.object.id === dead!.id);
    expect(listed!.body.data.object).toEqual(
      expect.objectContaining({
        id: dead!.id,
        subscriptionId: s.id,
        eventType: 'message.received',
        attempts: 3,
        lastStatus: 500,
        lastError: 'the receiver answered 500',
      }),
    );
    expect(listed!.body.data.reason).toBe('no retry left after 3 attempts: the receiver answered 500');
    expectSound(listed!.body, dead!.id);
    // Delivered like any event: signed with the subscriber's secret, the body exactly as listed.
    const got = await waitFor(
      async () => ops.received.filter((r) => r.headers['webhook-id'] === listed!.id),
      (list) => list.length === 1,
    );
    expect(verifyDelivery(opsSub.secret, got[0]!)).toEqual(listed!.body);
    expect((await deliveriesOf(opsSub.id)).map((d) => d.status)).toEqual(['succeeded']);
  });

  it('a 410 disables the subscription: hookport.subscription.disabled with the reason, no secret, no URL token', async () => {
    const ops = await receiver();
    const opsSub = await subscribe(ops.url(), ['hookport.subscription.disabled']);
    const { s, r } = await failingSubscriber(410);
    await inboundMessage();
    const [event] = await eventually('hookport.subscription.disabled', (b) => b.data.object.id === s.id);
    const [delivery] = await deliveriesOf(s.id);
    expect(event!.body.data.object).toEqual({
      id: s.id,
      kind: 'webhook',
      url: `${r.url()}?…`,
      description: 'CRM sync',
      eventTypes: ['message.received'],
      enabled: false,
      disabledReason: `the receiver answered 410 Gone (delivery ${delivery!.id})`,
      failingSince: expect.any(String),
    });
    expect(event!.body.data).toEqual(
      expect.objectContaining({
        reason: `the receiver answered 410 Gone (delivery ${delivery!.id})`,
        deliveryId: delivery!.id,
      }),
    );
    expectSound(event!.body, delivery!.id);
    const got = await waitFor(
      async () => ops.received,
      (list) => list.length === 1,
    );
    expect(verifyDelivery(opsSub.secret, got[0]!).type).toBe('hookport.subscription.disabled');
    // Disabled once, told once: the parked delivery is not dead, and nothing else was said.
    expect(delivery!.status).toBe('failed');
    expect(await about('hookport.delivery.dead', (b) => b.data.object.subscriptionId === s.id)).toEqual([]);
  });

  it('an inbox event the worker cannot apply is dead: hookport.event.dead, listed with the inbox event', async () => {
    const ops = await receiver();
    const opsSub = await subscribe(ops.url(), ['hookport.event.dead']);
    expect((await postResend(h, '{"type": "email.sent", oops')).status).toBe(200);
    expect(await h.drain()).toEqual(['dead']);
    const [inbox] = await h.rows<{ id: string; last_error: string }>(
      sql`select id, last_error from webhook_events where status = 'dead' order by received_at desc limit 1`,
    );
    const [event] = await eventually('hookport.event.dead', (b) => b.data.object.id === inbox!.id);
    expect(event!.body.data.object).toEqual({
      id: inbox!.id,
      provider: 'resend',
      eventType: 'unknown',
      attempts: 1,
      receivedAt: expect.any(String),
    });
    expect(event!.body.data.reason).toBe(inbox!.last_error);
    expect(event!.body.data.reason).toMatch(/^invalid payload: /);
    expectSound(event!.body, inbox!.id);
    const detail = await api('get', `/events/${inbox!.id}`);
    expect(detail.body.canonicalEvents).toEqual([
      expect.objectContaining({ id: event!.id, type: 'hookport.event.dead' }),
    ]);
    const got = await waitFor(
      async () => ops.received,
      (list) => list.length === 1,
    );
    expect(verifyDelivery(opsSub.secret, got[0]!)).toEqual(event!.body);
  });

  it('an inbox event whose lease ran out on its last attempt is dead with its hookport.event.dead', async () => {
    expect((await postResend(h, '{"type": "email.sent", "oops": ')).status).toBe(200);
    const db = h.runtime.database.db;
    // A worker takes it and dies; its lease runs out.
    const [taken] = await claimEvents(db, { limit: 10, leaseSeconds: 60, maxAttempts: 1 });
    await h.rows(
      sql`update webhook_events set available_at = now() - interval '1 second' where id = ${taken!.id}::uuid`,
    );
    const told: string[] = [];
    expect(
      await claimEvents(db, {
        limit: 10,
        leaseSeconds: 60,
        maxAttempts: 1,
        deadLetter: markDeadAndTell,
        onDead: (d) => told.push(...d.map((e) => e.id)),
      }),
    ).toEqual([]);
    expect(told).toEqual([taken!.id]);
    const [row] = await h.rows<{ status: string; last_error: string }>(
      sql`select status, last_error from webhook_events where id = ${taken!.id}::uuid`,
    );
    expect(row).toEqual({ status: 'dead', last_error: expect.stringContaining('lease expired') });
    const [event] = await about('hookport.event.dead', (b) => b.data.object.id === taken!.id);
    expect(event!.body.data.reason).toBe(row!.last_error);
    expectSound(event!.body, taken!.id);
  });

  it('a failing streak sends hookport.delivery.failing once an hour at most', async () => {
    const ops = await receiver();
    await subscribe(ops.url(), ['hookport.delivery.failing']);
    const { s } = await failingSubscriber();
    const failing = () => about('hookport.delivery.failing', (b) => b.data.object.id === s.id);
    for (let i = 0; i < 4; i++) await inboundMessage();
    await allSettled(s.id, 4);
    expect(await failing()).toEqual([]);
    await inboundMessage();
    await allSettled(s.id, 5);
    const [first] = await eventually('hookport.delivery.failing', (b) => b.data.object.id === s.id);
    expect(first!.body.data).toEqual(
      expect.objectContaining({
        reason: '5 of 5 deliveries attempted in the last 15 minutes failed',
        recent: { minutes: 15, attempted: 5, failed: 5 },
      }),
    );
    expect(first!.body.data.object).toEqual(expect.objectContaining({ id: s.id, enabled: true }));
    expectSound(first!.body, first!.body.data.deliveryId as string);
    // Within the hour, more failures say nothing more.
    for (let i = 0; i < 2; i++) await inboundMessage();
    await allSettled(s.id, 7);
    expect(await failing()).toHaveLength(1);
    // An hour later, a failure that still finds most attempts failing is told again.
    await h.rows(
      sql`update subscriptions set failing_alerted_at = now() - interval '61 minutes' where id = ${s.id}::uuid`,
    );
    await inboundMessage();
    await allSettled(s.id, 8);
    const both = await eventually('hookport.delivery.failing', (b) => b.data.object.id === s.id, 2);
    expect(both).toHaveLength(2);
    await waitFor(
      async () => ops.received.length,
      (n) => n === 2,
    );
  });

  it('two workers settling failures at once send one hookport.delivery.failing, not two', async () => {
    const { s } = await failingSubscriber();
    await h.rows(
      sql`insert into deliveries (subscription_id, canonical_event_id, event_type, status, attempts, last_attempt_at)
        select ${s.id}::uuid, gen_random_uuid(), 'message.received', 'failed', 1, now() from generate_series(1, 5)`,
    );
    const db = h.runtime.database.db;
    const gate = deferred();
    const first = db.transaction(async (tx) => {
      const alert = await failingAlert(tx, s.id);
      await gate.promise;
      return alert;
    });
    const second = db.transaction((tx) => failingAlert(tx, s.id));
    setTimeout(gate.resolve, 200);
    const alerts = await Promise.all([first, second]);
    expect(alerts.filter((a) => a !== null)).toEqual([expect.objectContaining({ id: s.id, attempted: 5, failed: 5 })]);
  });

  it('no loop: a hookport.* subscriber that fails itself causes no event about its own deliveries', async () => {
    const ops = await receiver(() => ({ status: 500 }));
    const opsSub = await subscribe(ops.url(), ['hookport.*']);
    const { s } = await failingSubscriber();
    for (let i = 0; i < 5; i++) await inboundMessage();
    await allSettled(s.id, 5);
    // Its five hookport.delivery.dead and one hookport.delivery.failing about s, each dead at opsSub.
    await waitFor(
      () => deliveriesOf(opsSub.id),
      (rows) => rows.length === 6 && rows.every((d) => d.status === 'dead'),
      10_000,
    );
    await new Promise((done) => setTimeout(done, 300));
    const events = await operational();
    const aboutOps = events.filter(
      (e) =>
        e.body.data.object.subscriptionId === opsSub.id ||
        (e.body.data.object.id === opsSub.id && e.type !== 'hookport.subscription.disabled') ||
        String(e.body.data.object.eventType ?? '').startsWith('hookport.'),
    );
    expect(aboutOps).toEqual([]);
    expect((await deliveriesOf(opsSub.id)).every((d) => d.event_type.startsWith('hookport.'))).toBe(true);
  });

  it('atomic: while the event cannot be written, the delivery is not dead either; once it can, both are', async () => {
    await h.rows(REFUSE);
    await h.rows(
      sql`create trigger refuse_operational before insert on canonical_events for each row execute function refuse_operational()`,
    );
    const { s } = await failingSubscriber();
    await inboundMessage();
    // Its last attempt failed, but the settling transaction rolled back: still held, not dead.
    await waitFor(
      () => deliveriesOf(s.id),
      (rows) => rows[0]?.attempts === 3 && rows[0].status === 'delivering',
    );
    await new Promise((done) => setTimeout(done, 1500));
    expect((await deliveriesOf(s.id))[0]!.status).toBe('delivering');
    expect(await about('hookport.delivery.dead', (b) => b.data.object.subscriptionId === s.id)).toEqual([]);
    // Writable again: the lease runs out on the last attempt, and it is dead with its event.
    await h.rows(sql`drop trigger refuse_operational on canonical_events`);
    const [dead] = await allSettled(s.id, 1);
    expect(dead!.last_error).toBe(LEASE_EXHAUSTED);
    const [event] = await eventually('hookport.delivery.dead', (b) => b.data.object.id === dead!.id);
    expect(event!.body.data.object).toEqual(
      expect.objectContaining({ attempts: 3, lastStatus: null, lastError: LEASE_EXHAUSTED }),
    );
    expectSound(event!.body, dead!.id);
  });

  it('atomic: an inbox event is not dead while its hookport.event.dead cannot be written', async () => {
    await h.rows(REFUSE);
    await h.rows(
      sql`create trigger refuse_operational before insert on canonical_events for each row execute function refuse_operational()`,
    );
    expect((await postResend(h, 'not json at all')).status).toBe(200);
    expect(await h.drain()).toEqual(['lost']);
    const [held] = await h.rows<{ id: string; status: string }>(
      sql`select id, status from webhook_events order by received_at desc limit 1`,
    );
    expect(held!.status).toBe('processing');
    expect(await about('hookport.event.dead', (b) => b.data.object.id === held!.id)).toEqual([]);
    await h.rows(sql`drop trigger refuse_operational on canonical_events`);
    await h.rows(sql`update webhook_events set available_at = now() where id = ${held!.id}::uuid`);
    expect(await h.drain()).toEqual(['dead']);
    expect(await about('hookport.event.dead', (b) => b.data.object.id === held!.id)).toHaveLength(1);
  });
});
