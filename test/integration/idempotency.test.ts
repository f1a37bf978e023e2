import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { databaseKinds, type Harness } from '../helpers/harness';
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

const count = async (h: Harness, query: ReturnType<typeof sql>) =>
  Number((await h.rows<{ n: string | number }>(query))[0]!.n);

describe.each(databaseKinds())('idempotency on %s', (kind) => {
  const h = suiteHarness(kind);

  it('one Resend delivery sent three times at once is stored and applied once', async () => {
    const id = emailId();
    const delivery = resendDelivery(emailEvent('email.delivered', id));
    const answers = await Promise.all([1, 2, 3].map(() => sendResend(h, delivery)));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const stored = await h.rows<{ id: string }>(
      sql`select id from webhook_events where provider = 'resend' and dedupe_key = ${delivery.headers['svix-id']}`,
    );
    expect(stored).toHaveLength(1);
    expect(answers.map((a) => a.body.id)).toEqual([stored[0]!.id, stored[0]!.id, stored[0]!.id]);
    expect(answers.map((a) => a.body.duplicate).sort()).toEqual([false, true, true]);
    expect(answers.every((a) => a.body.received === true)).toBe(true);

    expect(await h.drain()).toEqual(['processed']);
    expect(await count(h, sql`select count(*) as n from emails where external_id = ${id}`)).toBe(1);
  });

  it('Resend through the unbranded webhook-* headers: verified, deduped on webhook-id, signature redacted', async () => {
    const { body, headers } = resendDelivery(emailEvent('email.sent', emailId()));
    const unbranded = {
      'content-type': 'application/json',
      'webhook-id': headers['svix-id'],
      'webhook-timestamp': headers['svix-timestamp'],
      'webhook-signature': headers['svix-signature'],
    };
    const answers = await Promise.all([1, 2].map(() => h.http().post('/webhooks/resend').set(unbranded).send(body)));
    expect(answers.map((a) => [a.status, a.body.duplicate]).sort()).toEqual([
      [200, false],
      [200, true],
    ]);
    const rows = await h.rows<{ headers: Record<string, string> }>(
      sql`select headers from webhook_events where provider = 'resend' and dedupe_key = ${unbranded['webhook-id']}`,
    );
    expect(await h.drain()).toEqual(['processed']);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.headers).toMatchObject({
      'webhook-signature': '[redacted]',
      'webhook-id': unbranded['webhook-id'],
    });
  });

  it.each([
    ['with I-Twilio-Idempotency-Token', { 'i-twilio-idempotency-token': randomUUID() }],
    ['without a token (MessageSid + status)', {}],
  ])('one Twilio delivery sent three times at once, %s, is stored once', async (_label, headers) => {
    const params = inboundSms();
    const answers = await Promise.all([1, 2, 3].map(() => postTwilio(h, params, headers)));
    expect(answers.map((a) => [a.status, a.text])).toEqual(Array(3).fill([200, '<Response/>']));

    const like = `%${params.MessageSid}%`;
    expect(
      await count(h, sql`select count(*) as n from webhook_events where convert_from(body, 'UTF8') like ${like}`),
    ).toBe(1);
    expect(await h.drain()).toEqual(['processed']);
    expect(await count(h, sql`select count(*) as n from messages where external_id = ${params.MessageSid}`)).toBe(1);
  });

  it('Twilio callbacks for one message with different statuses are separate events', async () => {
    const sid = twilioSid();
    await Promise.all(['sent', 'delivered'].map((status) => postTwilio(h, statusCallback(sid, status))));
    const like = `%${sid}%`;
    expect(
      await count(h, sql`select count(*) as n from webhook_events where convert_from(body, 'UTF8') like ${like}`),
    ).toBe(2);
    expect(await h.drain()).toEqual(['processed', 'processed']);
  });

  it('two email.opened events with different svix-ids count two opens', async () => {
    const id = emailId();
    for (let i = 0; i < 2; i++) expect((await postResend(h, emailEvent('email.opened', id))).status).toBe(200);
    expect(await h.drain()).toEqual(['processed', 'processed']);
    expect(await h.rows(sql`select open_count from emails where external_id = ${id}`)).toEqual([{ open_count: 2 }]);
  });

  it('the same email.opened delivery three times counts one open', async () => {
    const id = emailId();
    const delivery = resendDelivery(emailEvent('email.opened', id));
    for (let i = 0; i < 3; i++) {
      expect((await sendResend(h, delivery)).body.duplicate).toBe(i > 0);
      await h.drain();
    }
    expect(await h.rows(sql`select open_count from emails where external_id = ${id}`)).toEqual([{ open_count: 1 }]);
  });
});
