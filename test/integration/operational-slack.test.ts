import { sql } from 'drizzle-orm';
import { FakeSlack } from '../fakes/slack';
import { allText, expectEscaped, field, headerOf, type Message } from '../helpers/slack-messages';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { Receiver } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';
import { TEST_SECRETS } from '../helpers/test-secrets';
import { waitFor } from '../helpers/wait';
import { inboundSms, postResend, postTwilio } from '../helpers/webhooks';

const ADMIN_TOKEN = 'admin-token-for-operational-slack-0123456789ab';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const CONSOLE = `${TEST_SECRETS.publicBaseUrl}/admin`;

const LINK = /<(https:[^|>]+)\|Open in the Hookport console>/;
const plainTexts = (m: Message) =>
  (m.blocks ?? []).filter((b) => b.type === 'section' && b.text?.type === 'plain_text').map((b) => b.text!.text);
/** The console link of a message, when it has one. */
const linkOf = (m: Message) => LINK.exec(allText(m))?.[1];

describe.each(databaseKinds())('operational events in Slack on %s', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_RETRY_SCHEDULE: '50ms',
    DELIVERY_TIMEOUT_MS: '2000',
    DELIVERY_SWEEP_MS: '50',
  });
  const slack = new FakeSlack();
  const receivers: Receiver[] = [];
  const api = (method: 'get' | 'post' | 'delete', path: string, body?: object) => {
    const req = h.http()[method](`/admin/api${path}`).set(auth);
    return body === undefined ? req : req.send(body);
  };
  const subscribe = async (body: object) => {
    const res = await api('post', '/subscriptions', body);
    expect(res.status).toBe(201);
    if (res.body.secret) registerSecret('subscription secret', res.body.secret);
    return res.body as { id: string };
  };
  /** A webhook subscriber that answers `status`, with markup in its description. */
  const failing = async (status: number) => {
    const r = new Receiver(() => ({ status }));
    receivers.push(r);
    await r.start();
    return subscribe({ url: r.url(), eventTypes: ['message.received'], description: 'CRM <sync> & *bold*' });
  };
  const posted = (type: string) =>
    waitFor(
      async () => slack.messages.filter((m) => allText(m).includes(`\`${type}\``)),
      (list) => list.length >= 1,
      10_000,
    );

  beforeAll(async () => {
    await slack.start();
    registerSecret('slack webhook path', '/services/T0HOOKPORT/B0TESTING/abcdefghijklmnopqrstuvwx');
    h.runtime.deliveryWorker.start();
  });
  beforeEach(async () => {
    slack.posts.length = 0;
    await subscribe({ kind: 'slack', url: slack.url, eventTypes: ['hookport.*'], description: 'alerts' });
  });
  afterEach(async () => {
    for (const s of (await api('get', '/subscriptions')).body.subscriptions as { id: string }[])
      await api('delete', `/subscriptions/${s.id}`);
  });
  afterAll(async () => {
    await slack.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('hookport.subscription.disabled: which subscription, why, and a link to its console page', async () => {
    const s = await failing(410);
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    await h.drain();
    const [m] = await posted('hookport.subscription.disabled');
    expect(headerOf(m!)).toBe('Subscription disabled');
    expect(m!.text).toBe('Subscription disabled: CRM &lt;sync&gt; &amp; *bold*');
    expect(field(m!, 'Subscription')).toBe('CRM &lt;sync&gt; &amp; *bold*');
    expect(field(m!, 'Event types')).toBe('`message.received`');
    expect(plainTexts(m!)).toEqual([expect.stringMatching(/^the receiver answered 410 Gone \(delivery [0-9a-f-]+\)$/)]);
    expect(linkOf(m!)).toBe(`${CONSOLE}/subscriptions/${s.id}`);
    expectEscaped(m!, [new RegExp(LINK, 'g')]);
  });

  it('hookport.delivery.dead: the event type, attempts, last answer, and the subscription to look at', async () => {
    const s = await failing(503);
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    await h.drain();
    const [m] = await posted('hookport.delivery.dead');
    expect(headerOf(m!)).toBe('Delivery dead: no retry left');
    expect(m!.text).toBe(`Delivery dead: message.received to subscription ${s.id}`);
    expect(field(m!, 'Event type')).toBe('`message.received`');
    expect(field(m!, 'Attempts')).toBe('2');
    expect(field(m!, 'Last answer')).toBe('503');
    expect(field(m!, 'Subscription')).toBe(`\`${s.id}\``);
    expect(plainTexts(m!)).toEqual(['no retry left after 2 attempts: the receiver answered 503']);
    expect(linkOf(m!)).toBe(`${CONSOLE}/subscriptions/${s.id}`);
    expectEscaped(m!, [new RegExp(LINK, 'g')]);
  });

  it('hookport.event.dead: the provider, the type, the reason, and a link to the inbox event', async () => {
    expect((await postResend(h, '{"type": "<b>email.sent</b>", oops')).status).toBe(200);
    expect(await h.drain()).toEqual(['dead']);
    const [inbox] = await h.rows<{ id: string; last_error: string }>(
      sql`select id, last_error from webhook_events where status = 'dead' order by received_at desc limit 1`,
    );
    const [m] = await posted('hookport.event.dead');
    expect(headerOf(m!)).toBe('Inbox event dead-lettered');
    expect(m!.text).toBe('Inbox event dead: resend unknown');
    expect(field(m!, 'Provider')).toBe('resend');
    expect(field(m!, 'Attempts')).toBe('1');
    expect(field(m!, 'Received')).toMatch(/^<!date\^\d+\^/);
    expect(plainTexts(m!)).toEqual([inbox!.last_error]);
    expect(linkOf(m!)).toBe(`${CONSOLE}/events/${inbox!.id}`);
    expectEscaped(m!, [new RegExp(LINK, 'g')]);
  });
});
