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
