import { randomInt } from 'node:crypto';
import { databaseKinds } from '../helpers/harness';
import { scrape, sample } from '../helpers/metrics';
import { suiteHarness } from '../helpers/suite';
import {
  emailEvent,
  emailId,
  inboundSms,
  postResend,
  postTwilio,
  resendDelivery,
  sendResend,
  statusCallback,
  twilioSid,
} from '../helpers/webhooks';
import { postThumbtack, thumbtackFixture } from '../fakes/thumbtack-deliveries';

const ADMIN_TOKEN = 'admin-token-for-the-business-figures-0123456789';
const METRICS_TOKEN = 'metrics-token-for-the-business-figures-0123456789';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);
const tt = () => `5903${randomInt(1e11, 2e14)}`; // a Thumbtack-like numeric id

/**
 * Real signed webhooks of each provider, processed by the worker, then the figures read back from
 * GET /admin/api/stats/business and /metrics: every status counted once per record, whatever
 * arrives twice or late.
 */
describe.each(databaseKinds())('business figures on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN, METRICS_TOKEN, HEALTH_CACHE_MS: '0' });
  const figures = async (query = '') => {
    const res = await h.http().get(`/admin/api/stats/business${query}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Posts, expects a fresh 200 each time unless told it is a repeat, and lets the worker process it. */
  const deliver = async (post: () => Promise<{ status: number; body: { duplicate?: boolean } }>, repeat = false) => {
    const res = await post();
    expect(res.status).toBe(200);
    if (!repeat) expect(await h.drain()).toEqual(['processed']);
    return res;
  };

  /** Resend events about email `id` sent at `sentAt`, each `afterMs` later (a click at that time too). */
  const email = async (id: string, sentAt: Date, steps: [string, number][]) => {
    for (const [type, afterMs] of steps) {
      const at = new Date(sentAt.getTime() + afterMs);
      const click =
        type === 'clicked' ? { click: { link: 'https://acme.com/quotes/123', timestamp: at.toISOString() } } : {};
      await deliver(() =>
        postResend(h, emailEvent(`email.${type}`, id, { at, data: { created_at: sentAt.toISOString(), ...click } })),
      );
    }
  };
  const lead = (negotiationId: string, createdAt: Date) => {
    const body = thumbtackFixture('negotiation-created');
    body.data.negotiationID = negotiationId;
    body.data.createdAt = createdAt.toISOString();
    return deliver(() => postThumbtack(h, body));
  };
  const message = (negotiationId: string, from: 'Business' | 'Customer', sentAt: Date) => {
    const body = thumbtackFixture(from === 'Business' ? 'message-from-business' : 'message-from-customer');
    Object.assign(body.data, { messageID: tt(), negotiationID: negotiationId, sentAt: sentAt.toISOString() });
    return deliver(() => postThumbtack(h, body));
  };

  // The days the records fall on, for the per-day checks.
  const e4SentAt = ago(3 * DAY);

  beforeAll(async () => {
    // SMS. A: sent then delivered, then the same delivered callback again (a retry) and a late `sent`.
    const a = twilioSid();
    await deliver(() => postTwilio(h, statusCallback(a, 'sent')));
    await deliver(() => postTwilio(h, statusCallback(a, 'delivered')));
    expect((await deliver(() => postTwilio(h, statusCallback(a, 'delivered')), true)).body).toBeTruthy();
    expect(await h.drain()).toEqual([]);
    // A later `sent` from another callback URL (a new inbox row) that must not count again.
    await deliver(() => postTwilio(h, statusCallback(a, 'queued')));
    // B undelivered, C failed, D delivered with its `sent` arriving after it; E an inbound message.
    await deliver(() => postTwilio(h, statusCallback(twilioSid(), 'undelivered', { ErrorCode: '30003' })));
    await deliver(() => postTwilio(h, statusCallback(twilioSid(), 'failed', { ErrorCode: '30008' })));
    const d = twilioSid();
    await deliver(() => postTwilio(h, statusCallback(d, 'delivered')));
    await deliver(() => postTwilio(h, statusCallback(d, 'sent')));
    await deliver(() => postTwilio(h, inboundSms()));

    // Email. E1 (2 hours ago): sent, delivered, ten opens, two clicks, a retry of its delivery
    // (same svix-id: not stored), Resend sending `delivered` again (a new svix-id), a late `sent`.
    const e1 = emailId();
    const e1SentAt = ago(2 * HOUR);
    await email(e1, e1SentAt, [
      ['sent', 0],
      ['delivered', 2000],
    ]);
    await email(
      e1,
      e1SentAt,
      Array.from({ length: 10 }, (_, i): [string, number] => ['opened', 60_000 * (i + 1)]),
    );
    await email(e1, e1SentAt, [
      ['clicked', 700_000],
      ['clicked', 800_000],
    ]);
    const retried = resendDelivery(
      emailEvent('email.delivered', e1, {
        at: new Date(e1SentAt.getTime() + 2000),
        data: { created_at: e1SentAt.toISOString() },
      }),
    );
    await deliver(() => sendResend(h, retried));
    expect((await deliver(() => sendResend(h, retried), true)).body.duplicate).toBe(true);
    await email(e1, e1SentAt, [
      ['delivered', 3000],
      ['sent', 1000],
    ]);
    // E2 bounced, E3 delivered (both today); E4 three days ago, opened; E5 ten days ago, complained.
    // E2's bounce is followed by a `failed` and a second bounce: final statuses of one rank, which
    // may replace each other (the newer wins) but reach nothing new.
    await email(emailId(), ago(3 * HOUR), [
      ['sent', 0],
      ['bounced', 5000],
      ['failed', 6000],
      ['bounced', 7000],
    ]);
    await email(emailId(), ago(1 * HOUR), [
      ['sent', 0],
      ['delivered', 3000],
    ]);
    await email(emailId(), e4SentAt, [
      ['sent', 0],
      ['delivered', 3000],
      ['opened', 600_000],
    ]);
    await email(emailId(), ago(10 * DAY), [
      ['sent', 0],
      ['delivered', 3000],
      ['complained', 900_000],
    ]);

    // Leads. L1 (5 hours ago): the customer writes first, the business answers 30 minutes in, then
    // again. L2 (2 hours ago) answered after 10 minutes; L3 not yet; L4 (3 days ago) after 2 hours.
    const [l1, l2, l3, l4] = [tt(), tt(), tt(), tt()];
    const l1At = ago(5 * HOUR);
    await lead(l1, l1At);
    await message(l1, 'Customer', new Date(l1At.getTime() + 60_000));
    await message(l1, 'Business', new Date(l1At.getTime() + 1800_000));
    await message(l1, 'Business', new Date(l1At.getTime() + 3600_000));
    const l2At = ago(2 * HOUR);
    await lead(l2, l2At);
    await message(l2, 'Business', new Date(l2At.getTime() + 600_000));
    await lead(l3, ago(1 * HOUR));
    const l4At = ago(3 * DAY);
    await lead(l4, l4At);
    await message(l4, 'Business', new Date(l4At.getTime() + 7200_000));
  }, 120_000);

  it('answers the last 24 hours by default, each record counted by when it reached the figure', async () => {
    const body = await figures();
    expect(body).toMatchObject({
      window: '24h',
      sms: { sent: 4, delivered: 2, undelivered: 1, failed: 1, deliveryRate: 0.5 },
      email: {
        sent: 3,
        delivered: 2,
        bounced: 1,
        complained: 0,
        opened: 1,
        clicked: 1,
        deliveryRate: 2 / 3,
        openRate: 0.5,
        clickRate: 0.5,
        bounceRate: 1 / 3,
      },
      leads: { created: 3, replied: 2, medianFirstReplySeconds: 1200 },
    });
    expect(body).toEqual(await figures('?window=24h'));
  });

  it('widens to 7 and 30 days, with a count per day', async () => {
    const week = await figures('?window=7d');
    expect(week.email).toMatchObject({
      sent: 4,
      delivered: 3,
      bounced: 1,
      complained: 0,
      opened: 2,
      clicked: 1,
      deliveryRate: 3 / 4,
      openRate: 2 / 3,
      clickRate: 1 / 3,
      bounceRate: 1 / 4,
    });
    expect(week.leads).toMatchObject({ created: 4, replied: 3, medianFirstReplySeconds: 1800 });
    // Every day of the window, oldest first; E4 and L4 on their own day.
    expect(week.email.perDay).toHaveLength(8);
    const e4Day = e4SentAt.toISOString().slice(0, 10);
    expect(week.email.perDay.find((d: { day: string }) => d.day === e4Day)).toMatchObject({
      sent: 1,
      delivered: 1,
      opened: 1,
      bounced: 0,
    });
    expect(week.leads.perDay.find((d: { day: string }) => d.day === e4Day)).toEqual({ day: e4Day, created: 1 });
    const sum = (days: Record<string, number>[], key: string) => days.reduce((n, d) => n + d[key]!, 0);
    expect(sum(week.email.perDay, 'opened')).toBe(2);
    expect(sum(week.sms.perDay, 'delivered')).toBe(2);

    const month = await figures('?window=30d');
    expect(month.email).toMatchObject({
      sent: 5,
      delivered: 4,
      complained: 1,
      opened: 2,
      deliveryRate: 4 / 5,
      openRate: 2 / 4,
      clickRate: 1 / 4,
      bounceRate: 1 / 5,
    });
    expect(month.email.perDay).toHaveLength(31);
  });

  it('refuses any other window, or anything else in the query, with 400 invalid_request', async () => {
    for (const query of ['?window=1h', '?window=90d', '?window=', '?since=2026-01-01']) {
      const res = await h.http().get(`/admin/api/stats/business${query}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
      expect({ query, status: res.status, error: res.body.error }).toEqual({
        query,
        status: 400,
        error: 'invalid_request',
      });
    }
    expect((await h.http().get('/admin/api/stats/business')).status).toBe(401);
  });

  it('counts each message and email once per status it reached, and a first open or click once', async () => {
    const text = await scrape(h, METRICS_TOKEN);
    const sms = (direction: string, status: string) =>
      sample(text, `hookport_messages_total{provider="twilio",direction="${direction}",status="${status}"}`);
    // A's sent; D's late sent and A's queued came after higher statuses.
    expect(sms('outbound', 'sent')).toBe(1);
    expect(sms('outbound', 'queued')).toBeUndefined();
    expect(sms('outbound', 'delivered')).toBe(2);
    expect(sms('outbound', 'undelivered')).toBe(1);
    expect(sms('outbound', 'failed')).toBe(1);
    expect(sms('inbound', 'received')).toBe(1);
    // Thumbtack's messages: four from the business, one from a customer.
    expect(sample(text, 'hookport_messages_total{provider="thumbtack",direction="outbound",status="sent"}')).toBe(4);
    expect(sample(text, 'hookport_messages_total{provider="thumbtack",direction="inbound",status="received"}')).toBe(1);
    const emails = (status: string) => sample(text, `hookport_emails_total{status="${status}"}`);
    expect({
      sent: emails('sent'),
      delivered: emails('delivered'),
      opened: emails('opened'),
      clicked: emails('clicked'),
      bounced: emails('bounced'),
      complained: emails('complained'),
      failed: emails('failed'),
    }).toEqual({ sent: 5, delivered: 4, opened: 2, clicked: 1, bounced: 1, complained: 1, failed: undefined });
  });
});
