import { z } from 'zod';
import { isoDateTime } from '../../../src/provider';

/**
 * Jobber's webhook body. Apps created before 2023-12-08 receive the misspelled `occuredAt`; either
 * key is accepted and the result always has `occurredAt`.
 */
export const jobberWebhookSchema = z.object({
  data: z.object({
    webHookEvent: z
      .looseObject({
        topic: z.string().min(1),
        appId: z.string().optional(),
        accountId: z.string().min(1),
        itemId: z.string().min(1),
        occurredAt: isoDateTime.optional(),
        occuredAt: isoDateTime.optional(),
      })
      .refine((e) => e.occurredAt !== undefined || e.occuredAt !== undefined, {
        message: 'occurredAt (or the legacy occuredAt) is required',
        path: ['occurredAt'],
      })
      .transform(({ occuredAt, ...e }) => ({ ...e, occurredAt: (e.occurredAt ?? occuredAt)! })),
  }),
});

export type JobberWebhook = z.infer<typeof jobberWebhookSchema>;
export type JobberWebhookEvent = JobberWebhook['data']['webHookEvent'];
