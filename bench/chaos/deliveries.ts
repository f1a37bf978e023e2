import { randomBytes, randomUUID } from 'node:crypto';
import { jobberBody, jobberEvent, signJobber } from '../../test/fakes/jobber-fixtures';
import { basicAuthorization, thumbtackFixture } from '../../test/fakes/thumbtack-deliveries';
import { TEST_SECRETS } from '../../test/helpers/harness';
import { signResend, signTwilioForm } from '../../test/helpers/sign';
import { emailEvent, inboundSms, statusCallback, twilioSid } from '../../test/helpers/webhooks';

/** One signed webhook, exactly as its provider would send it (and send it again on a retry). */
export interface Delivery {
  provider: 'twilio' | 'resend' | 'jobber' | 'thumbtack';
  headers: Record<string, string>;
  body: string;
}

const twilioUrl = `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`;

function twilio(params: Record<string, string>): Delivery {
  const { body, signature } = signTwilioForm(TEST_SECRETS.twilioToken, twilioUrl, params);
  return {
    provider: 'twilio',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  };
}

function resend(event: Record<string, unknown>): Delivery {
  const body = JSON.stringify(event);
  return { provider: 'resend', body, headers: signResend(TEST_SECRETS.resendSecret, body) };
}

function thumbtack(value: unknown): Delivery {
  const authorization = basicAuthorization(TEST_SECRETS.thumbtackUsername, TEST_SECRETS.thumbtackPassword);
  return {
    provider: 'thumbtack',
    body: JSON.stringify(value),
    headers: { 'content-type': 'application/json', authorization },
  };
}

function jobber(event: Record<string, unknown>): Delivery {
  const body = jobberBody(event);
  const signature = signJobber(TEST_SECRETS.jobberClientSecret, body);
  return {
    provider: 'jobber',
    body,
    headers: { 'content-type': 'application/json', 'x-jobber-hmac-sha256': signature },
  };
}

/** Thumbtack ids are 18-digit decimal strings. */
const thumbtackId = () => (BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 18n).toString().padStart(18, '1');

/**
 * The traffic of a small business on all four providers, from the repository's fixtures with fresh
 * ids: each call gives a few related deliveries (an SMS and a status callback, an email sent and
 * delivered, a lead and its first message, Jobber updates of the records the fake Jobber knows).
 */
export function* deliveries(): Generator<Delivery> {
  for (let n = 0; ; n++) {
    const sms = inboundSms();
    yield twilio(sms);
    yield twilio(statusCallback(twilioSid(), 'delivered'));
    const email = randomUUID();
    yield resend(emailEvent('email.sent', email));
    yield resend(emailEvent('email.delivered', email));
    const lead = thumbtackFixture('negotiation-created');
    lead.data.negotiationID = thumbtackId();
    yield thumbtack(lead);
    const message = thumbtackFixture('message-from-customer');
    message.data.negotiationID = lead.data.negotiationID;
    message.data.messageID = thumbtackId();
    yield thumbtack(message);
    // Jobber keys on topic + account + item + occurred time: a fresh time makes a fresh event.
    const topic = (['CLIENT_UPDATE', 'JOB_UPDATE', 'INVOICE_UPDATE'] as const)[n % 3]!;
    yield jobber({ ...jobberEvent(topic), occurredAt: new Date(Date.now() + n).toISOString() });
    yield jobber({
      ...jobberEvent('QUOTE_CREATE'),
      itemId: Buffer.from(`gid://Jobber/Quote/${n}${Date.now()}`).toString('base64'),
    });
  }
}
