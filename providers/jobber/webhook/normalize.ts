import type { EventContext, Normalized } from '../../../src/provider';
import type { JobberChange } from '../records/changes';
import { destroyedChange, webhookChange } from '../sync/enrich';
import type { JobberWebhook } from './schema';
import { parseTopic, shownTopic } from './topics';
import { JOBBER_TOPICS } from './webhook-topics';

const CONNECTION: Record<string, 'connected' | 'disconnected'> = {
  APP_CONNECT: 'connected',
  APP_DISCONNECT: 'disconnected',
};

/**
 * One canonical event per webhook. Clients, jobs and invoices also change their row, fetched from
 * Jobber's API here, outside the worker's transaction (not fetched when the event is older than the
 * row's or the row is deleted: `data.skipped`); APP_CONNECT/APP_DISCONNECT change the
 * account's state; every other topic (quotes, requests, visits, payments, …) is an event only,
 * whose `data.object` is the webhook's own fields (event-types.ts declares them).
 */
export async function normalizeJobber(
  payload: JobberWebhook,
  context: EventContext,
): Promise<Normalized<JobberChange['kind']>> {
  const { topic: topicName, appId, accountId, itemId, occurredAt: occurred } = payload.data.webHookEvent;
  // A topic Jobber adds later has no type in the catalogue, so no subscription could name it.
  if (!JOBBER_TOPICS.includes(topicName))
    return {
      ignored: `Jobber topic ${shownTopic(topicName)} is not one Hookport knows yet (not in its event catalogue)`,
    };
  const occurredAt = new Date(occurred);
  const topic = parseTopic(topicName);

  const state = CONNECTION[topicName];
  if (state) {
    const record = { kind: 'jobber_account', externalId: accountId, state, at: occurredAt } as const;
    return { events: [{ type: topic.canonicalType, occurredAt, data: { topic: topicName }, record }] };
  }
  if (!topic.family) {
    const object = {
      topic: topicName,
      ...(appId ? { appId } : {}),
      accountId,
      itemId,
      occurredAt: occurredAt.toISOString(),
    };
    return { events: [{ type: topic.canonicalType, occurredAt, object }] };
  }

  const origin = { family: topic.family, accountId, itemId, occurredAt, eventId: context.id, topic: topicName };
  const { record, skipped } =
    topic.action === 'DESTROY'
      ? { record: destroyedChange(origin), skipped: undefined }
      : await webhookChange(context, origin);
  const data = { topic: topicName, syncStatus: record.syncStatus, ...(skipped ? { skipped } : {}) };
  return { events: [{ type: topic.canonicalType, occurredAt, data, record }] };
}
