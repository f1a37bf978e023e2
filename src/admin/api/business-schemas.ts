import { z } from 'zod';
import { BUSINESS_WINDOWS } from '../../figures/days';

export const businessQuerySchema = z.object({ window: z.enum(BUSINESS_WINDOWS).default('24h') }).strict();

const count = z.number().int().min(0);
const fraction = z.number().min(0).max(1).nullable();
const day = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d$/)
  .describe('a UTC day');
const perDay = <K extends string>(keys: readonly K[]) =>
  z.array(z.object({ day, ...(Object.fromEntries(keys.map((k) => [k, count])) as Record<K, typeof count>) }));

export const businessFiguresSchema = z
  .object({
    window: z.enum(BUSINESS_WINDOWS),
    sms: z.object({
      sent: count.describe('outbound text messages first known in the window'),
      delivered: count,
      undelivered: count,
      failed: count,
      deliveryRate: fraction.describe('delivered / (delivered + undelivered + failed)'),
      perDay: perDay(['sent', 'delivered', 'undelivered', 'failed']),
    }),
    email: z.object({
      sent: count,
      delivered: count,
      bounced: count,
      complained: count,
      opened: count.describe('emails first opened in the window (each once)'),
      clicked: count.describe('emails first clicked in the window (each once)'),
      deliveryRate: fraction.describe('delivered / sent'),
      openRate: fraction.describe('opened / delivered'),
      clickRate: fraction.describe('clicked / delivered'),
      bounceRate: fraction.describe('bounced / sent'),
      perDay: perDay(['sent', 'delivered', 'bounced', 'complained', 'opened', 'clicked']),
    }),
    leads: z.object({
      created: count,
      perDay: perDay(['created']),
      replied: count.describe('leads created in the window that the business has answered'),
      medianFirstReplySeconds: z.number().min(0).nullable().describe('from lead to first answer; null without one'),
    }),
  })
  .meta({ id: 'BusinessFigures' });
