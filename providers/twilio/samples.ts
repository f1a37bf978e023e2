import { randomBytes } from 'node:crypto';
import type { SampleBuilder, SampleContext } from '../../src/provider';
import { twilioSettings } from './settings';
import { signTwilioForm } from './sign';

/** A fresh sid: prefix + 32 hex digits, as Twilio issues them. */
const sid = (prefix: string) => prefix + randomBytes(16).toString('hex');

const ACCOUNT_SID = 'ACd578b8f840dd67bdc7f3b8988165a79b';
const SERVICE_SID = 'MG140597c3f204bb1f740839aa968f138e';
const CUSTOMER = '+14155550100';
const OURS = '+14155550199';

/** Twilio signs the URL it calls: PUBLIC_BASE_URL + path when set, else where the sample is posted. */
function signed({ config, baseUrl }: SampleContext, params: Record<string, string>) {
  const path = '/webhooks/twilio';
  const [token] = twilioSettings.of(config).authTokens;
  const { body, signature } = signTwilioForm(token!, `${config.publicBaseUrl ?? baseUrl}${path}`, params);
  return {
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body,
  };
}

const where = {
  ToCountry: 'US',
  ToState: 'CA',
  ToCity: 'SAN FRANCISCO',
  ToZip: '94107',
  FromCountry: 'US',
  FromState: 'CA',
  FromCity: 'SAN FRANCISCO',
  FromZip: '94105',
};

function inbound(context: SampleContext, media: boolean, text?: string): ReturnType<SampleBuilder> {
  const messageSid = sid(media ? 'MM' : 'SM');
  const account = ACCOUNT_SID;
  const attachments: Record<string, string> = media
    ? {
        NumMedia: '1',
        MediaContentType0: 'image/jpeg',
        MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${account}/Messages/${messageSid}/Media/${sid('ME')}`,
      }
    : { NumMedia: '0' };
  return signed(context, {
    ...where,
    MessageSid: messageSid,
    SmsSid: messageSid,
    SmsMessageSid: messageSid,
    AccountSid: account,
    MessagingServiceSid: SERVICE_SID,
    From: CUSTOMER,
    To: OURS,
    Body: text ?? (media ? 'Photos of the leak' : 'Hi, is Thursday morning still OK for the repair?'),
    NumSegments: '1',
    ReferralNumMedia: '0',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
    ...attachments,
  });
}

/** A message status callback, as Twilio posts to the StatusCallback of a message we sent. */
function status(value: string): SampleBuilder {
  const failure: Record<string, string> = value === 'undelivered' || value === 'failed' ? { ErrorCode: '30003' } : {};
  return (context) => {
    const messageSid = sid('SM');
    return signed(context, {
      MessageSid: messageSid,
      SmsSid: messageSid,
      AccountSid: ACCOUNT_SID,
      MessagingServiceSid: SERVICE_SID,
      From: OURS,
      To: CUSTOMER,
      MessageStatus: value,
      SmsStatus: value,
      ApiVersion: '2010-04-01',
      ...failure,
    });
  };
}

const STATUSES = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'partially_delivered',
  'undelivered',
  'failed',
  'canceled',
] as const;

/**
 * `sms.received`, `mms.received`, `status.<status>` for every status Twilio reports, and the
 * customer replying STOP and START (the suppression list).
 */
export const twilioSamples: Readonly<Record<string, SampleBuilder>> = {
  'sms.received': (context) => inbound(context, false),
  'mms.received': (context) => inbound(context, true),
  ...Object.fromEntries(STATUSES.map((s) => [`status.${s}`, status(s)])),
  'sms.stop': (context) => inbound(context, false, 'STOP'),
  'sms.start': (context) => inbound(context, false, 'START'),
};
