import { sql } from 'drizzle-orm';
import { settleStatement } from '../../src/inbox/settle';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';

describe.each(databaseKinds())('settling claimed events on %s', (kind) => {
  const h = suiteHarness(kind);

  it('looks each event up by its primary key, never by scanning the leased events', async () => {
    // A grown inbox with a few events in hand, analyzed: the leased events' partial index looks
    // tiny, as it does to the planner while a long transaction fills it with dead entries.
    const rows = (status: string, count: number) => sql`
      insert into webhook_events (provider, event_type, dedupe_key, status, attempts, headers, body)
      select 'resend', 'email.delivered', ${status} || '-' || i, ${status}, 1, '{}'::jsonb, '\\x'::bytea
        from generate_series(1, ${count}) as i`;
    await h.rows(rows('processed', 60_000));
    await h.rows(rows('processing', 5));
    await h.rows(sql`analyze webhook_events`);
    const held = await h.rows<{ id: string; attempts: number }>(
      sql`select id, attempts from webhook_events where status = 'processing'`,
    );

    const plan = (
      await h.rows<{ 'QUERY PLAN': string }>(
        sql`explain ${settleStatement(held, sql`status = 'processed', processed_at = now()`)}`,
      )
    )
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/(Bitmap )?Index Scan (using|on) webhook_events_pkey/);
    expect(plan).not.toMatch(/webhook_events_leased_idx|Seq Scan on webhook_events/);
  });
});
