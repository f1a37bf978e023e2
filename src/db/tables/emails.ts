import { integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, recordKey, ts, updatedAt } from './columns';

export const emails = pgTable(
  'emails',
  {
    ...recordKey(),
    direction: text('direction', { enum: ['inbound', 'outbound'] })
      .notNull()
      .default('outbound'),
    messageId: text('message_id'),
    fromAddress: text('from_address'),
    toAddresses: jsonb('to_addresses').$type<string[]>(),
    subject: text('subject'),
    tags: jsonb('tags').$type<Record<string, string>>(),
    status: text('status'),
    statusRank: integer('status_rank').notNull().default(0),
    /** Time of the event that set `status`. */
    statusAt: ts('status_at'),
    sentAt: ts('sent_at'),
    openCount: integer('open_count').notNull().default(0),
    clickCount: integer('click_count').notNull().default(0),
    firstOpenedAt: ts('first_opened_at'),
    lastOpenedAt: ts('last_opened_at'),
    firstClickedAt: ts('first_clicked_at'),
    lastClickedAt: ts('last_clicked_at'),
    lastClickedLink: text('last_clicked_link'),
    bounce: jsonb('bounce').$type<Record<string, unknown>>(),
    complainedAt: ts('complained_at'),
    failureReason: text('failure_reason'),
    suppression: jsonb('suppression').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('emails_provider_external_id_uq').on(t.provider, t.externalId)],
);
