import { z } from 'zod';

/** Where an event came from: `data.source`. */
export interface EventSource {
  provider: string;
  /** The inbox row (`webhook_events.id`) it was normalized from; null for a test send. */
  inboundEventId: string | null;
  /** When that row was received; null for a test send. */
  receivedAt: string | null;
}

/** What every delivery carries (Standard Webhooks mode): written once, when the event is created. */
export interface EventBody {
  type: string;
  timestamp: string;
  data: {
    object: Record<string, unknown>;
    previous?: Record<string, unknown>;
    source: EventSource;
    [field: string]: unknown;
  };
}

/** The keys of `data` that every body has; a type's own fields never take them. */
const RESERVED = new Set(['object', 'previous', 'source']);

export interface BodyParts {
  type: string;
  at: Date;
  object: Record<string, unknown>;
  previous?: Record<string, unknown> | undefined;
  source: EventSource;
  /** Type-specific fields, beside object, previous and source. */
  fields?: Readonly<Record<string, unknown>> | null | undefined;
}

/** An event's body: `{"type","timestamp","data":{"object","previous"?,"source",…fields}}`, in that key order. */
export function eventBody(parts: BodyParts): EventBody {
  const data: EventBody['data'] = {
    object: parts.object,
    ...(parts.previous ? { previous: parts.previous } : {}),
    source: parts.source,
  };
  for (const [key, value] of Object.entries(parts.fields ?? {})) {
    if (!RESERVED.has(key) && value !== undefined) data[key] = value;
  }
  return { type: parts.type, timestamp: parts.at.toISOString(), data };
}

export const sourceSchema = z
  .object({
    provider: z.string().describe('The provider the event came from (Hookport itself for a test send).'),
    inboundEventId: z
      .uuid()
      .nullable()
      .describe('The inbox row (webhook_events.id) it was normalized from; null for a test send.'),
    receivedAt: z.iso.datetime({ offset: true }).nullable().describe('When that inbox row was received.'),
  })
  .describe('Where the event came from.');

export interface BodySchemaParts {
  type: string;
  object: z.ZodObject;
  /** Whether `data.previous` may appear: a change to a record that already existed. */
  previous: boolean;
  fields?: z.ZodObject | undefined;
}

/** The JSON Schema source of a type's whole body; the same parts eventBody writes. */
export function bodySchema(parts: BodySchemaParts): z.ZodObject {
  const data = z.strictObject({
    object: parts.object.describe(
      'The record as its table holds it just after this event (for a type with no table, the fields the provider sent).',
    ),
    ...(parts.previous
      ? {
          previous: parts.object
            .partial()
            .describe('The earlier values of exactly the fields this event changed; absent when it created the record.')
            .optional(),
        }
      : {}),
    source: sourceSchema,
    ...(parts.fields?.shape ?? {}),
  });
  // A family (`source.github.*`) stands for every type under its prefix.
  const type = parts.type.endsWith('.*')
    ? z
        .string()
        .regex(new RegExp(`^${parts.type.slice(0, -1).replaceAll('.', '\\.')}[a-z0-9_.]+$`))
        .describe(`A type under ${parts.type.slice(0, -1)}`)
    : z.literal(parts.type);
  return z.strictObject({
    type,
    timestamp: z.iso.datetime({ offset: true }).describe('When the event happened (ISO 8601).'),
    data,
  });
}

/**
 * The body of an event written before bodies were stored (migration 0011): `{"type","timestamp","data"}`
 * with its old summary as data. Deliveries and the pull API answer such rows alike.
 */
export const legacyBody = (
  type: string,
  at: Date,
  data: Record<string, unknown> | null,
): { type: string; timestamp: string; data: Record<string, unknown> } => ({
  type,
  timestamp: at.toISOString(),
  data: data ?? {},
});
