import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { appendEvents } from '../../src/inbox/append';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import {
  emailEvent,
  emailId,
  inboundSms,
  postResend,
  postTwilio,
  resendDelivery,
  sendResend,
} from '../helpers/webhooks';
import { postThumbtack, thumbtackFixture } from '../fakes/thumbtack-deliveries';
import { jobberBody, jobberEvent, postJobber } from '../fakes/jobber-fixtures';
import { jobberSuite } from '../fakes/jobber-harness';

/**
 * Defect 4 of issue 7: the event type and dedupe key come from signed input and go into indexed
 * text columns. A NUL, a lone surrogate or a key too long for a btree must not make a verified
 * request unstorable (503 on every retry until the provider gives up): it is stored under a
 * digest, deduplicates on retry, and is processed into its record.
 */

/** Random text that PostgreSQL cannot compress below the btree limit (a repeated letter would fit). */
const longId = (chars = 4000) => randomBytes(chars).toString('base64url').slice(0, chars);
const DIGEST = /^sha256:[0-9a-f]{64}$/;

interface Inbox {
  id: string;
  event_type: string;
  dedupe_key: string;
  status: string;
}

describe.each(databaseKinds())('verified requests with unstorable keys on %s', (kind) => {
  const h = suiteHarness(kind);
  beforeEach(() => h.rows(sql`truncate webhook_events, canonical_events, messages, emails, leads`));
  const inbox = () =>
    h.rows<Inbox>(sql`select id, event_type, dedupe_key, status from webhook_events order by received_at`);

  it('Resend: a 4,000-character svix-id is stored under its digest, deduplicated on retry, and processed', async () => {
    const id = emailId();
    const delivery = resendDelivery(emailEvent('email.delivered', id), longId());
    const first = await sendResend(h, delivery);
    expect(first.status).toBe(200);
    expect((await sendResend(h, delivery)).body).toMatchObject({ id: first.body.id, duplicate: true });

    expect(await h.drain()).toEqual(['processed']);
    expect(await inbox()).toEqual([
      {
        id: first.body.id,
        event_type: 'email.delivered',
        dedupe_key: expect.stringMatching(DIGEST),
        status: 'processed',
      },
    ]);
    expect(await h.rows(sql`select status from emails where external_id = ${id}`)).toEqual([{ status: 'delivered' }]);
  });

  it('Resend: a NUL in the event type is stored, and the unknown type is ignored with its note written', async () => {
    const res = await postResend(h, { ...emailEvent('email.delivered', emailId()), type: 'email.delivered\u0000' });
    expect(res.status).toBe(200);
    expect(await h.drain()).toEqual(['ignored']);
    const [event] = await inbox();
    expect(event).toMatchObject({ event_type: expect.stringMatching(DIGEST), status: 'ignored' });
  });

  it('Twilio: a NUL in MessageStatus is stored and the status callback processed', async () => {
    const sms = inboundSms({ MessageStatus: 'sent\u0000', SmsStatus: 'sent\u0000' });
    expect((await postTwilio(h, sms)).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    const [event] = await inbox();
    expect(event).toMatchObject({
      event_type: expect.stringMatching(DIGEST),
      dedupe_key: expect.stringMatching(DIGEST),
    });
    expect(await h.rows(sql`select status from messages where external_id = ${sms.MessageSid}`)).toEqual([
      { status: 'sent\uFFFD' },
    ]);
  });

  it('Thumbtack: a NUL in messageID is stored and the message written', async () => {
    const message = thumbtackFixture('message-from-customer');
    message.data.messageID = 'm-1\u0000';
    expect((await postThumbtack(h, message)).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(await h.rows(sql`select external_id from messages`)).toEqual([{ external_id: 'm-1\uFFFD' }]);
  });

  it('Thumbtack: a 4,000-character messageID keys both the event and the message by digest', async () => {
    const message = thumbtackFixture('message-from-customer');
    message.data.messageID = longId();
    const body = JSON.stringify(message);
    const first = await postThumbtack(h, body);
    expect(first.status).toBe(200);
    expect((await postThumbtack(h, body)).body).toMatchObject({ id: first.body.id, duplicate: true });
    expect(await h.drain()).toEqual(['processed']);
    expect(await inbox()).toEqual([
      expect.objectContaining({ dedupe_key: expect.stringMatching(DIGEST), status: 'processed' }),
    ]);
    const rows = await h.rows<{ external_id: string; body: string }>(sql`select external_id, body from messages`);
    expect(rows).toEqual([{ external_id: expect.stringMatching(DIGEST), body: message.data.text }]);
  });

  it('Thumbtack: two messageIDs that differ only in lone surrogates are two events, not a duplicate', async () => {
    const ids = [];
    for (const messageID of ['\ud800', '\ud801']) {
      const message = thumbtackFixture('message-from-customer');
      message.data.messageID = messageID;
      const res = await postThumbtack(h, message);
      expect(res.body).toMatchObject({ received: true, duplicate: false });
      ids.push(res.body.id);
    }
    expect(new Set(ids).size).toBe(2);
    expect(await h.drain()).toEqual(['processed', 'processed']);
  });

  it('a NUL in a header value is stored, scrubbed, in the headers jsonb', async () => {
    const [stored] = await appendEvents(h.runtime.database.db, [
      {
        provider: 'resend',
        eventType: 'email.sent',
        dedupeKey: 'nul-header',
        headers: { 'x-note': 'a\u0000b' },
        body: Buffer.from('{}'),
      },
    ]);
    const rows = await h.rows<{ headers: Record<string, string> }>(
      sql`select headers from webhook_events where id = ${stored!.id}`,
    );
    expect(rows).toEqual([{ headers: { 'x-note': 'a\uFFFDb' } }]);
  });
});

describe.each(databaseKinds())('Jobber webhooks with unstorable keys on %s', (kind) => {
  const j = jobberSuite(kind, { connected: true });

  it('a NUL in accountId is stored and the client row written, awaiting sync', async () => {
    const event = { ...jobberEvent('CLIENT_CREATE'), accountId: 'acct\u0000' };
    expect((await postJobber(j.h, jobberBody(event))).status).toBe(200);
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await j.h.rows(sql`select account_id, sync_status from clients`)).toEqual([
      { account_id: 'acct\uFFFD', sync_status: 'awaiting_sync' },
    ]);
  });

  it('a 4,000-character itemId keys the event and the client row by digest', async () => {
    const event = { ...jobberEvent('CLIENT_DESTROY'), itemId: longId() };
    expect((await postJobber(j.h, jobberBody(event))).status).toBe(200);
    expect(await j.h.drain()).toEqual(['processed']);
    const [stored] = await j.h.rows<Inbox>(sql`select dedupe_key from webhook_events`);
    expect(stored!.dedupe_key).toMatch(DIGEST);
    const rows = await j.h.rows<{ external_id: string; deleted_at: unknown }>(
      sql`select external_id, deleted_at from clients`,
    );
    expect(rows).toEqual([{ external_id: expect.stringMatching(DIGEST), deleted_at: expect.anything() }]);
  });
});
