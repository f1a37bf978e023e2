import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns';

/**
 * Provider-neutral events (message.received, email.bounced, invoice.paid, …), written in the same
 * transaction as the record changes they describe, for apps that want a feed rather than tables.
 */
export const canonicalEvents = pgTable(
  'canonical_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookEventId: uuid('webhook_event_id').notNull(),
    provider: text('provider').notNull(),
    type: text('type').notNull(),
    /** The record the event is about: its table and external id, when it has one. */
    recordKind: text('record_kind'),
    externalId: text('external_id'),
    occurredAt: ts('occurred_at'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('canonical_events_webhook_type_uq').on(t.webhookEventId, t.type, t.externalId),
    index('canonical_events_type_created_idx').on(t.type, t.createdAt),
  ],
);
