import { z } from 'zod';
import { DELIVERY_STATUSES, SUBSCRIPTION_KINDS } from '../../db/tables/deliveries';
import { EVENT_TYPE_PATTERN } from '../../deliveries/matching';
import { STATS_WINDOWS } from '../stats';

/** The subscription and delivery routes' requests and answers (validated and documented from these). */

const iso = z.iso.datetime({ offset: true });
const eventTypes = z
  .array(z.string().min(1).max(200).regex(EVENT_TYPE_PATTERN, 'must be an event type (lead.created), a prefix (lead.*) or *'))
  .min(1)
  .max(100)
  .describe('canonical event types; `*` takes every type, `prefix.*` every type under the prefix');
const url = z.string().min(1).max(2048).describe('an http(s) URL (https for kind slack: an incoming-webhook URL); refused (url_not_allowed) when not http(s) or on a non-public network');
const description = z.string().max(1000).nullable();

export const subscriptionIdParams = z.object({ id: z.uuid().describe('the subscription id') }).strict();
export const deliveryIdParams = z.object({ id: z.uuid().describe('the delivery id') }).strict();

export const createSubscriptionBody = z
  .object({
    url,
    eventTypes,
    kind: z.enum(SUBSCRIPTION_KINDS).default('webhook').describe('webhook: signed JSON (Standard Webhooks); slack: a Slack message, not signed'),
    description: description.optional().transform((v) => v ?? null),
  })
  .strict();

export const updateSubscriptionBody = z
  .object({ url: url.optional(), eventTypes: eventTypes.optional(), enabled: z.boolean().optional(), description: description.optional() })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of url, eventTypes, enabled, description' });

export const subscriptionView = z
  .object({
    id: z.uuid(),
    kind: z.enum(SUBSCRIPTION_KINDS),
    url: z
      .string()
      .describe('a webhook URL whole; a Slack URL (a credential) masked to its scheme, host and last 4 characters, except in the answer to the POST or PATCH that set it'),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    description: z.string().nullable(),
    previousSecretExpiresAt: iso.nullable().describe('while set, deliveries are also signed with the previous secret'),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'Subscription' });

export const createdSubscription = subscriptionView
  .extend({ secret: z.string().nullable().describe('the signing secret (whsec_…); shown here and at GET …/secret only; null for Slack') })
  .meta({ id: 'CreatedSubscription' });

export const subscriptionList = z.object({ subscriptions: z.array(subscriptionView) }).meta({ id: 'SubscriptionList' });

export const subscriptionSecret = z
  .object({
    secret: z.string().nullable(),
    previousSecret: z.string().nullable().describe('still signed with until previousSecretExpiresAt'),
    previousSecretExpiresAt: iso.nullable(),
  })
  .meta({ id: 'SubscriptionSecret' });

export const rotatedSecret = z.object({ secret: z.string(), previousSecretExpiresAt: iso }).meta({ id: 'RotatedSecret' });

export const listDeliveriesQuery = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const deliveryView = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    canonicalEventId: z.uuid().describe('sent as webhook-id'),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: iso.nullable().describe('the next retry; null when finished, in flight, or waiting for its subscription to be enabled'),
    responseStatus: z.number().int().nullable(),
    responseBody: z.string().nullable().describe('the first 1 KiB of the last answer'),
    durationMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: iso,
    deliveredAt: iso.nullable(),
  })
  .meta({ id: 'Delivery' });

export const deliveryPage = z
  .object({ deliveries: z.array(deliveryView), nextCursor: z.string().nullable() })
  .meta({ id: 'DeliveryPage' });

export const retryQueued = z.object({ id: z.uuid(), status: z.literal('pending') }).meta({ id: 'DeliveryRetryQueued' });

export const testSendResult = z
  .object({
    deliveryId: z.uuid(),
    status: z.enum(DELIVERY_STATUSES),
    responseStatus: z.number().int().nullable(),
    durationMs: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'TestSendResult' });

export const subscriptionStatsQuery = z.object({ window: z.enum(STATS_WINDOWS).default('24h') }).strict();

export const subscriptionStats = z
  .object({
    window: z.enum(STATS_WINDOWS),
    attempted: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int().describe('failed attempts, dead ones included'),
    successRate: z.number().nullable().describe('succeeded / attempted; null when nothing was attempted'),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
  })
  .meta({ id: 'SubscriptionStats' });
