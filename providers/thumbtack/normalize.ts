import { parseWithSchema } from '../../src/payload';
import type { CanonicalEvent, Normalized } from '../../src/provider';
import type { ThumbtackChange } from './changes';

type ThumbtackKind = ThumbtackChange['kind'] | 'message';
import { leadChange, messageChange, reviewChange, timeOf } from './payload-to-changes';
import { EVENT_TYPES, messageSchema, negotiationSchema, reviewSchema, type ThumbtackPayload } from './schema';

/** Event types Hookport keeps no table for, passed on as canonical events (on-demand preset jobs, incentives). */
const PASS_THROUGH: Readonly<Record<string, string>> = {
  PresetJobMatchedV4: 'thumbtack.preset_job.matched',
  PresetJobStatusChangedV4: 'thumbtack.preset_job.status_changed',
  PresetJobUpdatedV4: 'thumbtack.preset_job.updated',
  PresetJobCancelledV4: 'thumbtack.preset_job.cancelled',
  PresetJobCompletedV4: 'thumbtack.preset_job.completed',
  IncentiveUsedV4: 'thumbtack.incentive.used',
};

/** Ids and status only: a summary for canonical_events, never names, phones or message text. */
const SUMMARY_KEYS = ['presetJobID', 'jobID', 'negotiationID', 'businessID', 'status'];

function summary(data: unknown): Record<string, unknown> {
  const source = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  return Object.fromEntries(SUMMARY_KEYS.filter((k) => typeof source[k] === 'string').map((k) => [k, source[k]]));
}

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
      const type = PASS_THROUGH[event.eventType];
      if (!type) return { ignored: `unhandled Thumbtack event type ${event.eventType}` };
      canonical = { type, occurredAt: triggeredAt, data: summary(data) };
    }
  }
  return { events: [canonical] };
}
