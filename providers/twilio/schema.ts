import { z } from 'zod';

/** The fields Hookport reads from a messaging webhook; Twilio adds fields without notice, so extra ones pass. */
export const twilioMessageSchema = z.looseObject({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'MessageSid must be SM… or MM… followed by 32 hex digits'),
  AccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'AccountSid must be AC… followed by 32 hex digits'),
  MessagingServiceSid: z.string().optional(),
  From: z.string().optional(),
  To: z.string().optional(),
  Body: z.string().optional(),
  NumMedia: z.string().regex(/^\d+$/).optional(),
  NumSegments: z.string().regex(/^\d+$/).optional(),
  MessageStatus: z.string().optional(),
  SmsStatus: z.string().optional(),
  ErrorCode: z.string().optional(),
  ErrorMessage: z.string().optional(),
  /** Advanced Opt-Out: STOP, START or HELP when Twilio matched a keyword in an inbound message. */
  OptOutType: z.string().optional(),
});

export type TwilioMessage = z.infer<typeof twilioMessageSchema> & Record<string, unknown>;
