import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { countPerDay, type PerDay } from './days';

export const SMS_FIGURES = ['sent', 'delivered', 'undelivered', 'failed'] as const;
export type SmsFigure = (typeof SMS_FIGURES)[number];

/**
 * Outbound messages of the given providers, per day. A message has no time per status, so: sent
 * when first known (the provider's send time, else when Hookport first stored it); delivered
 * (or read), undelivered and failed at the row's last change, which is the callback that set
 * that final status.
 */
export function smsPerDay(
  db: Executor,
  providers: readonly string[],
  since: Date,
  now: Date,
): Promise<PerDay<SmsFigure>> {
  const reached = sql`select f.figure, f.t from messages m cross join lateral (values
      ('sent', coalesce(m.sent_at, m.created_at)),
      ('delivered', case when m.status in ('delivered', 'read') then m.updated_at end),
      ('undelivered', case when m.status = 'undelivered' then m.updated_at end),
      ('failed', case when m.status = 'failed' then m.updated_at end)
    ) f(figure, t)
    where m.direction = 'outbound' and m.provider in (${sql.join(
      providers.map((p) => sql`${p}`),
      sql`, `,
    )})`;
  // No SMS provider installed: every day is zero (and `in ()` is no SQL).
  return countPerDay(
    db,
    SMS_FIGURES,
    providers.length > 0 ? reached : sql`select null::text as figure, null::timestamptz as t where false`,
    since,
    now,
  );
}
