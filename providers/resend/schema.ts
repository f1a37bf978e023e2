import { z } from 'zod';
import { isoDateTime } from '../../src/provider';

const address = z.string();

/** Resend documents tags as an object; its body parameters and ingester use an array of {name, value}. */
const tags = z
  .union([z.array(z.object({ name: z.string(), value: z.string() })), z.record(z.string(), z.string())])
  .optional();

export const emailDataSchema = z.looseObject({
  email_id: z.string().min(1),
  message_id: z.string().optional(),
  created_at: isoDateTime.optional(),
  from: address.optional(),
  to: z.union([z.array(address), address]).optional(),
  subject: z.string().optional(),
  tags,
  bounce: z
    .looseObject({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() })
    .optional(),
  click: z.looseObject({ link: z.string().optional(), timestamp: isoDateTime.optional() }).optional(),
  failed: z.looseObject({ reason: z.string().optional() }).optional(),
  suppressed: z.looseObject({ message: z.string().optional(), type: z.string().optional() }).optional(),
});

export const resendEventSchema = z.object({
  type: z.string().min(1),
  created_at: isoDateTime,
  data: z.looseObject({}),
});

export type ResendEvent = z.infer<typeof resendEventSchema>;
export type EmailData = z.infer<typeof emailDataSchema>;
