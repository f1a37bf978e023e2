import type { MessageChange } from '../../src/provider';
import type { LeadChange, ReviewChange } from './changes';
import { reviewIdOf, type Negotiation, type ThumbtackMessage, type ThumbtackReview } from './schema';

const PROVIDER = 'thumbtack';

/** An ISO time from the payload, or undefined when absent or unreadable (never a failure). */
export function timeOf(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;
const joined = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ') || undefined;

export function leadChange(lead: Negotiation): LeadChange {
  const { customer, business, request } = lead;
  return {
    kind: 'lead',
    provider: PROVIDER,
    externalId: lead.negotiationID,
    customerId: orUndefined(customer?.customerID),
    customerName: joined(customer?.firstName, customer?.lastName) ?? orUndefined(customer?.displayName),
    customerPhone: orUndefined(customer?.phone),
    businessId: orUndefined(business?.businessID),
    businessName: orUndefined(business?.name),
    requestId: orUndefined(request?.requestID),
    category: orUndefined(request?.category?.name),
    categoryId: orUndefined(request?.category?.categoryID),
    description: orUndefined(request?.description),
    location: orUndefined(request?.location),
    details: orUndefined(request?.details),
    proposedTimes: orUndefined(request?.proposedTimes),
    estimate: orUndefined(lead.estimate),
    leadPrice: orUndefined(lead.leadPrice),
    status: orUndefined(lead.status),
    chargeState: orUndefined(lead.chargeState),
    leadCreatedAt: timeOf(lead.createdAt),
  };
}

/** `from` says who wrote it; older bodies without it still carry only the sender's block. */
function senderOf(message: ThumbtackMessage): 'Customer' | 'Business' | undefined {
  if (message.from === 'Customer' || message.from === 'Business') return message.from;
  if (message.business && !message.customer) return 'Business';
  if (message.customer && !message.business) return 'Customer';
  return undefined;
}

export function messageChange(message: ThumbtackMessage): MessageChange {
  const sender = senderOf(message);
  const party = sender === 'Business' ? message.business : sender === 'Customer' ? message.customer : undefined;
  return {
    kind: 'message',
    provider: PROVIDER,
    externalId: message.messageID,
    conversationId: message.negotiationID,
    direction: sender === 'Customer' ? 'inbound' : sender === 'Business' ? 'outbound' : undefined,
    fromAddress: orUndefined(party?.customerID ?? party?.businessID),
    senderName: orUndefined(party?.displayName ?? party?.name),
    accountId: orUndefined(message.business?.businessID),
    body: orUndefined(message.text),
    media: (message.attachments ?? []).flatMap((a) => (a.url ? [{ url: a.url, contentType: a.mimeType ?? null }] : [])),
    status: sender === 'Customer' ? 'received' : sender === 'Business' ? 'sent' : undefined,
    sentAt: timeOf(message.sentAt),
  };
}

/** Null when the review carries no id to key the row on. */
export function reviewChange(review: ThumbtackReview): ReviewChange | null {
  const externalId = reviewIdOf(review);
  if (!externalId) return null;
  const rating = review.rating === null || review.rating === undefined ? undefined : Number(review.rating);
  return {
    kind: 'review',
    provider: PROVIDER,
    externalId,
    businessId: orUndefined(review.businessID ?? review.business?.businessID),
    negotiationId: orUndefined(review.negotiationID),
    rating: rating !== undefined && Number.isFinite(rating) ? rating : undefined,
    reviewerName: orUndefined(
      review.reviewerName ?? review.reviewer?.displayName ?? review.reviewer?.name ?? review.customer?.displayName,
    ),
    text: orUndefined(review.reviewText ?? review.text),
    reviewedAt: timeOf(review.createTime ?? review.createdAt),
  };
}
