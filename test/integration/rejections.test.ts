import { sql } from 'drizzle-orm';
import { databaseKinds, TEST_SECRETS, type Harness } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { signResend, signTwilioForm } from '../helpers/sign';
import { emailEvent, emailId, inboundSms, postResend, postTwilio } from '../helpers/webhooks';

const storedCount = async (h: Harness) =>
  Number((await h.rows<{ n: string | number }>(sql`select count(*) as n from webhook_events`))[0]!.n);

/** Runs `send` and checks that it stored nothing; returns the answer. */
async function nothingStored<T>(h: Harness, send: () => Promise<T>): Promise<T> {
  const before = await storedCount(h);
  const res = await send();
  expect(await storedCount(h)).toBe(before);
  return res;
}

describe.each(databaseKinds())('refused requests on %s', (kind) => {
  describe('with every provider configured', () => {
    const h = suiteHarness(kind);

    it('Resend signed with another secret → 401 invalid_signature, nothing stored', async () => {
      const body = JSON.stringify(emailEvent('email.sent', emailId()));
      const headers = signResend('whsec_' + Buffer.from('another secret of 32 bytes......').toString('base64'), body);
      const res = await nothingStored(h, () => h.http().post('/webhooks/resend').set(headers).send(body));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_signature', message: expect.any(String) });
      expect(res.text).not.toContain(TEST_SECRETS.resendSecret);
    });

    it('Resend with a body changed after signing → 401', async () => {
      const body = JSON.stringify(emailEvent('email.sent', emailId()));
      const headers = signResend(TEST_SECRETS.resendSecret, body);
      const res = await nothingStored(h, () =>
        h.http().post('/webhooks/resend').set(headers).send(body.replace('Your quote', 'Your quota')),
      );
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_signature');
    });

    it('Twilio signed with another token, or unsigned → 401, nothing stored', async () => {
      const params = inboundSms();
      const url = `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`;
      const forged = signTwilioForm('0'.repeat(32), url, params);
      const wrong = await nothingStored(h, () =>
        h.http().post('/webhooks/twilio').type('form').set('x-twilio-signature', forged.signature).send(forged.body),
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: 'invalid_signature', message: expect.any(String) });
      expect(wrong.text).not.toContain(TEST_SECRETS.twilioToken);

      const unsigned = await nothingStored(h, () => h.http().post('/webhooks/twilio').type('form').send(forged.body));
      expect(unsigned.status).toBe(401);
      expect(unsigned.body.error).toBe('invalid_signature');
    });

    it('an unknown provider → 404 JSON, nothing stored', async () => {
      for (const name of ['stripe', 'constructor', '__proto__']) {
        const res = await nothingStored(h, () => h.http().post(`/webhooks/${name}`).send('{}'));
        expect(res.status).toBe(404);
        expect(res.body.error).toEqual(expect.any(String));
      }
    });

    it('stores headers with credentials redacted and the rest kept', async () => {
      const params = inboundSms();
      const token = 'idem-' + params.MessageSid;
      expect(
        (
          await postTwilio(h, params, {
            authorization: 'Basic dXNlcjpwYXNz',
            'i-twilio-idempotency-token': token,
            'x-extra': 'kept',
          })
        ).status,
      ).toBe(200);
      const [twilio] = await h.rows<{ headers: Record<string, string> }>(
        sql`select headers from webhook_events where dedupe_key = ${`${params.MessageSid}:received`}`,
      );
      expect(twilio!.headers).toMatchObject({
        'x-twilio-signature': '[redacted]',
        authorization: '[redacted]',
        'i-twilio-idempotency-token': token,
        'x-extra': 'kept',
        'content-type': 'application/x-www-form-urlencoded',
      });

      const svixId = `msg_${params.MessageSid}`;
      expect((await postResend(h, emailEvent('email.sent', emailId()), svixId)).status).toBe(200);
      const [resend] = await h.rows<{ headers: Record<string, string> }>(
        sql`select headers from webhook_events where dedupe_key = ${svixId}`,
      );
      expect(resend!.headers).toMatchObject({ 'svix-signature': '[redacted]', 'svix-id': svixId });
      expect(resend!.headers['svix-timestamp']).toMatch(/^\d+$/);
      expect(JSON.stringify([twilio, resend])).not.toMatch(/v1,|dXNlcjpwYXNz/);
    });
  });

  describe('with MAX_BODY_BYTES=512 and Twilio unconfigured', () => {
    const h = suiteHarness(kind, { MAX_BODY_BYTES: '512', TWILIO_AUTH_TOKEN: '' });

    it('a signed body over the limit → 413 JSON, nothing stored', async () => {
      const event = emailEvent('email.sent', emailId(), { data: { subject: 'x'.repeat(600) } });
      const res = await nothingStored(h, () => postResend(h, event));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: 'payload_too_large', message: expect.stringContaining('MAX_BODY_BYTES') });
    });

    it('a body under the limit is accepted', async () => {
      const res = await postResend(h, emailEvent('email.sent', emailId()));
      expect(res.status).toBe(200);
    });

    it('Twilio, even correctly signed → 503 provider_not_configured, nothing stored', async () => {
      const res = await nothingStored(h, () => postTwilio(h, inboundSms()));
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'provider_not_configured', message: 'set TWILIO_AUTH_TOKEN' });
      const health = await h.http().get('/health');
      expect(health.body.providers).toMatchObject({ twilio: { configured: false }, resend: { configured: true } });
    });
  });

  describe('with Resend unconfigured', () => {
    const h = suiteHarness(kind, { RESEND_WEBHOOK_SECRET: '' });

    it('Resend, even correctly signed → 503 provider_not_configured, nothing stored', async () => {
      const res = await nothingStored(h, () => postResend(h, emailEvent('email.sent', emailId())));
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'provider_not_configured', message: 'set RESEND_WEBHOOK_SECRET' });
      const health = await h.http().get('/health');
      expect(health.body.providers).toMatchObject({ twilio: { configured: true }, resend: { configured: false } });
    });
  });
});
