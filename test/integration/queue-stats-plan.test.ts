import { sql } from 'drizzle-orm';
import { queueStats, QUEUE_STATS_QUERY } from '../../src/inbox/stats';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';

/** An inbox that has grown: many finished events, a small backlog. */
async function fill(h: ReturnType<typeof suiteHarness>) {
  const rows = (status: string, count: number, ageSeconds: number) => sql`
    insert into webhook_events (provider, event_type, dedupe_key, status, headers, body, received_at)
    select 'resend', 'email.delivered', ${status} || '-' || i, ${status}, '{}'::jsonb, '\\x'::bytea,
           now() - make_interval(secs => ${ageSeconds} + i)
      from generate_series(1, ${count}) as i`;
  await h.rows(rows('processed', 20_000, 10_000));
  await h.rows(rows('ignored', 2_000, 10_000));
  await h.rows(rows('pending', 5, 100));
  await h.rows(rows('processing', 1, 50));
  await h.rows(rows('failed', 2, 300));
  await h.rows(rows('dead', 3, 5_000));
  await h.rows(sql`analyze webhook_events`);
}

describe.each(databaseKinds())('/health queue figures on %s', (kind) => {
  const h = suiteHarness(kind);

  it('read only the partial indexes of unfinished and dead events, never the whole inbox', async () => {
    await fill(h);
    const plan = (await h.rows<{ 'QUERY PLAN': string }>(sql`explain ${QUEUE_STATS_QUERY}`))
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).not.toMatch(/Seq Scan/);
    // Each status group through its partial index: neither holds the processed or ignored events.
    expect(plan).toMatch(/Index (Only )?Scan (using|on) webhook_events_unfinished_received_idx/);
    expect(plan).toMatch(/Index (Only )?Scan (using|on) webhook_events_dead_idx/);

    const stats = await queueStats(h.runtime.database.db);
    expect(stats).toEqual({ pending: 5, processing: 1, failed: 2, dead: 3, oldestPendingSeconds: expect.any(Number) });
    // The oldest unfinished one is the second failed event: 302 seconds old.
    expect(stats.oldestPendingSeconds).toBeGreaterThanOrEqual(302);
    expect(stats.oldestPendingSeconds).toBeLessThan(302 + 60);
  });
});
