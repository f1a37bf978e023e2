import { doublePrecision, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, recordKey, ts, updatedAt } from '../../src/provider';

/** A Thumbtack negotiation (lead), keyed by negotiationID. Messages may arrive first: no foreign keys. */
export const leads = pgTable(
  'leads',
  {
    ...recordKey(),
    customerId: text('customer_id'),
    customerName: text('customer_name'),
    customerPhone: text('customer_phone'),
    businessId: text('business_id'),
    businessName: text('business_name'),
    requestId: text('request_id'),
    category: text('category'),
    categoryId: text('category_id'),
    description: text('description'),
    location: jsonb('location').$type<Record<string, unknown>>(),
    details: jsonb('details').$type<Record<string, unknown>[]>(),
    proposedTimes: jsonb('proposed_times').$type<Record<string, unknown>[]>(),
    estimate: jsonb('estimate').$type<Record<string, unknown>>(),
    /** Money as Thumbtack sends it, e.g. "$25.00". */
    leadPrice: text('lead_price'),
    status: text('status'),
    chargeState: text('charge_state'),
    /** When the customer created the lead on Thumbtack (`createdAt`); created_at is the row's own time. */
    leadCreatedAt: ts('lead_created_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('leads_provider_external_id_uq').on(t.provider, t.externalId),
    index('leads_business_idx').on(t.provider, t.businessId),
  ],
);

/** A review left for a Thumbtack business, keyed by the review id. */
export const reviews = pgTable(
  'reviews',
  {
    ...recordKey(),
    businessId: text('business_id'),
    negotiationId: text('negotiation_id'),
    rating: doublePrecision('rating'),
    reviewerName: text('reviewer_name'),
    text: text('text'),
    reviewedAt: ts('reviewed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('reviews_provider_external_id_uq').on(t.provider, t.externalId)],
);

/** A business the connected account may manage, as Thumbtack listed it at connect. */
export interface ConnectedBusiness {
  businessId: string;
  name: string | null;
}

/**
 * The Thumbtack account connected by OAuth (one per Hookport: `id` is always 'account'). Its tokens
 * are sealed with HOOKPORT_ENCRYPTION_KEY; null once disconnected.
 */
export const thumbtackConnection = pgTable('thumbtack_connection', {
  id: text('id').primaryKey(),
  accessToken: text('access_token'),
  refreshToken: text('refresh_token'),
  tokenExpiresAt: ts('token_expires_at'),
  businesses: jsonb('businesses').$type<ConnectedBusiness[]>().notNull().default([]),
  connectedAt: ts('connected_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** OAuth states issued by /oauth/thumbtack/connect: only their hash, each used once. */
export const thumbtackOauthStates = pgTable(
  'thumbtack_oauth_states',
  {
    stateHash: text('state_hash').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('thumbtack_oauth_states_expires_at_idx').on(t.expiresAt)],
);

/**
 * The webhooks Hookport registered its Basic credentials on, with a digest of those credentials:
 * Thumbtack never returns a password, so this is how the setup check tells Hookport's from others'.
 */
export const thumbtackWebhookCredentials = pgTable('thumbtack_webhook_credentials', {
  webhookId: text('webhook_id').primaryKey(),
  businessId: text('business_id').notNull(),
  credentialsDigest: text('credentials_digest').notNull(),
  setAt: ts('set_at').notNull(),
});
