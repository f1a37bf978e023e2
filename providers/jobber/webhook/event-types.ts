import { z } from 'zod';
import type { EventTypeDefinition } from '../../../src/provider';
import { parseTopic, type Topic } from './topics';
import { globalId, JOBBER_TOPICS, TOPIC_ITEM_TYPES } from './webhook-topics';

/** The catalogue's Jobber types: one for each topic Jobber sends, and `invoice.paid`. */

const ACCOUNT_ID = globalId('Account', 1001);
const APP_ID = '3ef22a50-072d-430c-a78f-b7646657560b';

/** `data.object` of a topic with no table: the webhook itself (Jobber sends ids only). */
export const webhookObjectSchema = z.strictObject({
  topic: z.string().describe("Jobber's webhook topic, e.g. `QUOTE_APPROVED`."),
  appId: z.string().optional().describe('The Jobber app the webhook was sent to.'),
  accountId: z.string().describe('The Jobber account (an encoded global id).'),
  itemId: z
    .string()
    .describe("What it is about (an encoded global id): fetch it from Jobber's GraphQL API for its details."),
  occurredAt: z.iso.datetime({ offset: true }).describe('When it happened in Jobber.'),
});

const recordFields = z.object({
  topic: z.string().describe("Jobber's webhook topic, e.g. `CLIENT_UPDATE`."),
  syncStatus: z
    .enum(['synced', 'awaiting_sync', 'not_found'])
    .describe("What this event's fetch found: Jobber's data, no token yet (ids only), or the record gone from Jobber."),
  skipped: z
    .enum(['stale', 'deleted'])
    .optional()
    .describe('Why Jobber was not asked: a newer event already wrote the row (`stale`), or the row is deleted.'),
});

const connectionFields = z.object({
  topic: z.string().describe("Jobber's webhook topic: `APP_CONNECT` or `APP_DISCONNECT`."),
});

const TABLES = { client: 'clients', job: 'jobs', invoice: 'invoices' } as const;

const NOUNS: Readonly<Record<string, string>> = { ON_MY_WAY_TRACKING_LINK: 'on-my-way tracking link' };
const noun = (subject: string) => NOUNS[subject] ?? subject.toLowerCase().replaceAll('_', ' ');
// Every subject that starts with a vowel sounds like one, except `user`.
const article = (word: string) => (/^[aeio]/.test(word) ? 'an' : 'a');

/** What happened, in a sentence: `A quote was approved in Jobber.` */
function happened(t: Topic): string {
  const what = noun(t.subject);
  const a = `${article(what)} ${what}`.replace(/^a/, 'A');
  switch (t.action) {
    case 'CREATE':
      return `${a} was created in Jobber.`;
    case 'UPDATE':
      return `${a} was changed in Jobber.`;
    case 'DESTROY':
      return `${a} was deleted in Jobber.`;
    case 'COMPLETE':
      return `${a} was marked complete in Jobber.`;
    case 'CLOSED':
      return `${a} was closed in Jobber.`;
    case 'SENT':
      return `${a} was sent to the client from Jobber.`;
    case 'APPROVED':
      return `${a} was approved by the client in Jobber.`;
    case 'REQUEST':
      return `${a} was requested in Jobber (a team member is on the way to the client).`;
    default:
      return `Jobber sent ${t.subject}_${t.action} for ${a}.`;
  }
}

function definitionOf(topicName: string): EventTypeDefinition {
  const t = parseTopic(topicName);
  if (t.subject === 'APP') {
    return {
      type: t.canonicalType,
      description:
        t.action === 'CONNECT'
          ? "A Jobber account connected Hookport's app. `data.object` is the account's connection (never its tokens)."
          : "A Jobber account disconnected Hookport's app: its tokens are deleted, and its records wait for sync until it connects again.",
      recordKind: 'jobber_account',
      fields: { schema: connectionFields, example: { topic: topicName } },
    };
  }
  if (t.family) {
    const kept = t.action === 'DESTROY' ? ' The row is kept, with `deleted_at` set.' : '';
    return {
      type: t.canonicalType,
      description: `${happened(t)}${kept} \`data.object\` is Hookport's \`${TABLES[t.family]}\` row: Jobber's data while \`sync_status\` is \`synced\`, its ids only while the account has no token.`,
      recordKind: t.family,
      fields: {
        schema: recordFields,
        example: { topic: topicName, syncStatus: t.action === 'DESTROY' ? 'not_found' : 'synced' },
      },
    };
  }
  return {
    type: t.canonicalType,
    description: `${happened(t)} Jobber sends ids only: \`data.object\` names the account and the item, which Jobber's API gives in full.`,
    recordKind: null,
    object: {
      schema: webhookObjectSchema,
      example: {
        topic: topicName,
        appId: APP_ID,
        accountId: ACCOUNT_ID,
        itemId: globalId(TOPIC_ITEM_TYPES[t.subject] ?? 'Item', 30017),
        occurredAt: '2026-04-28T21:00:00.000Z',
      },
    },
  };
}

const invoicePaid: EventTypeDefinition = {
  type: 'invoice.paid',
  description:
    'A Jobber invoice became paid (sent once each time it does). `data.object` is its `invoices` row; `clientName` is the paying client as Hookport had them.',
  recordKind: 'invoice',
  fields: {
    schema: z.object({
      accountId: z.string().describe('The Jobber account.'),
      invoiceNumber: z.string().nullable(),
      total: z.number().nullable(),
      clientName: z
        .string()
        .nullable()
        .describe("The client's name from Hookport's `clients` row; null when Hookport has none."),
    }),
    example: { accountId: ACCOUNT_ID, invoiceNumber: '2087', total: 524.34, clientName: 'Dana Whitfield' },
  },
};

export const jobberEventTypes: readonly EventTypeDefinition[] = [...JOBBER_TOPICS.map(definitionOf), invoicePaid];
