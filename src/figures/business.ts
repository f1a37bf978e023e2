import type { Executor } from '../db/client';
import type { ProviderRegistry } from '../contract/provider';
import { rate, totalOf, windowStart, type BusinessWindow, type PerDay } from './days';
import { EMAIL_FIGURES, emailsPerDay, type EmailFigure } from './emails';
import { leadFigures, type LeadFigures } from './leads';
import { SMS_FIGURES, smsPerDay, type SmsFigure } from './messages';

/** The channel a provider's messages travel by when they are text messages. */
const SMS_CHANNEL = 'SMS';

/** What GET /admin/api/stats/business answers: the contract's keys, plus the window and the figures per day. */
export interface BusinessFigures {
  window: BusinessWindow;
  sms: Record<SmsFigure, number> & { deliveryRate: number | null; perDay: PerDay<SmsFigure> };
  email: Record<EmailFigure, number> & {
    deliveryRate: number | null;
    openRate: number | null;
    clickRate: number | null;
    bounceRate: number | null;
    perDay: PerDay<EmailFigure>;
  };
  leads: LeadFigures;
}

const totals = <F extends string>(perDay: PerDay<F>, figures: readonly F[]) =>
  Object.fromEntries(figures.map((f) => [f, totalOf(perDay, f)])) as Record<F, number>;

/**
 * SMS, email and lead figures over a window, each record counted by when it reached the figure
 * (see smsPerDay and emailsPerDay for the times used). Rates are fractions, null over nothing.
 */
export async function businessFigures(
  db: Executor,
  providers: ProviderRegistry,
  window: BusinessWindow,
  now = new Date(),
): Promise<BusinessFigures> {
  const since = windowStart(window, now);
  const smsProviders = Object.values(providers)
    .filter((p) => p.messageChannel === SMS_CHANNEL)
    .map((p) => p.name);
  const [smsDays, emailDays, leads] = await Promise.all([
    smsPerDay(db, smsProviders, since, now),
    emailsPerDay(db, since, now),
    leadFigures(db, providers, since, now),
  ]);
  const sms = totals(smsDays, SMS_FIGURES);
  const email = totals(emailDays, EMAIL_FIGURES);
  return {
    window,
    sms: {
      ...sms,
      deliveryRate: rate(sms.delivered, sms.delivered + sms.undelivered + sms.failed),
      perDay: smsDays,
    },
    email: {
      ...email,
      deliveryRate: rate(email.delivered, email.sent),
      openRate: rate(email.opened, email.delivered),
      clickRate: rate(email.clicked, email.delivered),
      bounceRate: rate(email.bounced, email.sent),
      perDay: emailDays,
    },
    leads,
  };
}
