import { type CanonicalEvent, type Normalized, parseWithSchema } from '../../src/provider';
import type { ThumbtackChange } from './changes';
import { PASS_THROUGH } from './event-types';
import { leadChange, messageChange, reviewChange, timeOf } from './payload-to-changes';
import { EVENT_TYPES, messageSchema, negotiationSchema, reviewSchema, type ThumbtackPayload } from './schema';

type ThumbtackKind = ThumbtackChange['kind'] | 'message';

/** A lead, a message or a review changes its row; the PASS_THROUGH types carry what Thumbtack sent as `data.object`. */
export function normalizeThumbtack(payload: ThumbtackPayload): Normalized<ThumbtackKind> {
  if (payload.version === 2) {
    return { ignored: 'no event.eventType: the deprecated v2 (pro-api) payload shape; create a v4 webhook instead' };
  }
  const { event, data } = payload.envelope;
  const triggeredAt = timeOf(event.triggeredAt) ?? null;
  let canonical: CanonicalEvent<ThumbtackKind>;
  switch (event.eventType) {
    case EVENT_TYPES.negotiation: {
      const lead = parseWithSchema(negotiationSchema, data, 'data');
      const record = leadChange(lead);
      canonical = { type: 'lead.created', occurredAt: record.leadCreatedAt ?? triggeredAt, record };
      break;
    }
    case EVENT_TYPES.message: {
      const record = messageChange(parseWithSchema(messageSchema, data, 'data'));
      const type = record.direction === 'outbound' ? 'message.sent' : 'message.received';
      canonical = { type, occurredAt: record.sentAt ?? triggeredAt, record };
      break;
    }
    case EVENT_TYPES.review: {
      const record = reviewChange(parseWithSchema(reviewSchema, data, 'data'));
      if (!record) return { ignored: 'ReviewCreatedV4 without a reviewID: nothing to key the review on' };
      canonical = { type: 'review.created', occurredAt: record.reviewedAt ?? triggeredAt, record };
      break;
    }
    default: {
      // Own keys only: an eventType such as `constructor` is not one of them.
      const passThrough = Object.hasOwn(PASS_THROUGH, event.eventType) ? PASS_THROUGH[event.eventType] : undefined;
      if (!passThrough) return { ignored: `unhandled Thumbtack event type ${event.eventType}` };
      canonical = { type: passThrough.type, occurredAt: triggeredAt, object: passThrough.object.of(data) };
    }
  }
  return { events: [canonical] };
}
