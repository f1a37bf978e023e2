import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../db/tables/deliveries';

/**
 * The requests and answers of the event catalogue (`/event-types`) and the pull API
 * (`/canonical-events`): validated by the router, described by the OpenAPI document.
 */

const jsonObject = z.record(z.string(), z.unknown());

export const eventTypeParamsSchema = z
  .object({ type: z.string().min(1).max(512).describe('an event type, e.g. message.received') })
  .strict();

export const eventTypeEntrySchema = z
  .object({
    type: z.string().describe('e.g. message.received'),
    description: z.string().describe('when it is sent and what it means'),
    provider: z
      .string()
      .describe('the provider that emits it; hookport for its own types and for types several providers emit'),
    providers: z.array(z.string()).describe('every provider that emits it (empty for Hookport’s own)'),
    recordKind: z
      .string()
      .nullable()
      .describe('the record kind (table) whose row is data.object; null for a type with no table'),
    schema: jsonObject.describe('JSON Schema (draft 2020-12) of the whole body a delivery carries'),
    example: jsonObject.describe('a whole body that validates against schema'),
  })
  .meta({ id: 'EventType' });

export const eventTypeListSchema = z
  .object({ eventTypes: z.array(eventTypeEntrySchema).describe('sorted by type') })
  .meta({ id: 'EventTypeList' });

const TYPE_PATTERN = /^(\*|[^*]+)$/;

export const listCanonicalEventsQuerySchema = z
  .object({
    type: z
      .string()
      .min(1)
      .max(512)
      .refine((t) => TYPE_PATTERN.test(t) || (t.endsWith('.*') && TYPE_PATTERN.test(t.slice(0, -2))), {
        message: 'give an event type (message.received), a prefix.* (message.*) or *',
      })
      .optional()
      .describe('an exact type (message.received), a prefix (message.*), or * for every type'),
    since: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('created at or after this ISO 8601 time, e.g. 2026-12-01T00:00:00Z'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const canonicalEventParamsSchema = z
  .object({ id: z.uuid().describe('the canonical event id (the webhook-id of its deliveries)') })
  .strict();

const eventBody = z
  .looseObject({ type: z.string(), timestamp: z.string(), data: jsonObject })
  .describe(
    'exactly the body a delivery of it carries; its schema is its type’s (GET /event-types/{type}, or this document’s webhooks)',
  );

export const canonicalEventItemSchema = z
  .object({
    id: z.uuid().describe('also the webhook-id header of its deliveries'),
    type: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    body: eventBody,
  })
  .meta({ id: 'CanonicalEvent' });

export const canonicalEventPageSchema = z
  .object({
    canonicalEvents: z.array(canonicalEventItemSchema).describe('newest first'),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'CanonicalEventPage' });

export const canonicalEventDetail = canonicalEventItemSchema
  .extend({
    deliveries: z.array(
      z.object({
        id: z.uuid(),
        subscriptionId: z.uuid(),
        status: z.enum(DELIVERY_STATUSES),
        attempts: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'CanonicalEventDetail' });
