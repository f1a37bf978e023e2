import { sql } from 'drizzle-orm';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { signTwilioForm } from '../helpers/sign';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postTwilioForm, statusCallback, twilioSid } from '../helpers/webhooks';

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** People put their own ids in the StatusCallback URL; Twilio signs that URL, query included. */
describe.each(databaseKinds())('Twilio callback metadata on %s', (kind) => {
  const h = suiteHarness(kind);
  const message = async (sid: string) =>
    (
      await h.rows<{ status: string; metadata: unknown }>(
        sql`select status, metadata from messages where external_id = ${sid}`,
      )
    )[0];
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

  it('keeps the request path and puts the query on the message and its canonical event', async () => {
    const sid = twilioSid();
    const query = '?ref=order-123&tag=a&tag=b&note=caf%C3%A9%20%26%20co';
    const res = await postTwilioForm(h, form(statusCallback(sid, 'sent')), {}, query);
    expect(res.status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);

    const metadata = { ref: 'order-123', tag: ['a', 'b'], note: 'café & co' };
    const row = await message(sid);
    expect(row!.status).toBe('sent');
    expect(json(row!.metadata)).toEqual(metadata);
    // Twilio is answered with TwiML, not an id: find the webhook through its canonical event.
    const [event] = await h.rows<{ request_path: string; data: unknown }>(
      sql`select w.request_path, c.data from canonical_events c join webhook_events w on w.id = c.webhook_event_id
        where c.external_id = ${sid} and c.type = 'message.status_changed'`,
    );
    expect(event!.request_path).toBe(`/webhooks/twilio${query}`);
    expect(json(event!.data)).toEqual({ metadata });
  });

  it('a later callback without a query keeps the metadata; one with a query replaces it', async () => {
    const sid = twilioSid();
    await postTwilioForm(h, form(statusCallback(sid, 'sent')), {}, '?ref=order-7');
    await postTwilioForm(h, form(statusCallback(sid, 'delivered')));
    expect(await h.drain()).toEqual(['processed', 'processed']);
    expect(json((await message(sid))!.metadata)).toEqual({ ref: 'order-7' });

    await postTwilioForm(h, form(statusCallback(sid, 'read')), {}, '?ref=order-8');
    expect(await h.drain()).toEqual(['processed']);
    const row = await message(sid);
    expect(row!.status).toBe('read');
    expect(json(row!.metadata)).toEqual({ ref: 'order-8' });
  });

  it('a message without a query has no metadata, and its event no data', async () => {
    const sms = inboundSms();
    const res = await postTwilioForm(h, form(sms));
    expect(res.status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect((await message(sms.MessageSid))!.metadata).toBeNull();
    const [event] = await h.rows<{ data: unknown }>(
      sql`select data from canonical_events where external_id = ${sms.MessageSid}`,
    );
    expect(event!.data).toBeNull();
  });

  it('refuses a query changed after signing: it is part of the signed URL', async () => {
    const sid = twilioSid();
    const body = form(statusCallback(sid, 'sent'));
    const signed = await postTwilioForm(h, body, {}, '?ref=order-1');
    expect(signed.status).toBe(200);
    const params = Object.fromEntries(new URLSearchParams(body));
    const { signature } = signTwilioForm(
      TEST_SECRETS.twilioToken,
      `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio?ref=order-1`,
      params,
    );
    const forged = await h
      .http()
      .post('/webhooks/twilio?ref=order-2')
      .set('content-type', 'application/x-www-form-urlencoded')
      .set('x-twilio-signature', signature)
      .send(body);
    expect(forged.status).toBe(401);
    await h.drain();
  });
});
