import { z } from 'zod';

/**
 * Thumbtack Partner API v4 webhook bodies: `{event:{eventType, webhookID, triggeredAt, description}, data}`.
 * Only the ids Hookport keys rows on are required; every other field is optional and extra fields
 * pass, because Thumbtack's published v4 OpenAPI spec and recorded traffic disagree in places.
 */
const id = z.union([z.string().min(1), z.number()]).transform(String);
const text = z.string().nullish();
const object = z.record(z.string(), z.unknown());

export const EVENT_TYPES = {
  negotiation: 'NegotiationCreatedV4',
  message: 'MessageCreatedV4',
  review: 'ReviewCreatedV4',
} as const;

export const envelopeSchema = z.looseObject({
  event: z.looseObject({
    eventType: z.string().min(1),
    webhookID: id.nullish(),
    triggeredAt: text,
    description: text,
  }),
  data: z.unknown(),
});
export type ThumbtackEnvelope = z.infer<typeof envelopeSchema>;

/** What parse() yields: a v4 envelope, or a body without `event.eventType` (the deprecated v2 shape). */
export type ThumbtackPayload = { version: 4; envelope: ThumbtackEnvelope } | { version: 2 };

export const negotiationSchema = z.looseObject({
  negotiationID: id,
  createdAt: text,
  status: text,
  chargeState: text,
  leadPrice: text,
  customer: z
    .looseObject({ customerID: id.nullish(), firstName: text, lastName: text, displayName: text, phone: text })
    .nullish(),
  business: z.looseObject({ businessID: id.nullish(), name: text }).nullish(),
  estimate: object.nullish(),
  request: z
    .looseObject({
      requestID: id.nullish(),
      category: z.looseObject({ categoryID: id.nullish(), name: text }).nullish(),
      description: text,
      location: object.nullish(),
      details: z.array(object).nullish(),
      proposedTimes: z.array(object).nullish(),
    })
    .nullish(),
});
export type Negotiation = z.infer<typeof negotiationSchema>;

const party = z.looseObject({ customerID: id.nullish(), businessID: id.nullish(), displayName: text, name: text });

export const messageSchema = z.looseObject({
  messageID: id,
  negotiationID: id,
  from: text,
  text,
  sentAt: text,
  customer: party.nullish(),
  business: party.nullish(),
  attachments: z.array(z.looseObject({ url: text, mimeType: text, fileName: text })).nullish(),
});
export type ThumbtackMessage = z.infer<typeof messageSchema>;

/** No review webhook sample is published; public integrations read these names (see docs/providers/thumbtack.md). */
export const reviewSchema = z.looseObject({
  reviewID: id.nullish(),
  reviewId: id.nullish(),
  rating: z.union([z.number(), z.string()]).nullish(),
  reviewText: text,
  text,
  reviewerName: text,
  reviewer: z.looseObject({ displayName: text, name: text }).nullish(),
  customer: party.nullish(),
  createTime: text,
  createdAt: text,
  businessID: id.nullish(),
  business: party.nullish(),
  negotiationID: id.nullish(),
});
export type ThumbtackReview = z.infer<typeof reviewSchema>;

/** The review's id under either spelling, from a parsed review or raw JSON (identify). */
export function reviewIdOf(data: { reviewID?: unknown; reviewId?: unknown } | undefined): string | undefined {
  const value = data?.reviewID ?? data?.reviewId;
  return (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;
}
