import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { insertCanonicalEvents } from '../../src/records/canonical';
import { version } from '../../src/config/version';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { canonicalRow } from '../helpers/canonical-rows';
import { waitFor } from '../helpers/wait';
import { registerSecret } from '../helpers/log-capture';
import { emailEvent, emailId, inboundSms, postResend, postTwilio, THEIR_NUMBER } from '../helpers/webhooks';
import { postThumbtack, thumbtackFixture } from '../fakes/thumbtack-deliveries';
import { FakeSlack } from '../fakes/slack';
import { allText, expectEscaped, field, headerOf } from '../helpers/slack-messages';

const ADMIN_TOKEN = 'admin-token-for-the-slack-deliveries-0123456789';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe.each(databaseKinds())('Slack deliveries on %s', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_RETRY_SCHEDULE: '100ms,100ms',
    DELIVERY_TIMEOUT_MS: '2000',
    DELIVERY_SWEEP_MS: '50',
  });
  const slack = new FakeSlack();
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const subscribe = async (eventTypes: string[]) => {
    const res = await api('post', '/subscriptions', {
      kind: 'slack',
      url: slack.url,
      eventTypes,
      description: 'ops channel',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expect.objectContaining({ kind: 'slack', url: slack.url, enabled: true, secret: null }));
    return res.body as { id: string };
  };
  const deliveries = (subscriptionId: string) =>
    h.rows<{
      status: string;
      event_type: string;
      response_status: number | null;
      response_body: string | null;
      last_error: string | null;
    }>(
      sql`select status, event_type, response_status, response_body, last_error from deliveries where subscription_id = ${subscriptionId}::uuid order by created_at, id`,
    );
  const delivered = (subscriptionId: string, n = 1) =>
    waitFor(
      () => deliveries(subscriptionId),
      (rows) => rows.filter((r) => r.status === 'succeeded').length >= n,
    );

  beforeAll(async () => {
    await slack.start();
    // The incoming-webhook URL is a credential: the log scan fails the run if it is ever logged.
    registerSecret('slack webhook path', '/services/T0HOOKPORT/B0TESTING/abcdefghijklmnopqrstuvwx');
    h.runtime.deliveryWorker.start();
  });
  beforeEach(() => {
    slack.posts.length = 0;
    slack.state = 'ok';
  });
  afterEach(async () => {
    for (const s of (await api('get', '/subscriptions')).body.subscriptions as { id: string }[])
      await api('delete', `/subscriptions/${s.id}`);
  });
  afterAll(() => slack.close());

  it('posts a new Thumbtack lead as a Slack message: customer, category, location, when; values escaped; not signed', async () => {
    const s = await subscribe(['lead.created']);
    const lead = thumbtackFixture('negotiation-created');
    lead.data.negotiationID = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
    lead.data.customer.lastName = 'Reyes <@U0ADMIN> & <!channel>';
    lead.data.request.description = `Haul away <b>everything</b> ${'x'.repeat(5000)}`;
    expect((await postThumbtack(h, lead)).status).toBe(200);
    await h.drain();
    const [row] = await delivered(s.id);
    expect(row).toEqual(
      expect.objectContaining({ event_type: 'lead.created', response_status: 200, response_body: 'ok' }),
    );

    expect(slack.posts).toHaveLength(1);
    const post = slack.posts[0]!;
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.headers['user-agent']).toBe(`Hookport/${version}`);
    expect(Object.keys(post.headers).filter((k) => k.startsWith('webhook-'))).toEqual([]);

    const m = post.message!;
    expect(m.text).toBe(
      'New lead from Dana Reyes &lt;@U0ADMIN&gt; &amp; &lt;!channel&gt;: Junk Removal in 123 Main St, Lake Worth, FL 33460',
    );
    expect(headerOf(m)).toBe('New lead');
    expect(field(m, 'Customer')).toBe('Dana Reyes &lt;@U0ADMIN&gt; &amp; &lt;!channel&gt;');
    expect(field(m, 'Category')).toBe('Junk Removal');
    expect(field(m, 'Location')).toBe('123 Main St, Lake Worth, FL 33460');
    expect(field(m, 'When')).toBe(
      `<!date^${Date.parse('2026-09-15T04:02:24Z') / 1000}^{date_short_pretty} at {time}|2026-09-15T04:02:24Z>`,
    );
    const description = m.blocks!.find((b) => b.type === 'section' && b.text?.type === 'plain_text')!.text!.text;
    expect(description.startsWith('Haul away <b>everything</b> xxx')).toBe(true); // plain_text: shown literally
    expect(description.length).toBeLessThanOrEqual(3000);
    expect(description.endsWith('…')).toBe(true);
    expect(allText(m)).toContain(`lead \`${lead.data.negotiationID}\``);
    expectEscaped(m);
  });

  it('posts an inbound SMS with its sender and text, escaped', async () => {
    const s = await subscribe(['message.*']);
    expect(
      (await postTwilio(h, inboundSms({ Body: 'Is 3pm ok? <https://evil.example|click me> & reply' }))).status,
    ).toBe(200);
    await h.drain();
    await delivered(s.id);
    const m = slack.messages[0]!;
    expect(headerOf(m)).toBe('New message');
    expect(m.text).toBe(
      `New SMS message from ${THEIR_NUMBER}: Is 3pm ok? &lt;https://evil.example|click me&gt; &amp; reply`,
    );
    expect(field(m, 'From')).toBe(THEIR_NUMBER);
    expect(field(m, 'Via')).toBe('SMS');
    expect(allText(m)).toContain('Is 3pm ok? <https://evil.example|click me> & reply'); // plain_text: no link
    expectEscaped(m);
  });

  it('writes the message from the event as it happened, not from the record as it is at send time', async () => {
    const s = await subscribe(['message.received']);
    expect((await api('patch', `/subscriptions/${s.id}`, { enabled: false })).status).toBe(200);
    const sms = inboundSms({ Body: 'Running 10 minutes late' });
    expect((await postTwilio(h, sms)).status).toBe(200);
    await h.drain();
    // The record changes after the event (another event, an app writing the table) while the delivery waits.
    await h.rows(
      sql`update messages set body = 'changed later', sender_name = 'Someone Else' where external_id = ${sms.MessageSid}`,
    );
    expect((await api('patch', `/subscriptions/${s.id}`, { enabled: true })).status).toBe(200);
    h.runtime.deliveryWorker.notify();
    await delivered(s.id);
    const m = slack.messages[0]!;
    expect(m.text).toBe(`New SMS message from ${THEIR_NUMBER}: Running 10 minutes late`);
    expect(allText(m)).not.toContain('changed later');
  });

  it('posts a Thumbtack message from a customer with its sender and text', async () => {
    const s = await subscribe(['message.received']);
    const message = thumbtackFixture('message-from-customer');
    message.data.messageID = String(Date.now()) + '7';
    message.data.text = 'Thursday works > Friday & photos attached';
    expect((await postThumbtack(h, message)).status).toBe(200);
    await h.drain();
    await delivered(s.id);
    const m = slack.messages[0]!;
    expect(m.text).toBe('New Thumbtack message from Dana R.: Thursday works &gt; Friday &amp; photos attached');
    expect(field(m, 'From')).toBe('Dana R.');
    expect(field(m, 'Via')).toBe('Thumbtack');
    expect(allText(m)).toContain('Thursday works > Friday & photos attached');
    expect(allText(m)).toContain('1 attachment');
    expectEscaped(m);
  });

  it('posts a bounced email with the address and the reason', async () => {
    const s = await subscribe(['email.*']);
    const id = emailId();
    const event = emailEvent('email.bounced', id, {
      data: { to: ['dana<x>@example.com'], subject: 'Quote & <details>' },
    });
    expect((await postResend(h, event)).status).toBe(200);
    await h.drain();
    await delivered(s.id);
    const m = slack.messages[0]!;
    expect(headerOf(m)).toBe('Email bounced');
    expect(field(m, 'To')).toBe('dana&lt;x&gt;@example.com');
    expect(field(m, 'Subject')).toBe('Quote &amp; &lt;details&gt;');
    expect(allText(m)).toContain(
      "*Reason*\nThe recipient's mail server permanently rejected the email. (Permanent / General) smtp; 550 5.1.1 user unknown",
    );
    expect(m.text).toMatch(/^Email bounced: dana&lt;x&gt;@example.com \(The recipient's mail server/);
    expect(allText(m)).toContain(`email \`${id}\``);
    expectEscaped(m);
  });

  it('posts a Jobber invoice paid with its number, amount and client, from the snapshot in its body', async () => {
    const s = await subscribe(['invoice.paid']);
    const invoiceId = `Z2lkOi8vSm9iYmVyL0ludm9pY2UvJ${randomUUID()}`;
    await h.runtime.database.db.transaction((tx) =>
      insertCanonicalEvents(tx, [
        canonicalRow({
          webhookEventId: randomUUID(),
          provider: 'jobber',
          type: 'invoice.paid',
          recordKind: 'invoice',
          externalId: invoiceId,
          occurredAt: new Date('2026-10-01T15:30:00Z'),
          data: { accountId: 'acct-1', invoiceNumber: '1042', total: 1250.5, clientName: 'Smith & Sons <Roofing>' },
          object: {
            external_id: invoiceId,
            invoice_number: '1042',
            subject: 'Roof repair',
            status: 'paid',
            total: 1250.5,
            amount_paid: 1250.5,
          },
        }),
      ]),
    );
    h.runtime.deliveryWorker.notify();
    await delivered(s.id);
    const m = slack.messages[0]!;
    expect(headerOf(m)).toBe('Invoice paid');
    expect(m.text).toBe('Invoice #1042 paid: 1,250.50 by Smith &amp; Sons &lt;Roofing&gt;');
    expect(field(m, 'Invoice')).toBe('#1042');
    expect(field(m, 'Amount')).toBe('1,250.50');
    expect(field(m, 'Client')).toBe('Smith &amp; Sons &lt;Roofing&gt;');
    expect(field(m, 'Paid')).toContain('|2026-10-01T15:30:00Z>');
    expectEscaped(m);
  });

  it('posts any other event type as a generic message', async () => {
    const s = await subscribe(['*']);
    const webhookEventId = randomUUID();
    await h.runtime.database.db.transaction((tx) =>
      insertCanonicalEvents(tx, [
        canonicalRow({
          webhookEventId,
          provider: 'thumbtack',
          type: 'review.created',
          recordKind: 'review',
          externalId: 'rev<1>',
          occurredAt: null,
          data: null,
        }),
      ]),
    );
    h.runtime.deliveryWorker.notify();
    await delivered(s.id);
    const m = slack.messages[0]!;
    expect(headerOf(m)).toBe('Hookport event');
    expect(m.text).toBe('Hookport event review.created for review rev&lt;1&gt;');
    expect(field(m, 'Event')).toBe('`review.created`');
    expect(field(m, 'Record')).toBe('review rev&lt;1&gt;');
    expect(field(m, 'When')).toMatch(/^<!date\^\d+\^/);
    expectEscaped(m);
  });

  it('a 410 channel_is_archived or a 404 no_service disables the subscription at once', async () => {
    for (const state of ['channel_is_archived', 'no_service'] as const) {
      slack.state = state;
      const s = await subscribe(['message.received']);
      expect((await postTwilio(h, inboundSms())).status).toBe(200);
      await h.drain();
      const [row] = await waitFor(
        () => deliveries(s.id),
        (rows) => rows[0]?.status === 'failed',
      );
      expect(row).toEqual(
        expect.objectContaining({ response_status: state === 'no_service' ? 404 : 410, response_body: state }),
      );
      const sub = (await api('get', `/subscriptions/${s.id}`)).body;
      expect(sub).toEqual(
        expect.objectContaining({
          enabled: false,
          disabledReason: expect.stringContaining(`Slack answered ${row!.response_status} ${state}`),
        }),
      );
      await new Promise((done) => setTimeout(done, 300));
      expect(slack.posts).toHaveLength(1);
      await api('delete', `/subscriptions/${s.id}`);
      slack.posts.length = 0;
    }
  });

  it('any other Slack failure (429 rate_limited) is retried on the schedule; the subscription stays enabled', async () => {
    slack.state = 'rate_limited';
    const s = await subscribe(['message.received']);
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    await h.drain();
    const [failed] = await waitFor(
      () => deliveries(s.id),
      (rows) => rows[0]?.status === 'failed',
    );
    expect(failed).toEqual(expect.objectContaining({ response_status: 429, response_body: 'rate_limited' }));
    expect((await api('get', `/subscriptions/${s.id}`)).body.enabled).toBe(true);
    slack.state = 'ok';
    await delivered(s.id);
    expect(slack.messages).toHaveLength(1);
  });

  it('a test send posts a readable Hookport test message', async () => {
    const s = await subscribe(['lead.created']);
    const res = await api('post', `/subscriptions/${s.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ status: 'succeeded', responseStatus: 200, error: null }));
    const m = slack.messages[0]!;
    expect(m.text).toBe('Hookport test message: this Slack destination works.');
    expect(headerOf(m)).toBe('Hookport test message');
    expect(allText(m)).toContain(s.id);
    expect(slack.posts[0]!.headers['webhook-signature']).toBeUndefined();
  });

  it('the admin API masks the Slack URL (a credential), except in the answer to the request that set it', async () => {
    const origin = new URL(slack.url).origin;
    const s = await subscribe(['lead.created']); // its POST answered the URL whole
    const list = await api('get', '/subscriptions');
    const one = await api('get', `/subscriptions/${s.id}`);
    expect(list.body.subscriptions).toContainEqual(
      expect.objectContaining({ id: s.id, kind: 'slack', url: `${origin}/services/T…/B…/…` }),
    );
    expect(one.body).toEqual(expect.objectContaining({ id: s.id, url: `${origin}/services/T…/B…/…` }));
    const renamed = await api('patch', `/subscriptions/${s.id}`, { description: 'renamed' });
    expect(renamed.body.url).toBe(`${origin}/services/T…/B…/…`);
    for (const res of [list, one, renamed]) expect(res.text).not.toContain('/services/T0');

    const moved = `${origin}/services/T0HOOKPORT/B0MOVED00/zyxwvutsrqponmlkjihgfedc`;
    registerSecret('slack webhook path', new URL(moved).pathname);
    const changed = await api('patch', `/subscriptions/${s.id}`, { url: moved });
    expect(changed.body.url).toBe(moved);
    expect((await api('get', `/subscriptions/${s.id}`)).body.url).toBe(`${origin}/services/T…/B…/…`);
    expect(await h.rows(sql`select url from subscriptions where id = ${s.id}::uuid`)).toEqual([{ url: moved }]);
  });

  it('the admin API: a Slack subscription has no secret to rotate; its URL must be http(s)', async () => {
    const s = await subscribe(['lead.created']);
    expect((await api('post', `/subscriptions/${s.id}/rotate-secret`)).status).toBe(400);
    expect((await api('get', `/subscriptions/${s.id}/secret`)).body.secret).toBeNull();
    const bad = await api('post', '/subscriptions', {
      kind: 'slack',
      url: 'ftp://hooks.slack.com/services/x',
      eventTypes: ['*'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('url_not_allowed');
  });
});
