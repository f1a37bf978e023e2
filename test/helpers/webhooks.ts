import { randomBytes, randomUUID } from 'node:crypto';
import type { Harness } from './harness';
import { TEST_SECRETS } from './harness';
import { signResend, signTwilioForm } from './sign';

type Http = Pick<Harness, 'http'>;

/** A fresh Twilio sid: prefix + 32 hex digits, as Twilio's schema requires. */
export const twilioSid = (prefix: 'SM' | 'MM' | 'AC' = 'SM') => prefix + randomBytes(16).toString('hex');

export const TWILIO_ACCOUNT = 'AC' + 'b'.repeat(32);
export const OUR_NUMBER = '+14155550199';
export const THEIR_NUMBER = '+14155550100';

/** Form fields of a Twilio messaging webhook; every one carries a MessageSid. */
export type TwilioParams = Record<string, string> & { MessageSid: string };

/** An inbound SMS from THEIR_NUMBER to OUR_NUMBER; `extra` adds or replaces fields. */
export function inboundSms(extra: Record<string, string> = {}): TwilioParams {
  return {
    MessageSid: twilioSid(),
    AccountSid: TWILIO_ACCOUNT,
    From: THEIR_NUMBER,
    To: OUR_NUMBER,
    Body: 'Hi there',
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

/** A status callback for an outbound message we sent from OUR_NUMBER. */
export function statusCallback(messageSid: string, status: string, extra: Record<string, string> = {}): TwilioParams {
  return {
    MessageSid: messageSid,
    SmsSid: messageSid,
    AccountSid: TWILIO_ACCOUNT,
    From: OUR_NUMBER,
    To: THEIR_NUMBER,
    MessageStatus: status,
    SmsStatus: status,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

/** POSTs form fields to /webhooks/twilio, signed by the twilio library for the public URL. */
export function postTwilio(h: Http, params: Record<string, string>, headers: Record<string, string> = {}) {
  const { body, signature } = signTwilioForm(
    TEST_SECRETS.twilioToken,
    `${TEST_SECRETS.publicBaseUrl}/webhooks/twilio`,
    params,
  );
  return h
    .http()
    .post('/webhooks/twilio')
    .set('content-type', 'application/x-www-form-urlencoded')
    .set('x-twilio-signature', signature)
    .set(headers)
    .send(body);
}

export const emailId = () => randomUUID();

/** A Resend envelope; `data` gets the usual email fields unless the type is not an email event. */
export function resendEvent(type: string, data: Record<string, unknown>, createdAt = new Date()): Record<string, unknown> {
  return { type, created_at: createdAt.toISOString(), data };
}

/** The `data` of an email event for `id`, with the fields every email event carries. */
export function emailData(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email_id: id,
    message_id: `<${id}@resend.dev>`,
    created_at: '2026-05-01T12:00:00.000Z',
    from: 'Acme <noreply@acme.com>',
    to: ['customer@example.com'],
    subject: 'Your quote',
    tags: [{ name: 'job', value: '123' }],
    ...extra,
  };
}

/** One signed Resend delivery: the exact body and Svix headers, to send as often as a retry would. */
export function resendDelivery(event: Record<string, unknown> | string, svixId?: string) {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return { body, headers: signResend(TEST_SECRETS.resendSecret, body, { id: svixId }) };
}

export type ResendDelivery = ReturnType<typeof resendDelivery>;

/** POSTs one signed delivery to /webhooks/resend, exactly as built. */
export function sendResend(h: Http, delivery: ResendDelivery) {
  return h.http().post('/webhooks/resend').set(delivery.headers).send(delivery.body);
}

/** Signs an event (object → JSON, or exact text) now and POSTs it; `svixId` fixes the delivery id. */
export const postResend = (h: Http, event: Record<string, unknown> | string, svixId?: string) =>
  sendResend(h, resendDelivery(event, svixId));
