import { z } from 'zod';
import {
  type EventTypeDefinition,
  normalizedObject,
  type NormalizedObject,
  sharedEventTypes,
} from '../../src/provider';

/** The catalogue's Resend types: the shared email.* and contact.*, and Resend's own (no table). */

/** The email statuses Resend sends (`email.<status>`); each updates an `emails` row. */
export const EMAIL_STATUSES = [
  'sent',
  'scheduled',
  'delivered',
  'delivery_delayed',
  'complained',
  'bounced',
  'opened',
  'clicked',
  'received',
  'failed',
  'suppressed',
] as const;

const time = (what: string) => [z.iso.datetime({ offset: true }), what] as const;

const contact = normalizedObject(
  {
    id: [z.string(), "Resend's contact id."],
    audience_id: [z.string(), 'The audience it belongs to.'],
    segment_ids: [z.array(z.string()), 'The segments it is in.'],
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    unsubscribed: [z.boolean(), 'Whether the contact unsubscribed from broadcasts.'],
    created_at: time('When Resend created the contact.'),
    updated_at: time('When Resend last changed it.'),
  },
  {
    times: ['created_at', 'updated_at'],
    sample: {
      id: 'ed9a7e4e-8e42-429b-a62f-05204f18050a',
      audience_id: '78261eea-8f8b-4381-83c6-79fa7120f1cf',
      segment_ids: ['78261eea-8f8b-4381-83c6-79fa7120f1cf'],
      created_at: '2026-05-01T10:15:02.157Z',
      updated_at: '2026-05-01T10:15:02.157Z',
      email: 'dana.reyes@example.com',
      first_name: 'Dana',
      last_name: 'Reyes',
      unsubscribed: false,
    },
  },
);

/** A DNS record the domain needs; Resend may add fields, which are kept. */
const dnsRecord = z.looseObject({
  record: z.string().optional().describe('What it is for: `SPF`, `DKIM`, …'),
  name: z.string().optional(),
  type: z.string().optional().describe('`MX`, `TXT`, …'),
  ttl: z.string().optional(),
  status: z.string().optional(),
  value: z.string().optional(),
  priority: z.number().optional(),
});

const domain = normalizedObject(
  {
    id: [z.string(), "Resend's domain id."],
    name: [z.string(), 'The domain, e.g. `acme.com`.'],
    status: [z.string(), 'Its verification status (`not_started`, `pending`, `verified`, `failed`, …).'],
    region: [z.string(), 'Where Resend sends from, e.g. `us-east-1`.'],
    created_at: time('When the domain was added.'),
    records: [z.array(dnsRecord), 'The DNS records to set, each with its own status.'],
  },
  {
    times: ['created_at'],
    sample: {
      id: 'cc2fb3c7-ccee-4731-9d2b-4b6691e0464a',
      name: 'acme.com',
      status: 'verified',
      created_at: '2026-04-30T20:21:26.347412+00:00',
      region: 'us-east-1',
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
          record: 'SPF',
          name: 'send',
          type: 'TXT',
          ttl: 'Auto',
          status: 'verified',
          value: '"v=spf1 include:amazonses.com ~all"',
        },
        {
          record: 'DKIM',
          name: 'resend._domainkey',
          type: 'TXT',
          ttl: 'Auto',
          status: 'verified',
          value: 'p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDsc4Lh8xilsngyKEgN2S84',
        },
      ],
    },
  },
);

const suppression = normalizedObject(
  {
    id: [z.string(), "Resend's id of the suppression-list entry."],
    email: [z.string(), 'The address, as Resend sent it.'],
    origin: [z.string(), 'Why it is on the list: `bounce`, `complaint` or `manual`.'],
    source_id: [z.string(), 'What put it there, e.g. the email that bounced.'],
    created_at: time('When Resend added it.'),
  },
  {
    times: ['created_at'],
    sample: {
      id: '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11',
      email: 'dana.reyes@example.com',
      origin: 'bounce',
      source_id: '4ef9a417-02e9-4d39-ad75-9611e0fcc33c',
      created_at: '2026-05-01T12:00:05.402Z',
    },
  },
);

interface PassThrough {
  description: string;
  object: NormalizedObject;
}

/** Resend's event types with no table, by Resend's name; each is emitted as `resend.<name>`. */
export const PASS_THROUGH: Readonly<Record<string, PassThrough>> = {
  'contact.created': { description: 'A contact was added to a Resend audience.', object: contact },
  'contact.updated': {
    description: 'A Resend contact changed (its name, or whether it is `unsubscribed`).',
    object: contact,
  },
  'contact.deleted': { description: 'A contact was removed from a Resend audience.', object: contact },
  'domain.created': {
    description: 'A sending domain was added to the Resend account; `records` are the DNS records to set.',
    object: domain,
  },
  'domain.updated': {
    description: "A Resend sending domain changed, e.g. its verification `status` or a DNS record's.",
    object: domain,
  },
  'domain.deleted': { description: 'A sending domain was removed from the Resend account.', object: domain },
  'suppression.added': {
    description:
      "Resend put an address on the account's suppression list (`origin`: a bounce, a complaint or by hand). Hookport suppresses it too (`contact.suppressed`).",
    object: suppression,
  },
  'suppression.removed': {
    description:
      "An address was taken off Resend's suppression list. Hookport lifts its suppression too (`contact.unsuppressed`).",
    object: suppression,
  },
};

export const resendEventTypes: readonly EventTypeDefinition[] = [
  ...sharedEventTypes(
    ...EMAIL_STATUSES.map((status) => `email.${status}`),
    'contact.suppressed',
    'contact.unsuppressed',
  ),
  ...Object.entries(PASS_THROUGH).map(([type, { description, object }]): EventTypeDefinition => ({
    type: `resend.${type}`,
    description: `${description} \`data.object\` is Resend's \`data\` of the event.`,
    recordKind: null,
    object: { schema: object.schema, example: object.example },
  })),
];
