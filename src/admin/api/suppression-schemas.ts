import { z } from 'zod';
import { SUPPRESSION_CHANNELS, SUPPRESSION_REASONS } from '../../db/tables/suppressions';

const isoTime = z.iso.datetime({ offset: true });

export const suppressionsQuerySchema = z
  .object({
    channel: z.enum(SUPPRESSION_CHANNELS).optional(),
    address: z
      .string()
      .min(1)
      .max(320)
      .optional()
      .describe('with channel: look this address up (any common form: +1 (415) 555-0100, Bob@Example.com)'),
    state: z
      .enum(['suppressed', 'all'])
      .default('suppressed')
      .describe('the list: suppressed ones only (default), or lifted ones too'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(2000).optional().describe('nextCursor of the previous page'),
  })
  .strict()
  .refine((q) => q.address === undefined || q.channel !== undefined, {
    message: 'address needs channel (email or sms)',
    path: ['channel'],
  });

const suppressionFacts = {
  reason: z
    .enum(SUPPRESSION_REASONS)
    .nullable()
    .describe('why it was (last) suppressed; null if it was only ever opted in'),
  provider: z.string().describe('who reported the current state'),
  since: isoTime.nullable().describe('when the current (or last) suppression began'),
  liftedAt: isoTime.nullable().describe('when it was lifted; null while suppressed'),
  stateAt: isoTime.describe('the time of the latest fact applied'),
  eventId: z.uuid().nullable().describe('the inbox event that set the current state'),
  detail: z.string().nullable().describe('a short reason: the bounce message, the keyword'),
};

export const suppressionEntrySchema = z
  .object({ channel: z.enum(SUPPRESSION_CHANNELS), address: z.string(), suppressed: z.boolean(), ...suppressionFacts })
  .meta({ id: 'Suppression' });

export const suppressionLookupSchema = z
  .object({
    channel: z.enum(SUPPRESSION_CHANNELS),
    address: z.string().describe('normalized'),
    mayMessage: z.boolean(),
    suppression: z.object(suppressionFacts).nullable().describe('null when Hookport never heard of the address'),
  })
  .meta({ id: 'SuppressionLookup' });

export const suppressionPageSchema = z
  .object({ suppressions: z.array(suppressionEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SuppressionPage' });
