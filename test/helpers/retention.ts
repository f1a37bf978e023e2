import { sql } from 'drizzle-orm';
import type { Harness } from './harness';

/** `count` inbox rows of one status, received `ageDays` days ago (by the database's clock), plus i seconds. */
export async function insertAgedEvents(
  h: Pick<Harness, 'rows'>,
  status: string,
  count: number,
  ageDays: number,
  prefix = status,
) {
  await h.rows(sql`
    insert into webhook_events (provider, event_type, dedupe_key, status, headers, body, received_at)
    select 'resend', 'email.delivered', ${prefix} || '-' || i, ${status}, '{}'::jsonb, '\\x'::bytea,
           now() - make_interval(days => ${ageDays}, secs => i)
      from generate_series(1, ${count}) as i`);
}

export async function countByStatus(h: Pick<Harness, 'rows'>): Promise<Record<string, number>> {
  const rows = await h.rows<{ status: string; n: number }>(
    sql`select status, count(*)::int as n from webhook_events group by status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
