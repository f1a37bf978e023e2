import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';
import { postThumbtack, thumbtackFixture } from '../fakes/thumbtack-deliveries';
import { jobberEvent, postJobber, readJobberApiFixture, readJobberWebhook } from '../fakes/jobber-fixtures';
import { jobberSuite } from '../fakes/jobber-harness';

/**
 * Defect 5 of issue 7: attacker-influenced text (inbound SMS and email, Thumbtack messages, Jobber
 * client data) must never keep a record from being written. A NUL (which PostgreSQL text and jsonb
 * refuse) or a lone surrogate (which jsonb refuses) is written as U+FFFD; an indexed key too long
 * for a btree is written as its digest; an error text copying such a body can still be recorded.
 */
const DIGEST = /^sha256:[0-9a-f]{64}$/;

describe.each(databaseKinds())('records from hostile text on %s', (kind) => {
  const h = suiteHarness(kind);
  beforeEach(() => h.rows(sql`truncate webhook_events, canonical_events, messages, emails, leads`));

  it('Twilio: Body=hello%00world is written as the message body', async () => {
    const sms = inboundSms({ Body: 'hello\u0000world' });
    expect((await postTwilio(h, sms)).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(await h.rows(sql`select body from messages where external_id = ${sms.MessageSid}`)).toEqual([
      { body: 'hello\uFFFDworld' },
    ]);
  });

  it('Twilio: a From too long for the conversation index is keyed by digest, the address kept whole', async () => {
    const from = `+1${randomBytes(3000).toString('base64url')}`;
    const sms = inboundSms({ From: from });
    expect((await postTwilio(h, sms)).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(
      await h.rows(sql`select from_address, conversation_id from messages where external_id = ${sms.MessageSid}`),
    ).toEqual([{ from_address: from, conversation_id: expect.stringMatching(DIGEST) }]);
  });

  it('Resend: a NUL in the subject and lone surrogates in the bounce message are written', async () => {
    const id = emailId();
    const event = emailEvent('email.bounced', id, {
      data: {
        subject: 'Quote\u0000 ready',
        bounce: { type: 'Permanent', message: 'rejected \ud800 \u0000', diagnosticCode: ['smtp; 550\u0000'] },
      },
    });
    expect((await postResend(h, event)).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(await h.rows(sql`select subject, status, bounce from emails where external_id = ${id}`)).toEqual([
      {
        subject: 'Quote\uFFFD ready',
        status: 'bounced',
        bounce: { type: 'Permanent', message: 'rejected \uFFFD \uFFFD', diagnosticCode: ['smtp; 550\uFFFD'] },
      },
    ]);
  });

  it('Resend: a body with a NUL that does not parse is dead with a last_error that quotes none of it, not looping', async () => {
    expect((await postResend(h, '{"type":\u0000}')).status).toBe(200);
    expect(await h.drain()).toEqual(['dead']);
    const [event] = await h.rows<{ status: string; last_error: string }>(
      sql`select status, last_error from webhook_events`,
    );
    // Only where parsing stopped: JSON.parse's own message would quote the NUL (and the body).
    expect(event).toEqual({
      status: 'dead',
      last_error: expect.stringMatching(/^invalid payload: body is not valid JSON/),
    });
    for (const quoted of ['\u0000', '\uFFFD', 'type']) expect(event!.last_error).not.toContain(quoted);
  });

  it("Thumbtack: NULs in message text and in a lead's jsonb location are written", async () => {
    const message = thumbtackFixture('message-from-customer');
    message.data.text = 'Thursday\u0000?';
    const lead = thumbtackFixture('negotiation-created');
    lead.data.request.location = { city: 'Lake\u0000Worth', '\u0000key': 'x' };
    expect((await postThumbtack(h, message)).status).toBe(200);
    expect((await postThumbtack(h, lead)).status).toBe(200);
    expect(await h.drain()).toEqual(['processed', 'processed']);
    expect(await h.rows(sql`select body from messages`)).toEqual([{ body: 'Thursday\uFFFD?' }]);
    expect(await h.rows(sql`select location from leads`)).toEqual([
      { location: { city: 'Lake\uFFFDWorth', '\uFFFDkey': 'x' } },
    ]);
  });

  it('Thumbtack: an unhandled event type carrying a NUL is ignored with its note written', async () => {
    const body = { event: { eventType: 'SomethingNewV4\u0000' }, data: {} };
    expect((await postThumbtack(h, body)).status).toBe(200);
    expect(await h.drain()).toEqual(['ignored']);
    const [event] = await h.rows<{ note: string }>(sql`select note from webhook_events`);
    expect(event!.note).toContain('SomethingNewV4\uFFFD');
  });
});

describe.each(databaseKinds())('Jobber records from hostile text on %s', (kind) => {
  const j = jobberSuite(kind, { connected: true });

  it("a client whose name and phones from Jobber's API carry NULs is written", async () => {
    const client = readJobberApiFixture('client');
    j.fake.put('client', {
      ...client,
      name: 'Dana\u0000 Whitfield',
      phones: [{ number: '555\u0000', description: 'Main', primary: true, smsAllowed: true }],
    });
    expect((await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'))).status).toBe(200);
    expect(await j.h.drain()).toEqual(['processed']);
    const rows = await j.h.rows<{ name: string; phones: { number: string }[]; sync_status: string }>(
      sql`select name, phones, sync_status from clients where external_id = ${jobberEvent('CLIENT_CREATE').itemId}`,
    );
    expect(rows).toEqual([
      {
        name: 'Dana\uFFFD Whitfield',
        phones: [expect.objectContaining({ number: '555\uFFFD' })],
        sync_status: 'synced',
      },
    ]);
  });
});
