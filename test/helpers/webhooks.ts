import { randomBytes, randomUUID } from 'node:crypto';
import { readFormFixture, readJsonFixture } from './fixtures';
import type { Harness } from './harness';
import { TEST_SECRETS } from './harness';
import { signResend, signTwilioForm } from './sign';

/**
 * Signed webhook requests built from the real-shape fixtures, with fresh ids so that many can share
 * one database. To send a fixture's exact bytes, pass readFixture(…) text to postTwilioForm/postResend.
 */
type Http = Pick<Harness, 'http'>;

/** A fresh Twilio sid: prefix + 32 hex digits, as Twilio's schema requires. */
export const twilioSid = (prefix: 'SM' | 'MM' = 'SM') => prefix + randomBytes(16).toString('hex');

/** The numbers in the Twilio fixtures: the customer, and ours. */
export const THEIR_NUMBER = '+14155550100';
export const OUR_NUMBER = '+14155550199';

/** Form fields of a Twilio messaging webhook; every one carries a MessageSid. */
export type TwilioParams = Record<string, string> & { MessageSid: string };

const withSid = (params: Record<string, string>, sid: string): TwilioParams => ({
  ...params,
  MessageSid: sid,
  SmsSid: sid,
  ...('SmsMessageSid' in params ? { SmsMessageSid: sid } : {}),
});

/** The inbound-sms fixture (THEIR_NUMBER → OUR_NUMBER) with a fresh sid; `extra` adds or replaces fields. */
export function inboundSms(extra: Record<string, string> = {}): TwilioParams {
  return { ...withSid(readFormFixture('inbound-sms'), twilioSid()), ...extra };
}

/** A status callback (the status-undelivered fixture's shape, OUR_NUMBER → THEIR_NUMBER) for `messageSid`. */
export function statusCallback(messageSid: string, status: string, extra: Record<string, string> = {}): TwilioParams {
  const { ErrorCode: _code, RawDlrDoneDate: _done, ...base } = readFormFixture('status-undelivered');
  return { ...withSid(base, messageSid), MessageStatus: status, SmsStatus: status, ...extra };
}

/**
 * POSTs an exact form body to /webhooks/twilio (with `query`, as a StatusCallback URL may carry),
 * signed by the twilio library for the public URL.
 */
export function postTwilioForm(h: Http, body: string, headers: Record<string, string> = {}, query = '') {
  const params = Object.fromEntries(new URLSearchParams(body));
  const path = `/webhooks/twilio${query}`;
  const { signature } = signTwilioForm(TEST_SECRETS.twilioToken, `${TEST_SECRETS.publicBaseUrl}${path}`, params);
  return h
    .http()
    .post(path)
    .set('content-type', 'application/x-www-form-urlencoded')
    .set('x-twilio-signature', signature)
    .set(headers)
    .send(body);
}

export const postTwilio = (h: Http, params: Record<string, string>, headers: Record<string, string> = {}) =>
  postTwilioForm(h, new URLSearchParams(params).toString(), headers);

export const emailId = () => randomUUID();

export interface EmailEventOptions {
  /** The envelope's created_at (when the event happened). */
  at?: Date;
  /** Replaces or adds fields of `data`. */
  data?: Record<string, unknown>;
}

/** The Resend fixture for `type` (e.g. 'email.opened') about email `id`. */
export function emailEvent(type: string, id: string, options: EmailEventOptions = {}): Record<string, unknown> {
  const fixture = readJsonFixture(type);
  return {
    ...fixture,
    created_at: options.at?.toISOString() ?? fixture.created_at,
    data: { ...fixture.data, email_id: id, message_id: `<${id}@email.amazonses.com>`, ...options.data },
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
