import { randomUUID } from 'node:crypto';
import type { SampleBuilder } from '../../src/provider';
import { resendSettings } from './settings';
import { signResend } from './sign';

type Data = Record<string, unknown>;

/** The email every email.* sample is about (fresh id each time), as Resend describes a sent email. */
function email(now: string): Data {
  const id = randomUUID();
  return {
    email_id: id,
    message_id: `<${id}@email.amazonses.com>`,
    created_at: now,
    from: 'Acme Plumbing <noreply@acme.com>',
    to: ['dana.reyes@example.com'],
    subject: 'Your quote #123 is ready',
    tags: [{ name: 'category', value: 'quote' }],
  };
}

/** What each email event adds to the email. */
const EMAIL_EXTRAS: Readonly<Record<string, Data>> = {
  'email.sent': {},
  'email.scheduled': {},
  'email.delivered': {},
  'email.delivery_delayed': {},
  'email.opened': {},
  'email.clicked': {
    click: {
      ipAddress: '203.0.113.7',
      link: 'https://acme.com/quotes/123',
      timestamp: '', // filled with the current time
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)',
    },
  },
  'email.bounced': {
    bounce: {
      type: 'Permanent',
      subType: 'General',
      message: "The recipient's mail server permanently rejected the email.",
      diagnosticCode: ['smtp; 550 5.1.1 user unknown'],
    },
  },
  'email.complained': {},
  'email.failed': { failed: { reason: 'reached_daily_quota' } },
  'email.suppressed': {
    suppressed: { message: 'The recipient is on the suppression list', type: 'OnAccountSuppressionList' },
  },
};

function emailData(type: string, now: string): Data {
  const extra = EMAIL_EXTRAS[type]!;
  const click = extra.click as Data | undefined;
  const scheduled =
    type === 'email.scheduled' ? { scheduled_at: new Date(Date.parse(now) + 3_600_000).toISOString() } : {};
  return { ...email(now), ...extra, ...scheduled, ...(click ? { click: { ...click, timestamp: now } } : {}) };
}

function received(now: string): Data {
  const id = randomUUID();
  return {
    email_id: id,
    created_at: now,
    from: 'Dana Reyes <dana.reyes@example.com>',
    to: ['quotes@inbound.acme.com'],
    received_for: ['quotes@inbound.acme.com'],
    cc: [],
    bcc: [],
    message_id: `<${id}@mail.example.com>`,
    subject: 'Re: Your quote #123 is ready',
    attachments: [
      {
        id: randomUUID(),
        filename: 'leak.jpg',
        content_type: 'image/jpeg',
        content_disposition: 'attachment',
        content_id: null,
      },
    ],
  };
}

const contact = (now: string): Data => ({
  id: randomUUID(),
  audience_id: '78261eea-8f8b-4381-83c6-79fa7120f1cf',
  segment_ids: ['78261eea-8f8b-4381-83c6-79fa7120f1cf'],
  email: 'dana.reyes@example.com',
  first_name: 'Dana',
  last_name: 'Reyes',
  unsubscribed: false,
  created_at: now,
  updated_at: now,
});

const domain = (now: string): Data => ({
  id: randomUUID(),
  name: 'acme.com',
  status: 'verified',
  region: 'us-east-1',
  created_at: now,
  records: [
    {
      record: 'SPF',
      name: 'send',
      type: 'MX',
      ttl: 'Auto',
      status: 'verified',
      value: 'feedback-smtp.us-east-1.amazonses.com',
      priority: 10,
    },
    {
      record: 'DKIM',
      name: 'resend._domainkey',
      type: 'TXT',
      ttl: 'Auto',
      status: 'verified',
      value: 'p=MIGfMA0GCSqGSIb3DQEB',
    },
  ],
});

const suppression = (now: string): Data => ({
  id: randomUUID(),
  email: 'dana.reyes@example.com',
  origin: 'bounce',
  source_id: randomUUID(),
  created_at: now,
});

/** Signed with the first configured secret by the svix library, with a fresh svix-id. */
function sample(type: string, data: (now: string) => Data): SampleBuilder {
  return ({ config }) => {
    const now = new Date().toISOString();
    const body = JSON.stringify({ type, created_at: now, data: data(now) });
    const [secret] = resendSettings.of(config).secrets;
    return { path: '/webhooks/resend', headers: signResend(secret!, body), body };
  };
}

/** Every event type Resend sends. */
export const resendSamples: Readonly<Record<string, SampleBuilder>> = {
  ...Object.fromEntries(Object.keys(EMAIL_EXTRAS).map((type) => [type, sample(type, (now) => emailData(type, now))])),
  'email.received': sample('email.received', received),
  ...Object.fromEntries(
    ['created', 'updated', 'deleted'].map((v) => [`contact.${v}`, sample(`contact.${v}`, contact)]),
  ),
  ...Object.fromEntries(['created', 'updated', 'deleted'].map((v) => [`domain.${v}`, sample(`domain.${v}`, domain)])),
  ...Object.fromEntries(['added', 'removed'].map((v) => [`suppression.${v}`, sample(`suppression.${v}`, suppression)])),
};
