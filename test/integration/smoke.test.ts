import { sql } from 'drizzle-orm';
import { databaseKinds, openHarness, TEST_SECRETS, type Harness } from '../helpers/harness';
import { signResend, signTwilioForm } from '../helpers/sign';

describe.each(databaseKinds())('smoke on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(kind);
  });
  afterAll(() => h.close());

  it('stores a signed Twilio inbound SMS and the worker writes the message', async () => {
    const params = {
      MessageSid: 'SM' + 'a'.repeat(32),
      AccountSid: 'AC' + 'b'.repeat(32),
      From: '+14155550100',
      To: '+14155550199',
      Body: 'Hi there',
      NumMedia: '0',
      SmsStatus: 'received',
    };
    const { body, signature } = signTwilioForm(TEST_SECRETS.twilioToken, `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`, params);
    const res = await h
      .http()
      .post('/webhooks/twilio')
      .set('content-type', 'application/x-www-form-urlencoded')
      .set('x-twilio-signature', signature)
      .send(body);
    expect(res.status).toBe(200);
    expect(res.text).toBe('<Response/>');
    expect(await h.drain()).toEqual(['processed']);
    const rows = await h.rows<{ body: string; direction: string }>(sql`select body, direction from messages`);
    expect(rows).toEqual([{ body: 'Hi there', direction: 'inbound' }]);
  });

  it('stores a signed Resend event', async () => {
    const body = JSON.stringify({
      type: 'email.delivered',
      created_at: '2026-05-01T12:00:05.000Z',
      data: { email_id: 'e1', created_at: '2026-05-01T12:00:00.000Z', from: 'a@b.c', to: ['x@y.z'], subject: 'Hi' },
    });
    const res = await h.http().post('/webhooks/resend').set(signResend(TEST_SECRETS.resendSecret, body)).send(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, duplicate: false });
    expect(await h.drain()).toEqual(['processed']);
    const rows = await h.rows<{ status: string }>(sql`select status from emails`);
    expect(rows).toEqual([{ status: 'delivered' }]);
  });
});
