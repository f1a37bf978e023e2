import { z } from 'zod';
import { DELIVERY_STATUSES, SIGNING_MODES, SUBSCRIPTION_KINDS, type SigningMode } from '../../db/tables/deliveries';
import { EVENT_TYPE_PATTERN } from '../../deliveries/matching';
import { secretProblem } from '../../deliveries/signing';
import type { Catalogue } from '../../events/catalogue';
import { FilterError, parseFilter, type EventFilter } from '../../events/filter';
import { testEvent } from '../../events/test-body';
import { unknownEventType, unknownEventTypeMessage } from '../../events/type-patterns';
import { STATS_WINDOWS } from '../../activity/provider-stats';

/** The subscription and delivery routes' requests and answers (validated and documented from these). */

const iso = z.iso.datetime({ offset: true });
const eventTypes = z
  .array(
    z
      .string()
      .min(1)
      .max(200)
      .regex(EVENT_TYPE_PATTERN, 'must be an event type (lead.created), a prefix (lead.*) or *'),
  )
  .min(1)
  .max(100)
  .describe('canonical event types; `*` takes every type, `prefix.*` every type under the prefix');
const url = z
  .string()
  .min(1)
  .max(2048)
  .describe(
    'an http(s) URL (https for kind slack: an incoming-webhook URL); refused (url_not_allowed) when not http(s) or on a non-public network',
  );
const description = z.string().max(1000).nullable();
/** A JSON object (not an array, not null): a filter, a test payload. */
const jsonObject = () => z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });
const filter = jsonObject().describe(
  "a content filter in Hookdeck's syntax, matched against the body when the delivery would be created: nested objects match nested fields, a plain value means equality; operators $eq, $neq, $in, $nin, $exist, $gt, $gte, $lt, $lte, $startsWith, $endsWith, $or, $and, $not",
);
const signing = z
  .enum(SIGNING_MODES)
  .describe(
    'standard-webhooks: webhook-id/-timestamp/-signature headers (Standard Webhooks); hmac-sha256: X-Webhook-Signature sha256=<hex>; hmac-sha256-hex: the bare hex',
  );
const ownSecret = z
  .string()
  .describe(
    'your own signing secret instead of a generated one: for standard-webhooks whsec_ + base64 of 24 to 64 bytes, for the HMAC modes 24 to 256 printable ASCII characters',
  );

export const subscriptionIdParamsSchema = z.object({ id: z.uuid().describe('the subscription id') }).strict();
export const deliveryIdParamsSchema = z.object({ id: z.uuid().describe('the delivery id') }).strict();

export const createSubscriptionBodySchema = z
  .object({
    url,
    eventTypes,
    kind: z
      .enum(SUBSCRIPTION_KINDS)
      .default('webhook')
      .describe('webhook: signed JSON (see signing); slack: a Slack message, not signed'),
    description: description.optional().transform((v) => v ?? null),
    signing: signing.optional().describe('how deliveries are signed (webhook kind; default standard-webhooks)'),
    secret: ownSecret.optional(),
    filter: filter
      .nullable()
      .optional()
      .describe('only events whose body matches get a delivery (null or absent: every event of its types)'),
  })
  .strict();

export const updateSubscriptionBodySchema = z
  .object({
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    enabled: z.boolean().optional(),
    description: description.optional(),
    filter: filter
      .nullable()
      .optional()
      .describe('an object replaces the filter; null removes it (every event of its types is delivered)'),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give at least one of url, eventTypes, enabled, description, filter',
  });

export const rotateSecretBodySchema = z.object({ secret: ownSecret.optional() }).strict();

export const testSendBodySchema = z
  .object({
    eventType: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('a catalogue type (GET /admin/api/event-types); default webhook.test'),
    payload: jsonObject().optional().describe("the event's data.object (default: the catalogue example's)"),
  })
  .strict();

export const subscriptionViewSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(SUBSCRIPTION_KINDS),
    url: z
      .string()
      .describe(
        'a webhook URL whole; a Slack URL (a credential) masked to its scheme, host and last 4 characters, except in the answer to the POST or PATCH that set it',
      ),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    description: z.string().nullable(),
    signing: signing.nullable().describe('how deliveries are signed; null for Slack (not signed)'),
    filter: z.record(z.string(), z.unknown()).nullable().describe('the content filter; null: every event of its types'),
    previousSecretExpiresAt: iso
      .nullable()
      .describe('while set, deliveries are also signed with the previous secret (standard-webhooks only)'),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'Subscription' });

export const createdSubscription = subscriptionViewSchema
  .extend({
    secret: z
      .string()
      .nullable()
      .describe(
        'the signing secret (whsec_… for standard-webhooks); shown here and at GET …/secret only; null for Slack',
      ),
  })
  .meta({ id: 'CreatedSubscription' });

export const subscriptionListSchema = z
  .object({ subscriptions: z.array(subscriptionViewSchema) })
  .meta({ id: 'SubscriptionList' });

export const subscriptionSecretSchema = z
  .object({
    secret: z.string().nullable(),
    previousSecret: z.string().nullable().describe('still signed with until previousSecretExpiresAt'),
    previousSecretExpiresAt: iso.nullable(),
  })
  .meta({ id: 'SubscriptionSecret' });

export const rotatedSecretSchema = z
  .object({
    secret: z.string(),
    previousSecretExpiresAt: iso
      .nullable()
      .describe(
        'standard-webhooks: until when deliveries also carry a signature with the old secret; null in the HMAC modes, where the new secret signs alone at once',
      ),
  })
  .meta({ id: 'RotatedSecret' });

