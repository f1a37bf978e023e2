import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postResend, postTwilio } from '../helpers/webhooks';

interface StoredEvent {
  event_type: string;
  status: string;
  attempts: number;
  last_error: string | null;
  body: Uint8Array;
}

/** A verified request is never lost: a body the worker cannot read is stored, answered 200 and dead-lettered. */
describe.each(databaseKinds())('verified but unreadable payloads on %s', (kind) => {
  const h = suiteHarness(kind);

  const stored = async (provider: string) => {
    const rows = await h.rows<StoredEvent>(
      sql`select event_type, status, attempts, last_error, body from webhook_events
          where provider = ${provider} order by received_at desc limit 1`,
    );
    return rows[0]!;
  };

  it('Resend: a body that is not JSON is stored byte for byte and dead-lettered at once', async () => {
    const text = '  {"type": "email.sent", oops }\r\n\u00e9\u2713 ';
    const res = await postResend(h, text);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, duplicate: false });

    expect(await h.drain()).toEqual(['dead']);
    const event = await stored('resend');
    expect(event).toMatchObject({ event_type: 'unknown', status: 'dead', attempts: 1 });
    // Where it stopped, and no fragment of the body: V8's own message quotes some of the text.
    expect(event.last_error).toMatch(
      /^invalid payload: body is not valid JSON( \(at (position \d+|line \d+ column \d+)\))?$/,
    );
    expect(event.last_error).not.toMatch(/oops|type|email/);
    expect(Buffer.from(event.body).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('Resend: JSON that fails the schema is dead with the failing field named', async () => {
    const text = JSON.stringify({ type: 'email.sent', data: { email_id: 'e1' } });
    expect((await postResend(h, text)).status).toBe(200);
    expect(await h.drain()).toEqual(['dead']);
    const event = await stored('resend');
    expect(event).toMatchObject({ event_type: 'email.sent', status: 'dead' });
    expect(event.last_error).toMatch(/created_at/);
  });

  it('Resend: an email event without email_id is dead with data.email_id named', async () => {
    const text = JSON.stringify({
      type: 'email.delivered',
      created_at: new Date().toISOString(),
      data: { to: ['a@b.c'] },
    });
    expect((await postResend(h, text)).status).toBe(200);
    expect(await h.drain()).toEqual(['dead']);
    expect((await stored('resend')).last_error).toMatch(/data\.email_id/);
    expect(await h.rows(sql`select id from emails`)).toEqual([]);
  });

  it('Twilio: a form without MessageSid is stored byte for byte and dead-lettered at once', async () => {
    const { MessageSid: _omitted, ...params } = inboundSms({ Body: 'no sid here' });
    const res = await postTwilio(h, params);
    expect(res.status).toBe(200);
    expect(res.text).toBe('<Response/>');

    expect(await h.drain()).toEqual(['dead']);
    const event = await stored('twilio');
    expect(event).toMatchObject({ event_type: 'unknown', status: 'dead', attempts: 1 });
    expect(event.last_error).toMatch(/MessageSid/);
    expect(Buffer.from(event.body).toString('utf8')).toBe(new URLSearchParams(params).toString());
    expect(await h.rows(sql`select id from messages`)).toEqual([]);
  });
});
