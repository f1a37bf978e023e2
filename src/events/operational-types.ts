import { z } from 'zod';
import { SUBSCRIPTION_KINDS } from '../db/tables/deliveries';
import type { EventTypeDefinition } from './event-type';

/**
 * Hookport's operational events (as Svix's operational webhooks): something broke, told through
 * the same catalogue, bodies and deliveries as every other event. None is ever emitted about a
 * delivery of one of them (see src/operational/), so they cannot loop.
 */

export const OPERATIONAL_PREFIX = 'hookport.';

export const OPERATIONAL_TYPES = {
  subscriptionDisabled: 'hookport.subscription.disabled',
  deliveryDead: 'hookport.delivery.dead',
  deliveryFailing: 'hookport.delivery.failing',
  eventDead: 'hookport.event.dead',
} as const;

/** Whether a type is one of Hookport's operational events (nothing is emitted about their deliveries). */
export const isOperational = (type: string): boolean => type.startsWith(OPERATIONAL_PREFIX);

const time = z.iso.datetime({ offset: true });
const EXAMPLE_SUBSCRIPTION_ID = '3d9a7c1e-52b4-4f0e-8a6d-0c1b2e3f4a5b';
const EXAMPLE_DELIVERY_ID = '8c2f4e6a-1b3d-4c5e-9f7a-2b4c6d8e0f1a';

export const subscriptionObjectSchema = z.strictObject({
  id: z.uuid(),
  kind: z.enum(SUBSCRIPTION_KINDS),
  url: z
    .string()
    .describe('Where it sends, shown safely: no user info, query or fragment; a Slack URL by its shape only.'),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: time.nullable().describe('Since when every attempt has failed (null after a success).'),
});

export type SubscriptionObject = z.infer<typeof subscriptionObjectSchema>;

const subscriptionExample = (enabled: boolean): SubscriptionObject => ({
  id: EXAMPLE_SUBSCRIPTION_ID,
  kind: 'webhook',
  url: 'https://crm.acme-plumbing.example/hooks/hookport?…',
  description: 'CRM sync',
  eventTypes: ['lead.*', 'message.*'],
  enabled,
  disabledReason: enabled ? null : 'every delivery failed for longer than DELIVERY_DISABLE_AFTER (120 h)',
  failingSince: '2026-12-01T19:00:52.000Z',
});

const reason = z.string().describe('What happened, for people (also what Slack shows).');

const subscriptionFields = {
  schema: z.object({
    reason,
    deliveryId: z.uuid().describe('The delivery whose failure caused it.'),
  }),
};

export const deliveryObjectSchema = z.strictObject({
  id: z.uuid(),
  subscriptionId: z.uuid(),
  canonicalEventId: z.uuid().describe('The event it carried (GET /admin/api/canonical-events/:id).'),
  eventType: z.string(),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable().describe("The receiver's last answer; null when there was none."),
  lastError: z.string().nullable(),
  createdAt: time,
});

export const inboxObjectSchema = z.strictObject({
  id: z.uuid().describe('The inbox row (GET /admin/api/events/:id); replay it once the cause is fixed.'),
  provider: z.string(),
  eventType: z.string().describe('The type the provider gave it when it was received.'),
  attempts: z.number().int(),
  receivedAt: time,
});

export const operationalEventTypes: EventTypeDefinition[] = [
  {
    type: OPERATIONAL_TYPES.subscriptionDisabled,
    description:
      'A subscription was disabled because its receiver answered 410 Gone (Slack: the webhook was removed or its channel archived), or because every delivery failed for longer than DELIVERY_DISABLE_AFTER. Its deliveries wait until it is enabled again. Sent even when the failing delivery carried a hookport.* event. `data.source.inboundEventId` is that delivery.',
    recordKind: null,
    object: { schema: subscriptionObjectSchema, example: subscriptionExample(false) },
    fields: {
      ...subscriptionFields,
      example: {
        reason: 'every delivery failed for longer than DELIVERY_DISABLE_AFTER (120 h)',
        deliveryId: EXAMPLE_DELIVERY_ID,
      },
    },
  },
  {
    type: OPERATIONAL_TYPES.deliveryDead,
    description:
      'A delivery used its last attempt (DELIVERY_RETRY_SCHEDULE) without a 2xx and will not be retried; replay it from the console or POST /admin/api/deliveries/:id/retry. Never sent about a delivery of a hookport.* event. `data.source.inboundEventId` is the delivery.',
    recordKind: null,
    object: {
      schema: deliveryObjectSchema,
      example: {
        id: EXAMPLE_DELIVERY_ID,
        subscriptionId: EXAMPLE_SUBSCRIPTION_ID,
        canonicalEventId: '0b6f1c7e-3f7d-4a52-9f1e-2a4d6c8e0f13',
        eventType: 'lead.created',
        attempts: 9,
        lastStatus: 503,
        lastError: 'the receiver answered 503',
        createdAt: '2026-12-05T19:00:52.000Z',
      },
    },
    fields: { schema: z.object({ reason }), example: { reason: 'no retry left: the receiver answered 503' } },
  },
  {
    type: OPERATIONAL_TYPES.deliveryFailing,
    description:
      "Most of a subscription's recent attempts fail: at least 5 attempts in the last 15 minutes, at least half of them failed. Sent at most once an hour per subscription; its deliveries are still retried. Attempts of hookport.* events are not counted. `data.source.inboundEventId` is the delivery whose failure crossed the threshold.",
    recordKind: null,
    object: { schema: subscriptionObjectSchema, example: subscriptionExample(true) },
    fields: {
      schema: z.object({
        reason,
        deliveryId: z.uuid().describe('The delivery whose failure crossed the threshold.'),
        recent: z
          .strictObject({ minutes: z.number().int(), attempted: z.number().int(), failed: z.number().int() })
          .describe('The attempts counted: deliveries attempted in the last `minutes`, by their latest outcome.'),
      }),
      example: {
        reason: '6 of 8 deliveries attempted in the last 15 minutes failed',
        deliveryId: EXAMPLE_DELIVERY_ID,
        recent: { minutes: 15, attempted: 8, failed: 6 },
      },
    },
  },
  {
    type: OPERATIONAL_TYPES.eventDead,
    description:
      'An inbox event was dead-lettered: its payload cannot be applied (invalid), it failed on every attempt (WORKER_MAX_ATTEMPTS), or its worker stopped while processing it on its last attempt. Replay it once the cause is fixed. `data.source.inboundEventId` is the inbox row.',
    recordKind: null,
    object: {
      schema: inboxObjectSchema,
      example: {
        id: '5f0c2a9e-8d1b-4c3e-9a7f-1b2c3d4e5f60',
        provider: 'provider',
        eventType: 'email.sent',
        attempts: 1,
        receivedAt: '2026-12-06T19:00:51.000Z',
      },
    },
    fields: {
      schema: z.object({ reason }),
      example: { reason: 'invalid payload: data.email_id: expected string, received undefined' },
    },
  },
];