export const listDeliveriesQuerySchema = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const deliveryViewSchema = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    canonicalEventId: z.uuid().describe('sent as webhook-id'),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: iso
      .nullable()
      .describe('the next retry; null when finished, in flight, or waiting for its subscription to be enabled'),
    responseStatus: z.number().int().nullable(),
    responseBody: z.string().nullable().describe('the first 1 KiB of the last answer'),
    durationMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: iso,
    deliveredAt: iso.nullable(),
    test: z.boolean().describe('a test send (POST …/:id/test): it has no canonical event and is not retried'),
  })
  .meta({ id: 'Delivery' });

export const deliveryPageSchema = z
  .object({ deliveries: z.array(deliveryViewSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'DeliveryPage' });

export const retryQueuedSchema = z
  .object({ id: z.uuid(), status: z.literal('pending') })
  .meta({ id: 'DeliveryRetryQueued' });

export const testSendResultSchema = z
  .object({
    deliveryId: z.uuid(),
    status: z.enum(DELIVERY_STATUSES),
    responseStatus: z.number().int().nullable(),
    durationMs: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'TestSendResult' });

export const subscriptionStatsQuerySchema = z.object({ window: z.enum(STATS_WINDOWS).default('24h') }).strict();

export const subscriptionStatsSchema = z
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

/**
 * What a create or a change asks that the zod schemas cannot judge: event types the catalogue does
 * not have, a filter that is not Hookdeck's syntax, a secret that cannot sign in its mode, a signing
 * option on a Slack subscription. The admin API answers it as is; the console and the CLI show it.
 * `message` never repeats a secret.
 */
export interface SubscriptionRefusal {
  error: 'invalid_request' | 'unknown_event_type';
  /** The field at fault, as the API names it. */
  field: 'eventTypes' | 'filter' | 'secret' | 'signing';
  /** What is wrong, without the field's name (the API prefixes `body: <field>: `, the console the field's label). */
  problem: string;
}

/** The admin API's 400 body for a refusal (unknown_event_type's message is type-patterns' own). */
export const refusalAnswer = (r: SubscriptionRefusal): { error: SubscriptionRefusal['error']; message: string } => ({
  error: r.error,
  message:
    r.error === 'unknown_event_type'
      ? r.problem
      : r.field === 'filter'
        ? `body: ${r.problem}`
        : `body: ${r.field}: ${r.problem}`,
});

/** Each entry a catalogue type, `*`, or a `prefix.*` matching one (contract: "Subscriptions, continued"). */
export function eventTypesRefusal(
  catalogue: Catalogue,
  patterns: readonly string[] | undefined,
): SubscriptionRefusal | undefined {
  const unknown = patterns === undefined ? null : unknownEventType(catalogue, patterns);
  return unknown
    ? { error: 'unknown_event_type', field: 'eventTypes', problem: unknownEventTypeMessage(unknown) }
    : undefined;
}

/** A filter as given (an object, null to clear, undefined to leave alone), checked and normalized. */
export function checkedFilter(
  input: Record<string, unknown> | null | undefined,
): { filter: EventFilter | null | undefined } | SubscriptionRefusal {
  if (input === undefined || input === null) return { filter: input };
  try {
    return { filter: parseFilter(input) };
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    // The module's messages name the place: `filter.data.object.status.$in: must be …`.
    return {
      error: 'invalid_request',
      field: 'filter',
      problem: err.message.startsWith('filter') ? err.message : `filter: ${err.message}`,
    };
  }
}

/** A caller's own secret for a mode: why it cannot sign (never repeating it), or undefined when it can. */
export function secretRefusal(mode: SigningMode, secret: string | undefined): SubscriptionRefusal | undefined {
  const problem = secret === undefined ? null : secretProblem(mode, secret);
  return problem === null ? undefined : { error: 'invalid_request', field: 'secret', problem };
}

export const isRefusal = (v: object): v is SubscriptionRefusal => 'problem' in v && 'field' in v;

/**
 * A create, checked beyond its schema: a Slack subscription takes no signing option, the types are
 * the catalogue's, the filter parses, the secret can sign in the mode. The filter normalized.
 */
export function checkNewSubscription(
  catalogue: Catalogue,
  body: Pick<z.output<typeof createSubscriptionBodySchema>, 'kind' | 'eventTypes' | 'signing' | 'secret' | 'filter'>,
): { filter: EventFilter | null; signing: SigningMode } | SubscriptionRefusal {
  if (body.kind === 'slack' && (body.secret !== undefined || body.signing !== undefined)) {
    return {
      error: 'invalid_request',
      field: body.secret !== undefined ? 'secret' : 'signing',
      problem: 'Slack subscriptions are not signed: give no signing mode or secret',
    };
  }
  const types = eventTypesRefusal(catalogue, body.eventTypes);
  if (types) return types;
  const filter = checkedFilter(body.filter);
  if (isRefusal(filter)) return filter;
  const signing = body.signing ?? 'standard-webhooks';
  return secretRefusal(signing, body.secret) ?? { filter: filter.filter ?? null, signing };
}

/**
 * The test event to send, or why there is none: a test send takes one catalogue type (not a
 * pattern), default webhook.test, with the caller's payload as data.object when given.
 */
export function testEventOf(
  catalogue: Catalogue,
  body: { eventType?: string | undefined; payload?: Record<string, unknown> | undefined },
) {
  const type = body.eventType ?? 'webhook.test';
  const test = testEvent(catalogue, type, body.payload);
  if (test) return test;
  const unknown = unknownEventType(catalogue, [type]);
  const message = unknown
    ? unknownEventTypeMessage(unknown)
    : `"${type}" is a pattern; a test send takes one event type, e.g. ${catalogue.entries.find((e) => type === '*' || e.type.startsWith(type.slice(0, -1)))?.type ?? 'webhook.test'} (GET /admin/api/event-types lists them all)`;
  return { error: 'unknown_event_type' as const, message };
}
