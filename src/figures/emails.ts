import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { countPerDay, type PerDay } from './days';

export const EMAIL_FIGURES = ['sent', 'delivered', 'bounced', 'complained', 'opened', 'clicked'] as const;
export type EmailFigure = (typeof EMAIL_FIGURES)[number];

/**
 * Sent emails per day, each figure by when the email reached it: sent at its send time (not while
 * still scheduled); opened and clicked at the first open and click; complained at the complaint;
 * bounced at the bounce (a final status, so the status time). Delivered has no column of its own:
 * the status time while `delivered` is the status, else (opened, clicked or complained since,
 * all of which mean it arrived) the send time, seconds before the delivery.
 */
export function emailsPerDay(db: Executor, since: Date, now: Date): Promise<PerDay<EmailFigure>> {
  const arrived = sql`(e.status in ('delivered', 'opened', 'clicked', 'complained')
    or e.first_opened_at is not null or e.first_clicked_at is not null)`;
  const sentAt = sql`coalesce(e.sent_at, e.created_at)`;
  return countPerDay(
    db,
    EMAIL_FIGURES,
    sql`select f.figure, f.t from emails e cross join lateral (values
        ('sent', case when e.status is distinct from 'scheduled' then ${sentAt} end),
        ('delivered', case when ${arrived} then
          coalesce(case when e.status = 'delivered' then e.status_at end, ${sentAt}) end),
        ('bounced', case when e.status = 'bounced' then coalesce(e.status_at, e.updated_at) end),
        ('complained', coalesce(e.complained_at, case when e.status = 'complained' then e.status_at end)),
        ('opened', e.first_opened_at),
        ('clicked', e.first_clicked_at)
      ) f(figure, t)
      where e.direction = 'outbound'`,
    since,
    now,
  );
}
