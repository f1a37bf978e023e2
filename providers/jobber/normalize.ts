import type { EventContext, Normalized } from '../../src/provider';
import type { JobberChange } from './changes';
import { destroyedChange, webhookChange } from './enrich';
import type { JobberWebhook } from './schema';
import { parseTopic } from './topics';

const CONNECTION: Record<string, 'connected' | 'disconnected'> = {
  APP_CONNECT: 'connected',
  APP_DISCONNECT: 'disconnected',
};

/**
 * One canonical event per webhook. Clients, jobs and invoices also change their row, fetched from
 * Jobber's API here, outside the worker's transaction (not fetched when the event is older than the
 * row's or the row is deleted: `data.skipped`); APP_CONNECT/APP_DISCONNECT change the
 * account's state; every other topic (quotes, requests, visits, payments, …) is an event only.
 */
export async function normalizeJobber(payload: JobberWebhook, context: EventContext): Promise<Normalized<JobberChange['kind']>> {
  const { topic: topicName, accountId, itemId, occurredAt: occurred } = payload.data.webHookEvent;
  const occurredAt = new Date(occurred);
  const topic = parseTopic(topicName);
  const data = { accountId, itemId, topic: topicName };

  const state = CONNECTION[topicName];
  if (state) {
    return {
      events: [
        { type: topic.canonicalType, occurredAt, data, record: { kind: 'jobber_account', externalId: accountId, state, at: occurredAt } },
      ],
    };
  }
  if (!topic.family) return { events: [{ type: topic.canonicalType, occurredAt, data }] };

  const origin = { family: topic.family, accountId, itemId, occurredAt, eventId: context.id, topic: topicName };
  const { record, skipped } = topic.action === 'DESTROY' ? { record: destroyedChange(origin), skipped: undefined } : await webhookChange(context, origin);
  const summary = { ...data, syncStatus: record.syncStatus, ...(skipped ? { skipped } : {}) };
  return { events: [{ type: topic.canonicalType, occurredAt, data: summary, record }] };
}
