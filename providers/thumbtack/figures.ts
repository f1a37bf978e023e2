import { sql } from 'drizzle-orm';
import { queryRows, type DayCount, type Executor, type ProviderFigures } from '../../src/provider';

/** When the customer created the lead on Thumbtack; the row's own time when Thumbtack sent none. */
const createdAt = sql`coalesce(l.lead_created_at, l.created_at)`;

const createdSince = (since: Date) =>
  sql`l.provider = 'thumbtack' and ${createdAt} >= ${since.toISOString()}::timestamptz`;

/**
 * Leads per day, and how soon the business first answered each: its first message on the lead's
 * negotiation (messages.conversation_id) sent at or after the lead was created.
 */
export const thumbtackFigures: ProviderFigures = {
  async leadsPerDay(db: Executor, since: Date): Promise<DayCount[]> {
    const rows = await queryRows<{ day: string; n: string | number }>(
      db,
      sql`select to_char(${createdAt} at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as n
        from leads l where ${createdSince(since)} group by 1 order by 1`,
    );
    return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
  },

  async firstReplySeconds(db: Executor, since: Date): Promise<number[]> {
    const rows = await queryRows<{ seconds: string | number }>(
      db,
      sql`select extract(epoch from (r.first_at - ${createdAt})) as seconds
        from leads l cross join lateral (
          select min(coalesce(m.sent_at, m.created_at)) as first_at from messages m
          where m.provider = 'thumbtack' and m.conversation_id = l.external_id and m.direction = 'outbound'
            and coalesce(m.sent_at, m.created_at) >= ${createdAt}
        ) r
        where ${createdSince(since)} and r.first_at is not null`,
    );
    return rows.map((r) => Number(r.seconds));
  },
};
