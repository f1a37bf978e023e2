import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid, boolean } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt } from './columns';

export const SUBSCRIPTION_KINDS = ['webhook', 'slack'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** How webhook-kind deliveries are signed: Standard Webhooks, or the plain HMAC header older receivers read. */
export const SIGNING_MODES = ['standard-webhooks', 'hmac-sha256', 'hmac-sha256-hex'] as const;
export type SigningMode = (typeof SIGNING_MODES)[number];

export const DELIVERY_STATUSES = ['pending', 'delivering', 'succeeded', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Destinations of canonical events. Deleting one sets `deleted_at` (its unfinished deliveries are
 * closed as dead in the same statement) so its delivery log stays readable until retention.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: SUBSCRIPTION_KINDS }).notNull().default('webhook'),
    url: text('url').notNull(),
    /** Types, `*`, or `prefix.*`. */
    eventTypes: jsonb('event_types').$type<string[]>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    description: text('description'),
    signing: text('signing', { enum: SIGNING_MODES }).notNull().default('standard-webhooks'),
    /** A content filter (Hookdeck's syntax, src/events/filter.ts); null matches every event of its types. */
    filter: jsonb('filter').$type<Record<string, unknown>>(),
    /**
     * `whsec_` + base64 for Standard Webhooks, the caller's text for the HMAC modes; null for Slack, which is not
     * signed.
     */
    secret: text('secret'),
    /** The secret a rotation replaced, still signed with until `previous_secret_expires_at`. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    /** Since when every delivery attempt has failed (null after a success): DELIVERY_DISABLE_AFTER. */
    failingSince: ts('failing_since'),
    /** When the last hookport.delivery.failing was sent about it: at most one an hour. */
    failingAlertedAt: ts('failing_alerted_at'),
    deletedAt: ts('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('subscriptions_created_idx')
      .on(t.createdAt, t.id)
      .where(sql`deleted_at is null`),
  ],
);

/** One row per canonical event × matching subscription: the transactional outbox. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id),
    canonicalEventId: uuid('canonical_event_id').notNull(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * When a worker may take it next: on creation, now; after a failure, the retry time; while
     * `delivering`, the end of the lease. Null while its subscription is disabled (parked: it waits
     * for re-enabling, outside the due index).
     */
    nextAttemptAt: ts('next_attempt_at'),
    /** Fences a claim: set to a fresh value by each claim, checked when settling and renewing. */
    claimToken: uuid('claim_token'),
    responseStatus: integer('response_status'),
    /** The first 1 KiB of the receiver's answer. */
    responseBody: text('response_body'),
    durationMs: integer('duration_ms'),
    lastError: text('last_error'),
    lastAttemptAt: ts('last_attempt_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    uniqueIndex('deliveries_subscription_event_uq').on(t.subscriptionId, t.canonicalEventId),
    // The claim walks due rows by time; parked, finished rows are outside it.
    index('deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status in ('pending', 'failed', 'delivering') and next_attempt_at is not null`),
    // The per-subscription in-flight limit counts these.
    index('deliveries_in_flight_idx')
      .on(t.subscriptionId)
      .where(sql`status = 'delivering'`),
    // A subscription's deliveries newest first (admin list; parking and unparking).
    index('deliveries_subscription_created_idx').on(t.subscriptionId, t.createdAt, t.id),
    // An event's deliveries (the pull API's one event).
    index('deliveries_canonical_event_idx').on(t.canonicalEventId),
    // Retention walks finished rows oldest first.
    index('deliveries_created_idx').on(t.createdAt, t.id),
    // A subscription's recent attempts (hookport.delivery.failing counts them).
    index('deliveries_subscription_attempted_idx').on(t.subscriptionId, t.lastAttemptAt),
  ],
);
