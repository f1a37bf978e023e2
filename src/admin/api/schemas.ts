import { z } from 'zod';
import { EVENT_STATUSES } from '../../db/tables/inbox';
import { STATS_WINDOWS } from '../../activity/provider-stats';

/**
 * The admin API's requests and answers. The router validates with these and the OpenAPI document
 * is generated from them, so the description cannot drift from what the server does.
 */

const isoTime = z.iso.datetime({ offset: true }).describe('an ISO 8601 time, e.g. 2026-12-01T00:00:00Z');
const nullableIso = z.iso.datetime({ offset: true }).nullable();

export const errorAnswerSchema = z
  .object({ error: z.string(), message: z.string().optional() })
  .meta({ id: 'Error', description: 'unauthorized, invalid_request, not_found, conflict, admin_not_configured' });

const filterFields = {
  provider: z.string().min(1).max(100).optional(),
  status: z.enum(EVENT_STATUSES).optional(),
  type: z.string().min(1).max(512).optional().describe('the event type as stored (e.g. email.delivered)'),
  since: isoTime.optional().describe('received at or after'),
  until: isoTime.optional().describe('received before'),
};

export const listEventsQuerySchema = z
  .object({
    ...filterFields,
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const eventIdParamsSchema = z.object({ id: z.uuid().describe('the inbox event id') }).strict();

export const eventSummarySchema = z
  .object({
    id: z.uuid(),
    provider: z.string(),
    eventType: z.string(),
    status: z.enum(EVENT_STATUSES),
    attempts: z.number().int(),
    dedupeKey: z.string(),
    receivedAt: z.iso.datetime({ offset: true }),
    processedAt: nullableIso,
    lastError: z.string().nullable(),
  })
  .meta({ id: 'EventSummary' });

export const eventPageSchema = z
  .object({ events: z.array(eventSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'EventPage' });

export const eventDetail = eventSummarySchema
  .extend({
    note: z.string().nullable(),
    requestPath: z
      .string()
      .nullable()
      .describe('the path and query the request came to, e.g. /webhooks/<provider>?ref=order-123'),
    headers: z.record(z.string(), z.string()).describe('as stored: credentials redacted'),
    body: z.string().optional().describe('the raw body, when it is valid UTF-8'),
    bodyBase64: z.string().optional().describe('the raw body in base64, when it is not valid UTF-8'),
    canonicalEvents: z.array(
      z.object({
        id: z.uuid(),
        type: z.string(),
        occurredAt: nullableIso,
        recordKind: z.string().nullable().describe('the table of the record it touched'),
        externalId: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'EventDetail' });

export const replayAcceptedSchema = z
  .object({ id: z.uuid(), status: z.literal('pending') })
  .meta({ id: 'ReplayAccepted' });

export const replayFilterBodySchema = z
  .object({ ...filterFields, dryRun: z.boolean().default(false) })
  .strict()
  .refine((f) => ['status', 'provider', 'type', 'since', 'until'].some((k) => f[k as keyof typeof f] !== undefined), {
    message: 'give at least one filter: status, provider, type, since or until',
  });

export const replayResultSchema = z
  .object({ matched: z.number().int(), replayed: z.number().int() })
  .meta({ id: 'ReplayResult' });

export const statsQuerySchema = z.object({ window: z.enum(STATS_WINDOWS).default('24h') }).strict();

const percentile = z.number().nullable();
export const statsReportSchema = z
  .object({
    window: z.enum(STATS_WINDOWS),
    providers: z.record(
      z.string(),
      z.object({
        received: z.number().int(),
        duplicates: z.number().int(),
        rejected: z.number().int().describe('401 answers'),
        byStatus: z
          .record(z.enum(EVENT_STATUSES), z.number().int())
          .describe(
            'worker outcomes in the window (processed, ignored, failed attempts, dead); pending and processing now',
          ),
        p50Ms: percentile,
        p95Ms: percentile,
        p99Ms: percentile,
      }),
    ),
  })
  .meta({ id: 'Stats' });
