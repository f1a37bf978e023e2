import { z } from 'zod';
import type { EventTypeDefinition } from './event-type';
import { operationalEventTypes } from './operational-types';

/**
 * The provider-neutral types of the shared tables, which several providers may emit (a provider
 * lists the ones it does with sharedEventTypes), and Hookport's own types.
 */

const metadata = {
  schema: z.object({
    metadata: z
      .record(z.string(), z.union([z.string(), z.array(z.string())]))
      .describe("The sender's own ids from the callback URL's query (`?ref=order-123`), when it had one.")
      .optional(),
  }),
  example: { metadata: { ref: 'job-1187' } },
};

const message = (type: string, description: string): EventTypeDefinition => ({
  type,
  description,
  recordKind: 'message',
  fields: metadata,
});

const EMAIL_STATUSES: Record<string, string> = {
  sent: 'The email was accepted for delivery.',
  scheduled: 'The email was scheduled to be sent later.',
  delivered: "The recipient's mail server accepted the email.",
  delivery_delayed: 'Delivery is delayed (the receiving server deferred it); it is still being tried.',
  complained: 'The recipient marked the email as spam. The address is also suppressed (`contact.suppressed`).',
  bounced: 'The email bounced. A permanent bounce also suppresses the address (`contact.suppressed`).',
  opened: 'The recipient opened the email (`open_count` counts every open).',
  clicked: 'The recipient clicked a link in the email (`last_clicked_link`).',
  received: 'An email was received (inbound).',
  failed: 'The email could not be sent (`failure_reason`).',
  suppressed: 'The email was not sent because the recipient is on the sending provider’s suppression list.',
};

const contactFields = {
  schema: z.object({
    channel: z.enum(['email', 'sms']),
    address: z.string().describe('The normalized address (an email address, or a phone number in E.164).'),
    reason: z.enum(['bounced', 'complained', 'suppressed', 'opted_out']).nullable(),
    since: z.iso.datetime({ offset: true }).nullable().describe('When the suppression began.'),
    detail: z.string().nullable().describe('A short reason for people (the bounce message, the keyword).'),
    liftedAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe('When it was lifted (contact.unsuppressed).'),
  }),
  example: {
    channel: 'sms',
    address: '+14155550123',
    reason: 'opted_out',
    since: '2026-12-06T19:03:11.000Z',
    detail: 'STOP',
  },
};

const definitions: EventTypeDefinition[] = [
  message(
    'message.received',
    'A message came in from a customer (an inbound SMS/MMS, or a message in a marketplace conversation).',
  ),
  message('message.sent', 'A message was sent to a customer (the business wrote in a marketplace conversation).'),
  message(
    'message.status_changed',
    "An outbound message's delivery status changed (queued → sent → delivered, or undelivered/failed with `error_code`).",
  ),
  ...Object.entries(EMAIL_STATUSES).map(([status, description]): EventTypeDefinition => ({
    type: `email.${status}`,
    description,
    recordKind: 'email',
  })),
  {
    type: 'contact.suppressed',
    description:
      'An address must not be messaged any more: a permanent bounce, a spam complaint, a provider suppression or an SMS opt-out (STOP). Sent once per change of state.',
    recordKind: 'suppression',
    fields: contactFields,
  },
  {
    type: 'contact.unsuppressed',
    description:
      'An address may be messaged again (an SMS opt-in, START, or a provider lifting its suppression). Sent once per change of state.',
    recordKind: 'suppression',
    fields: {
      ...contactFields,
      example: { ...contactFields.example, reason: null, liftedAt: '2026-12-07T08:15:00.000Z' },
    },
  },
];

/** Hookport's own types, emitted by no provider. */
export const hookportEventTypes: EventTypeDefinition[] = [
  {
    type: 'webhook.test',
    description:
      'A test event sent from the console, the CLI or `POST /admin/api/subscriptions/:id/test`, to check that a receiver gets and verifies deliveries.',
    recordKind: null,
    object: {
      schema: z.looseObject({}).describe('Whatever the test send carried (its payload, else this example).'),
      example: { test: true, message: 'A test event from Hookport' },
    },
  },
  ...operationalEventTypes,
];

const byType = new Map(definitions.map((d) => [d.type, d]));

/** The shared types a provider emits, by name (a name that is not one is the code's mistake). */
export function sharedEventTypes(...types: string[]): EventTypeDefinition[] {
  return types.map((type) => {
    const definition = byType.get(type);
    if (!definition) throw new Error(`"${type}" is not a shared event type`);
    return definition;
  });
}

/** Every shared type whose name starts with `prefix` (e.g. `email.`). */
export const sharedEventTypesStartingWith = (prefix: string): EventTypeDefinition[] =>
  definitions.filter((d) => d.type.startsWith(prefix));
