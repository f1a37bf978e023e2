import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { claimEvents } from '../../src/inbox/claim';
import { installedProviders } from '../../src/installed';
import { createLogger } from '../../src/log/logger';
import { processEvents } from '../../src/worker/process';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';
import { waitFor } from '../helpers/wait';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';

const ADMIN_TOKEN = 'admin-token-for-the-suppressions-0123456789abcdef';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

interface SuppressionRow {
  suppressed: boolean;
  reason: string | null;
  provider: string;
  since: string | null;
  lifted_at: string | null;
  state_at: string;
  event_id: string | null;
  detail: string | null;
}
interface ContactEvent {
  type: string;
  webhook_event_id: string;
  occurred_at: string | null;
  data: Record<string, unknown>;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());
const json = (v: unknown) =>
  typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>);
/** A fresh US number per test, so tests share the database without sharing addresses. */
const phone = () => `+1415${randomInt(1_000_000, 9_999_999)}`;

describe.each(databaseKinds())('suppression list on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true' });
  const api = (path: string) => h.http().get(`/admin/api${path}`).set(auth);

  const sms = async (from: string, body: string, extra: Record<string, string> = {}) => {
    const params = inboundSms({ From: from, Body: body, ...extra });
    expect((await postTwilio(h, params)).status).toBe(200);
    return params.MessageSid;
  };
  /** The inbox id of a Twilio message (Twilio is answered with TwiML, not an id). */
  const inboxId = async (sid: string) =>
    (await h.rows<{ id: string }>(sql`select id from webhook_events where dedupe_key like ${`${sid}%`}`))[0]!.id;
  const row = async (channel: string, address: string): Promise<SuppressionRow | undefined> => {
    const [r] = await h.rows<SuppressionRow>(
      sql`select suppressed, reason, provider, since, lifted_at, state_at, event_id, detail from suppressions
        where channel = ${channel} and address = ${address}`,
    );
    return r && { ...r, since: iso(r.since), lifted_at: iso(r.lifted_at), state_at: iso(r.state_at)! };
  };
  const contactEvents = async (channel: string, address: string): Promise<ContactEvent[]> =>
    (
      await h.rows<ContactEvent>(
        sql`select type, webhook_event_id, occurred_at, data from canonical_events
          where record_kind = 'suppression' and external_id = ${`${channel}:${address}`} order by created_at, type`,
      )
    ).map((e) => ({ ...e, occurred_at: iso(e.occurred_at), data: json(e.data) }));
  const receivedAt = async (id: string) =>
    iso((await h.rows<{ r: Date }>(sql`select received_at as r from webhook_events where id = ${id}::uuid`))[0]!.r)!;
  /** A worker that claimed the event and died: its lease must run out before another worker retakes it. */
  const claimAndDie = async () => {
    const [claimed] = await claimEvents(h.runtime.database.db, { limit: 1, leaseSeconds: 3600, maxAttempts: 5 });
    return claimed!.id;
  };
  /** The lease of a dead worker's event runs out (fast-forwarded: the hour passes at once). */
  const leaseRunsOut = (id: string) =>
    h.rows(sql`update webhook_events set available_at = now() where id = ${id}::uuid`);

  it('an inbound "Stop " suppresses the sender with one contact.suppressed; the message is still received', async () => {
    const from = phone();
    const sid = await sms(from, 'Stop ');
    expect(await h.drain()).toEqual(['processed']);
    const id = await inboxId(sid);
    const at = await receivedAt(id);
    expect(await row('sms', from)).toEqual({
      suppressed: true,
      reason: 'opted_out',
      provider: 'twilio',
      since: at,
      lifted_at: null,
      state_at: at,
      event_id: id,
      detail: 'STOP',
    });
    expect(await contactEvents('sms', from)).toEqual([
      {
        type: 'contact.suppressed',
        webhook_event_id: id,
        occurred_at: at,
        data: { channel: 'sms', address: from, reason: 'opted_out', since: at, detail: 'STOP' },
      },
    ]);
    // The message itself: unchanged, with its own canonical event.
    const [message] = await h.rows<{ body: string }>(sql`select body from messages where external_id = ${sid}`);
    expect(message!.body).toBe('Stop ');
    const types = await h.rows<{ type: string }>(
      sql`select type from canonical_events where webhook_event_id = ${id}::uuid order by type`,
    );
    expect(types.map((t) => t.type)).toEqual(['contact.suppressed', 'message.received']);
  });

  it('a second STOP (Advanced Opt-Out) keeps the spell: same since, no second event; START lifts it once', async () => {
    const from = phone();
    const first = await inboxId(await sms(from, 'STOP'));
    await h.drain();
    const since = (await row('sms', from))!.since;
    const second = await inboxId(await sms(from, 'arrêt', { OptOutType: 'STOP' }));
    await h.drain();
    const again = (await row('sms', from))!;
    expect(again).toMatchObject({ suppressed: true, since, event_id: first, detail: 'STOP' });
    expect(again.state_at).toBe(await receivedAt(second));
    expect((await contactEvents('sms', from)).map((e) => e.type)).toEqual(['contact.suppressed']);

    const start = await inboxId(await sms(from, 'START', { OptOutType: 'START' }));
    await h.drain();
    const liftedAt = await receivedAt(start);
    expect(await row('sms', from)).toEqual({
      suppressed: false,
      reason: 'opted_out',
      provider: 'twilio',
      since,
      lifted_at: liftedAt,
      state_at: liftedAt,
      event_id: start,
      detail: 'STOP',
    });
    const events = await contactEvents('sms', from);
    expect(events.map((e) => e.type)).toEqual(['contact.suppressed', 'contact.unsuppressed']);
    expect(events[1]).toEqual({
      type: 'contact.unsuppressed',
      webhook_event_id: start,
      occurred_at: liftedAt,
      data: { channel: 'sms', address: from, reason: 'opted_out', since, detail: 'STOP', liftedAt },
    });
    // A second START changes nothing and announces nothing.
    await sms(from, 'unstop');
    await h.drain();
    expect((await row('sms', from))!.event_id).toBe(start);
    expect(await contactEvents('sms', from)).toHaveLength(2);
  });

  it('an older START processed after a newer STOP does not lift it (its worker died and it was retaken)', async () => {
    const from = phone();
    // START arrives first, and the worker that took it dies before committing.
    const start = await inboxId(await sms(from, 'START'));
    expect(await claimAndDie()).toBe(start);
    // STOP arrives later and another worker processes it.
    const stop = await inboxId(await sms(from, 'STOP'));
    expect(await h.drain()).toEqual(['processed']);
    expect((await row('sms', from))!.suppressed).toBe(true);
    // The START's lease runs out; it is processed now, after the newer STOP: it must not lift.
    await leaseRunsOut(start);
    expect(await h.drain()).toEqual(['processed']);
    expect((await receivedAt(start)) < (await receivedAt(stop))).toBe(true);
    expect(await row('sms', from)).toMatchObject({
      suppressed: true,
      event_id: stop,
      state_at: await receivedAt(stop),
    });
    expect((await contactEvents('sms', from)).map((e) => e.type)).toEqual(['contact.suppressed']);
  });

  it('an older STOP processed after a newer START does not suppress, the address never seen before', async () => {
    const from = phone();
    const stop = await inboxId(await sms(from, 'STOP'));
    expect(await claimAndDie()).toBe(stop);
    const start = await inboxId(await sms(from, 'START'));
    expect(await h.drain()).toEqual(['processed']);
    // A lift of an unknown address keeps a row, so the late opt-out has something to lose against.
    expect(await row('sms', from)).toMatchObject({ suppressed: false, reason: null, since: null, event_id: start });
    await leaseRunsOut(stop);
    expect(await h.drain()).toEqual(['processed']);
    expect(await row('sms', from)).toMatchObject({
      suppressed: false,
      event_id: start,
      state_at: await receivedAt(start),
    });
    // Never suppressed: nothing to announce either way.
    expect(await contactEvents('sms', from)).toEqual([]);
  });

  it('a replayed STOP after a newer START does not suppress again, and a replay writes no second event', async () => {
    const from = phone();
    const stop = await inboxId(await sms(from, 'STOP'));
    await h.drain();
    const replay = async (id: string) => {
      expect((await h.http().post(`/admin/api/events/${id}/replay`).set(auth)).status).toBe(202);
      expect(await h.drain()).toEqual(['processed']);
    };
    const before = await h.rows(
      sql`select id from canonical_events where webhook_event_id = ${stop}::uuid order by id`,
    );
    await replay(stop);
    expect(await contactEvents('sms', from)).toHaveLength(1);
    expect(
      await h.rows(sql`select id from canonical_events where webhook_event_id = ${stop}::uuid order by id`),
    ).toEqual(before);
    await sms(from, 'START');
    await h.drain();
    await replay(stop);
    expect((await row('sms', from))!.suppressed).toBe(false);
    expect((await contactEvents('sms', from)).map((e) => e.type)).toEqual([
      'contact.suppressed',
      'contact.unsuppressed',
    ]);
  });

  it('HELP, ordinary text, and WhatsApp senders change nothing', async () => {
    const from = phone();
    await sms(from, 'HELP');
    await sms(from, 'stop by at 5 please');
    await sms(from, 'STOP', { OptOutType: 'HELP' });
    await sms(from, 'YES');
    await sms(`whatsapp:${from}`, 'STOP');
    expect(await h.drain()).toEqual(['processed', 'processed', 'processed', 'processed', 'processed']);
    expect(await h.rows(sql`select 1 from suppressions where address = ${from}`)).toEqual([]);
  });

  describe('Resend', () => {
    const post = async (type: string, data: Record<string, unknown>, at = new Date()) => {
      const res = await postResend(h, emailEvent(type, emailId(), { at, data }));
      expect(res.status).toBe(200);
      return res.body.id as string;
    };
    const bounce = (type: string, extra: Record<string, unknown> = {}) => ({
      type,
      subType: 'General',
      message: 'Mailbox does not exist',
      ...extra,
    });

    it('a permanent bounce suppresses its recipient; a transient one does not', async () => {
      const at = new Date('2026-05-02T10:00:00.000Z');
      const id = await post('email.bounced', { to: ['Dana <Dana.Hard@Example.com>'], bounce: bounce('Permanent') }, at);
      await post('email.bounced', { to: ['soft@example.com'], bounce: bounce('Transient') });
      await post('email.bounced', { to: ['undetermined@example.com'], bounce: bounce('Undetermined') });
      expect(await h.drain()).toEqual(['processed', 'processed', 'processed']);
      expect(await row('email', 'dana.hard@example.com')).toEqual({
        suppressed: true,
        reason: 'bounced',
        provider: 'resend',
        since: at.toISOString(),
        lifted_at: null,
        state_at: at.toISOString(),
        event_id: id,
        detail: 'Mailbox does not exist',
      });
      expect(await contactEvents('email', 'dana.hard@example.com')).toEqual([
        expect.objectContaining({ type: 'contact.suppressed', webhook_event_id: id, occurred_at: at.toISOString() }),
      ]);
      expect(await row('email', 'soft@example.com')).toBeUndefined();
      expect(await row('email', 'undetermined@example.com')).toBeUndefined();
      // The bounce is still an email.bounced on its email.
      const types = await h.rows<{ type: string }>(
        sql`select type from canonical_events where webhook_event_id = ${id}::uuid order by type`,
      );
      expect(types.map((t) => t.type)).toEqual(['contact.suppressed', 'email.bounced']);
    });

    it('a complaint and a suppression suppress their recipient', async () => {
      await post('email.complained', { to: ['complainer@example.com'] });
      await post('email.suppressed', {
        to: 'listed@example.com',
        suppressed: { message: 'On the account suppression list', type: 'OnAccountSuppressionList' },
      });
      await h.drain();
      expect(await row('email', 'complainer@example.com')).toMatchObject({
        suppressed: true,
        reason: 'complained',
        detail: null,
      });
      expect(await row('email', 'listed@example.com')).toMatchObject({
        suppressed: true,
        reason: 'suppressed',
        detail: 'On the account suppression list',
      });
    });

    it('with several recipients, a bounce suppresses only those it names, a complaint none', async () => {
      const to = ['one@multi.example', 'two@multi.example'];
      await post('email.bounced', {
        to,
        bounce: bounce('Permanent', { diagnosticCode: ['smtp; 550 5.1.1 <two@multi.example>: user unknown'] }),
      });
      await post('email.complained', { to: ['three@multi.example', 'four@multi.example'] });
      await h.drain();
      const rows = await h.rows<{ address: string }>(
        sql`select address from suppressions where address like '%@multi.example' order by address`,
      );
      expect(rows.map((r) => r.address)).toEqual(['two@multi.example']);
    });

    it('a bounce older than the row changes nothing, a newer one keeps the spell', async () => {
      const address = 'order@example.com';
      const t = (s: string) => new Date(`2026-05-03T10:00:${s}.000Z`);
      const first = await post('email.bounced', { to: [address], bounce: bounce('Permanent') }, t('10'));
      await h.drain();
      await post('email.complained', { to: [address] }, t('05'));
      await post('email.complained', { to: [address] }, t('20'));
      await h.drain();
      expect(await row('email', address)).toMatchObject({
        reason: 'bounced',
        since: t('10').toISOString(),
        state_at: t('20').toISOString(),
        event_id: first,
      });
      expect(await contactEvents('email', address)).toHaveLength(1);
    });
  });

  describe("Resend's own suppression list", () => {
    const list = async (
      type: 'suppression.added' | 'suppression.removed',
      email: string,
      at: Date,
      origin = 'manual',
    ) => {
      const event = {
        type,
        created_at: at.toISOString(),
        data: { id: emailId(), email, origin, source_id: emailId(), created_at: at.toISOString() },
      };
      const res = await postResend(h, event);
      expect(res.status).toBe(200);
      return res.body.id as string;
    };

    it('suppression.added suppresses (reason from its origin), suppression.removed lifts; an older removal does not', async () => {
      const t = (s: string) => new Date(`2026-05-04T10:00:${s}.000Z`);
      const added = await list('suppression.added', 'Listed.By.Hand@Example.com', t('10'));
      await list('suppression.added', 'bounced.there@example.com', t('10'), 'bounce');
      await list('suppression.added', 'odd.origin@example.com', t('10'), '__proto__');
      expect(await h.drain()).toEqual(['processed', 'processed', 'processed']);
      expect(await row('email', 'listed.by.hand@example.com')).toMatchObject({
        suppressed: true,
        reason: 'suppressed',
        event_id: added,
        detail: "on Resend's suppression list (origin: manual)",
      });
      expect(await row('email', 'bounced.there@example.com')).toMatchObject({ suppressed: true, reason: 'bounced' });
      expect(await row('email', 'odd.origin@example.com')).toMatchObject({ suppressed: true, reason: 'suppressed' });

      // A removal older than the addition (a late retry) does not lift it; a newer one does, once.
      await list('suppression.removed', 'listed.by.hand@example.com', t('05'));
      expect(await h.drain()).toEqual(['processed']);
      expect(await row('email', 'listed.by.hand@example.com')).toMatchObject({ suppressed: true });
      const removed = await list('suppression.removed', 'listed.by.hand@example.com', t('20'));
      expect(await h.drain()).toEqual(['processed']);
      expect(await row('email', 'listed.by.hand@example.com')).toMatchObject({
        suppressed: false,
        lifted_at: t('20').toISOString(),
        event_id: removed,
      });
      expect((await contactEvents('email', 'listed.by.hand@example.com')).map((e) => e.type)).toEqual([
        'contact.suppressed',
        'contact.unsuppressed',
      ]);
      // Each is still passed on as Resend's own event.
      const types = await h.rows<{ type: string }>(
        sql`select type from canonical_events where webhook_event_id = ${removed}::uuid order by type`,
      );
      expect(types.map((r) => r.type)).toEqual(['contact.unsuppressed', 'resend.suppression.removed']);
    });
  });

  describe('admin API', () => {
    it('answers may-I-message for any common form of an address', async () => {
      const from = phone();
      const stop = await inboxId(await sms(from, 'STOP'));
      await h.drain();
      const pretty = `${from.slice(0, 2)} (${from.slice(2, 5)}) ${from.slice(5, 8)}-${from.slice(8)}`;
      const res = await api(`/suppressions?channel=sms&address=${encodeURIComponent(pretty)}`);
      expect(res.status).toBe(200);
      const at = await receivedAt(stop);
      expect(res.body).toEqual({
        channel: 'sms',
        address: from,
        mayMessage: false,
        suppression: {
          reason: 'opted_out',
          provider: 'twilio',
          since: at,
          liftedAt: null,
          stateAt: at,
          eventId: stop,
          detail: 'STOP',
        },
      });

      await postResend(h, emailEvent('email.complained', emailId(), { data: { to: ['Bob.Case@example.com'] } }));
      await h.drain();
      const email = await api('/suppressions?channel=email&address=Bob.Case@Example.COM');
      expect(email.body).toMatchObject({
        address: 'bob.case@example.com',
        mayMessage: false,
        suppression: { reason: 'complained' },
      });

      // A `+` left unencoded in the query arrives as a space: still the same number.
      expect((await api(`/suppressions?channel=sms&address=${from}`)).body).toMatchObject({
        address: from,
        mayMessage: false,
      });

      const unknown = await api('/suppressions?channel=sms&address=%2B14155550000');
      expect(unknown.body).toEqual({ channel: 'sms', address: '+14155550000', mayMessage: true, suppression: null });

      await sms(from, 'START');
      await h.drain();
      const lifted = await api(`/suppressions?channel=sms&address=${encodeURIComponent(from)}`);
      expect(lifted.body).toMatchObject({
        mayMessage: true,
        suppression: { reason: 'opted_out', since: at, liftedAt: expect.any(String) },
      });
    });

    it('refuses an address without a channel, one that is not an address, and a request without the token', async () => {
      const noChannel = await api('/suppressions?address=bob@example.com');
      expect(noChannel.status).toBe(400);
      expect(noChannel.body).toEqual({
        error: 'invalid_request',
        message: expect.stringContaining('address needs channel'),
      });
      const notPhone = await api('/suppressions?channel=sms&address=whatsapp:%2B14155550100');
      expect(notPhone.body).toEqual({ error: 'invalid_request', message: 'query: address: not a phone number' });
      expect((await api('/suppressions?channel=fax')).status).toBe(400);
      expect((await api('/suppressions?cursor=not-one')).status).toBe(400);
      const none = await h.http().get('/admin/api/suppressions?channel=sms&address=%2B14155550100');
      expect(none.status).toBe(401);
      expect(none.body.error).toBe('unauthorized');
    });

    it('lists suppressed addresses newest first, by channel, a page at a time; state=all adds lifted ones', async () => {
      const numbers = [phone(), phone(), phone()];
      for (const n of numbers) {
        await sms(n, 'STOP');
        await h.drain();
      }
      await sms(numbers[0]!, 'START');
      await h.drain();
      const suppressedNow = (
        await h.rows<{ n: number }>(
          sql`select count(*)::int as n from suppressions where suppressed and channel = 'sms'`,
        )
      )[0]!.n;
      const seen: { address: string; since: string }[] = [];
      let cursor: string | null = null;
      do {
        const res = await api(`/suppressions?channel=sms&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.suppressions.length).toBeLessThanOrEqual(2);
        for (const s of res.body.suppressions) {
          expect(s).toMatchObject({ channel: 'sms', suppressed: true });
          seen.push(s);
        }
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(suppressedNow);
      expect(new Set(seen.map((s) => s.address)).size).toBe(suppressedNow);
      expect([...seen].sort((a, b) => b.since.localeCompare(a.since))).toEqual(seen);
      expect(seen.slice(0, 2).map((s) => s.address)).toEqual([numbers[2], numbers[1]]);
      expect(seen.map((s) => s.address)).not.toContain(numbers[0]);

      const all = await api('/suppressions?channel=sms&state=all&limit=500');
      expect(all.body.suppressions[0]).toMatchObject({ address: numbers[0], suppressed: false });
      const emails = await api('/suppressions?channel=email&limit=500');
      expect(emails.body.suppressions.every((s: { channel: string }) => s.channel === 'email')).toBe(true);
      // A cursor of one list is not one of the other.
      const page = await api('/suppressions?channel=sms&limit=1');
      expect((await api(`/suppressions?state=all&cursor=${page.body.nextCursor as string}`)).status).toBe(400);
    });
  });

  it('delivers contact.suppressed to a subscription to contact.*', async () => {
    const receiver = new Receiver();
    await receiver.start();
    try {
      const sub = await h
        .http()
        .post('/admin/api/subscriptions')
        .set(auth)
        .send({ url: receiver.url(), eventTypes: ['contact.*'] });
      expect(sub.status).toBe(201);
      registerSecret('subscription secret', sub.body.secret);
      const from = phone();
      await sms(from, 'QUIT');
      // The worker tells the delivery worker at commit (the message.received it also wrote matches no subscription).
      const claimed = await claimEvents(h.runtime.database.db, { limit: 10, leaseSeconds: 30, maxAttempts: 5 });
      let woken = 0;
      const deps = {
        db: h.runtime.database.db,
        config: h.config,
        logger: createLogger('error', true),
        providers: installedProviders,
      };
      expect(await processEvents({ ...deps, onCommitted: () => woken++ }, claimed)).toEqual(['processed']);
      expect(woken).toBe(1);
      h.runtime.deliveryWorker.start();
      await waitFor(
        async () => receiver.received.length,
        (n) => n >= 1,
      );
      const delivered = verifyDelivery(sub.body.secret, receiver.received[0]!);
      expect(delivered.type).toBe('contact.suppressed');
      expect(delivered.data).toMatchObject({ channel: 'sms', address: from, reason: 'opted_out', detail: 'QUIT' });
      expect(receiver.received).toHaveLength(1);
    } finally {
      // The delivery worker stops with the harness.
      await receiver.close();
    }
  });
});
