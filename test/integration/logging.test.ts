import {
  basicAuthorization,
  postThumbtack,
  thumbtackFixtureText,
  THUMBTACK_AUTHORIZATION,
} from '../fakes/thumbtack-deliveries';
import { databaseKinds, TEST_SECRETS } from '../helpers/harness';
import { captureLogs } from '../helpers/logs';
import { signResend, signTwilioForm } from '../helpers/sign';
import { allowMessageBodies, refuseMessageBody } from '../helpers/refusal';
import { suiteHarness } from '../helpers/suite';
import { emailEvent, emailId, inboundSms, postTwilio, sendResend } from '../helpers/webhooks';

describe.each(databaseKinds())('log lines on %s', (kind) => {
  const logs = captureLogs();
  // Jobber unconfigured: its route answers 503 (logged at error).
  const h = suiteHarness(kind, { JOBBER_CLIENT_SECRET: '' }, { logger: logs.logger });
  const sentCredentials: string[] = [];

  beforeAll(async () => {
    const sms = inboundSms();
    const signed = signTwilioForm(TEST_SECRETS.twilioToken, `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`, sms);
    sentCredentials.push(signed.signature);
    expect((await postTwilio(h, sms)).status).toBe(200);
    expect((await postTwilio(h, sms)).status).toBe(200); // a retry: duplicate
    const forged = 'ZmFrZS1zaWduYXR1cmUtdmFsdWU=';
    sentCredentials.push(forged);
    expect(
      (await h.http().post('/webhooks/twilio').set('x-twilio-signature', forged).type('form').send('MessageSid=SM1'))
        .status,
    ).toBe(401);

    const body = JSON.stringify(emailEvent('email.delivered', emailId()));
    const headers = signResend(TEST_SECRETS.resendSecret, body);
    sentCredentials.push(headers['svix-signature']);
    expect((await sendResend(h, { body, headers })).status).toBe(200);
    expect((await sendResend(h, { body: body.replace('delivered', 'bounced'), headers })).status).toBe(401);

    const wrongPassword = basicAuthorization(TEST_SECRETS.thumbtackUsername, 'not-the-password-9f8e7d');
    sentCredentials.push(THUMBTACK_AUTHORIZATION, wrongPassword);
    expect((await postThumbtack(h, thumbtackFixtureText('message-from-customer'))).status).toBe(200);
    expect((await postThumbtack(h, thumbtackFixtureText('message-from-customer'), wrongPassword)).status).toBe(401);

    expect((await h.http().post('/webhooks/jobber').send('{}')).status).toBe(503);
    const unknown = await h.http().post('/webhooks/nope').send('{}');
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { error: 'not_found', message: 'no webhook provider named "nope"' },
    ]);

    // The worker too: a row the database refuses is logged with the database's reason only.
    await refuseMessageBody(h, 'private words here');
    expect((await postTwilio(h, inboundSms({ Body: 'private words here' }))).status).toBe(200);
    await h.drain();
    await allowMessageBodies(h);
  });

  it('writes one JSON line per webhook with provider, type, dedupe key, outcome, status and time', () => {
    const webhooks = logs.lines.filter((l) => l.message === 'webhook');
    expect(webhooks.map((l) => [l.provider, l.outcome, l.status, l.level])).toEqual([
      ['twilio', 'stored', 200, 'info'],
      ['twilio', 'duplicate', 200, 'info'],
      ['twilio', 'invalid_signature', 401, 'info'],
      ['resend', 'stored', 200, 'info'],
      ['resend', 'invalid_signature', 401, 'info'],
      ['thumbtack', 'stored', 200, 'info'],
      ['thumbtack', 'invalid_signature', 401, 'info'],
      ['jobber', 'provider_not_configured', 503, 'error'],
      ['nope', 'unknown_provider', 404, 'info'],
      ['twilio', 'stored', 200, 'info'],
    ]);
    for (const line of webhooks.filter((l) => l.status === 200)) {
      expect(line).toEqual(
        expect.objectContaining({
          eventType: expect.any(String),
          dedupeKey: expect.any(String),
          id: expect.any(String),
          ms: expect.any(Number),
        }),
      );
    }
  });

  it('logs worker outcomes, and a refused row with the reason but not the content', () => {
    const failed = logs.lines.find((l) => l.message === 'event failed; will retry');
    expect(failed).toMatchObject({ level: 'warn', provider: 'twilio', error: expect.stringMatching(/^database: /) });
    expect(logs.raw()).not.toContain('private words');
    expect(logs.lines.filter((l) => l.message === 'event processed').length).toBeGreaterThanOrEqual(3);
  });

  it('never logs a secret, a signature or an Authorization value', () => {
    const raw = logs.raw();
    const secrets = [
      TEST_SECRETS.twilioToken,
      TEST_SECRETS.resendSecret.slice('whsec_'.length),
      TEST_SECRETS.jobberClientSecret,
      TEST_SECRETS.thumbtackPassword,
      ...sentCredentials.flatMap((c) => [
        c,
        c.replace(/^Basic /, ''),
        ...c.split(/[ ,]/).filter((part) => part.length > 12),
      ]),
    ];
    for (const secret of secrets) expect(raw).not.toContain(secret);
  });
});
