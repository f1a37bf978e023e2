import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, ts, updatedAt } from './columns';

export const EVENT_STATUSES = ['pending', 'processing', 'processed', 'ignored', 'failed', 'dead'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** The inbox: one row per verified webhook request, raw bytes as received. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    eventType: text('event_type').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status', { enum: EVENT_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Why an event was ignored (unknown type, legacy shape); kept apart from errors. */
    note: text('note'),
    receivedAt: ts('received_at').notNull().defaultNow(),
    /**
     * When a worker may next take the event: on arrival, now; after a failure, the backoff time;
     * while `processing`, the end of the lease (a claimer that died is replaced after it).
     */
    availableAt: ts('available_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
    /**
     * When the event was first deferred (provider throttling); later deferrals past WORKER_MAX_DEFER_SECONDS use
     * attempts.
     */
    deferredSince: ts('deferred_since'),
    headers: jsonb('headers').$type<Record<string, string>>().notNull(),
    body: bytea('body').notNull(),
    /**
     * The request's path and query as received (`/webhooks/<provider>?ref=order-123`). Providers
     * may sign it or carry the sender's own ids in it; null for rows stored before it was kept.
     */
    requestPath: text('request_path'),
    /**
     * The W3C traceparent of the request's server span when tracing is on: the worker's processing
     * and the deliveries continue that trace. Null with tracing off.
     */
    traceparent: text('traceparent'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_events_provider_dedupe_key_uq').on(t.provider, t.dedupeKey),
    // Claims read events waiting for a worker and leases that ran out through separate indexes: an
    // event stored claimed and then settled leaves its dead entry in the second only, which claims
    // on the hot path never read. (While a long transaction holds a snapshot, no dead entry can
    // be removed, and a scan from the oldest key visits every one.)
    index('webhook_events_waiting_idx')
      .on(t.availableAt)
      .where(sql`status in ('pending', 'failed')`),
    index('webhook_events_leased_idx')
      .on(t.availableAt)
      .where(sql`status = 'processing'`),
    // /health counts unfinished events through the due index and dead ones through this one: neither
    // holds the processed events, which only grow (an index on status over every row did).
    index('webhook_events_dead_idx')
      .on(t.receivedAt)
      .where(sql`status = 'dead'`),
    index('webhook_events_provider_received_idx').on(t.provider, t.receivedAt),
    // The admin event list pages newest first by (received_at, id); these serve it unfiltered, by
    // type, and by the rare unfinished statuses (dead has its own above). Retention walks the first.
    index('webhook_events_received_idx').on(t.receivedAt, t.id),
    index('webhook_events_type_received_idx').on(t.eventType, t.receivedAt),
    index('webhook_events_unfinished_received_idx')
      .on(t.receivedAt)
      .where(sql`status in ('pending', 'processing', 'failed')`),
  ],
);
