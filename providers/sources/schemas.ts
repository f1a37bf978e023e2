import { z } from 'zod';
import { SOURCE_NAME } from './shown';
import { verificationInputSchema } from './verification';

/** A source's JSON Schema is published in the catalogue: kept small. */
export const SCHEMA_MAX_BYTES = 64 * 1024;

const name = z
  .string()
  .regex(SOURCE_NAME, 'a source name is 1 to 40 of a-z, 0-9 and -, e.g. "github" (it becomes the URL\'s last segment)')
  .describe('the source: its URL is /webhooks/sources/<name>');

const eventTypePath = z
  .string()
  .max(200)
  .regex(
    /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
    'a dot path into the JSON body, e.g. "action" or "event.type" (segments of A-Z, a-z, 0-9, _ and -)',
  )
  .describe('where the body names its event (`action`, `event.type`); absent: every event is `received`');

const dedupeHeader = z
  .string()
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name, e.g. X-GitHub-Delivery')
  .describe(
    'a header identifying a delivery across retries (a preset fills it in); absent: the SHA-256 of the body (Standard Webhooks: webhook-id)',
  );

const schema = z
  .record(z.string(), z.unknown())
  .refine((s) => Buffer.byteLength(JSON.stringify(s)) <= SCHEMA_MAX_BYTES, 'a schema is at most 64 KiB of JSON')
  .describe('a JSON Schema of `data.object`, shown in the catalogue (GET /admin/api/event-types)');

const description = z.string().max(500).describe('what the source is, for the console and the catalogue');
const enabled = z.boolean().describe('a disabled source answers 404, as if it did not exist');

export const sourceParamsSchema = z.object({ name }).strict();

export const createSourceBodySchema = z
  .object({
    name,
    verification: verificationInputSchema,
    eventTypePath: eventTypePath.optional(),
    dedupeHeader: dedupeHeader.optional(),
    description: description.optional(),
    schema: schema.optional(),
    enabled: enabled.default(true),
  })
  .strict();
export type CreateSourceBody = z.output<typeof createSourceBodySchema>;

export const updateSourceBodySchema = z
  .object({
    verification: verificationInputSchema.optional().describe('new verification and secrets (replacing the old)'),
    eventTypePath: eventTypePath.nullable().optional().describe('null clears it'),
    dedupeHeader: dedupeHeader.nullable().optional().describe('null clears it'),
    description: description.nullable().optional(),
    schema: schema.nullable().optional().describe('null clears it'),
    enabled: enabled.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: 'give at least one of verification, eventTypePath, dedupeHeader, description, schema, enabled',
  });
export type UpdateSourceBody = z.output<typeof updateSourceBodySchema>;

export const shownSourceSchema = z
  .object({
    name: z.string(),
    url: z.string().describe('where the sender posts: PUBLIC_BASE_URL + /webhooks/sources/<name>'),
    verification: z
      .object({ type: z.string() })
      .catchall(z.unknown())
      .describe('the kind and its parameters, never a secret'),
    secretCount: z.number().int().describe('how many secrets it accepts (more than one while rotating)'),
    eventTypePath: z.string().nullable(),
    dedupeHeader: z.string().nullable(),
    schema: z.record(z.string(), z.unknown()).nullable(),
    enabled: z.boolean(),
    description: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Source' });

export const changedSourceSchema = shownSourceSchema
  .extend({
    secret: z
      .string()
      .optional()
      .describe('the secret Hookport generated: shown this once, never again (store it in the sender now)'),
  })
  .meta({ id: 'ChangedSource' });

export const sourceListSchema = z.object({ sources: z.array(shownSourceSchema) });
