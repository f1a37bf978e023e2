import { index, json, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    /** Type-specific fields (also inside `body.data`); the whole of what old rows carry. */
    data: jsonb('data').$type<Record<string, unknown>>(),
    /**
     * The body every delivery sends, `{"type","timestamp","data":{"object","previous","source",…}}`,
     * written once with the event. `json`, not `jsonb`: the text is kept as written (key order
     * included), so every attempt sends the same bytes. Null on rows written before bodies existed.
     */
    body: json('body').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('canonical_events_webhook_type_uq').on(t.webhookEventId, t.type, t.externalId),
    index('canonical_events_type_created_idx').on(t.type, t.createdAt),
    // The pull API lists every type newest first.
    index('canonical_events_created_idx').on(t.createdAt, t.id),
  ],
);
