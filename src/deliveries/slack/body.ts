import type { Executor } from '../../db/client';
import type { ClaimedDelivery } from '../claim';
import type { ProviderLabels } from './labels';
import { slackRecordFields } from './record';
import { renderSlackMessage, renderTest } from './render';

/**
 * The JSON body of a Slack delivery: the message for its canonical event (with its record's
 * fields, read now), or the test message for a test send.
 */
export async function slackBody(db: Executor, d: ClaimedDelivery, labels: ProviderLabels = {}, now = new Date()): Promise<string> {
  const e = d.event;
  if (e === null) return JSON.stringify(renderTest(d.subscriptionId, now));
  const record = await slackRecordFields(db, e.provider ?? null, e.recordKind ?? null, e.externalId ?? null);
  return JSON.stringify(
    renderSlackMessage({
      type: d.eventType,
      at: e.occurredAt ?? e.createdAt,
      provider: e.provider ?? null,
      source: e.provider ? (labels[e.provider] ?? null) : null,
      recordKind: e.recordKind ?? null,
      externalId: e.externalId ?? null,
      data: e.data,
      record,
    }),
  );
}

/** Slack's answers that mean the incoming webhook is gone for good: disable like a 410. */
export const slackGone = (status: number | null): boolean => status === 404 || status === 410;
