import { sql } from 'drizzle-orm';
import { ActivityCounts } from '../../src/activity/counts';
import { createLogger } from '../../src/log/logger';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';

describe.each(databaseKinds())('activity counts on %s', (kind) => {
  const h = suiteHarness(kind);

  it('keeps what it could not write while the table is unreachable, then writes it all in slices', async () => {
    const counts = new ActivityCounts(h.runtime.database.db, createLogger('error', true));
    // More keys than one statement can carry (17,000 rows x 4 parameters > 65,535), as a long outage piles up.
    for (let i = 0; i < 17000; i++) counts.webhookAnswered(`outage-${i}`, 'stored');
    counts.webhookAnswered('outage-0', 'stored');
    await h.rows(sql`alter table activity_counts rename to activity_counts_away`);
    try {
      await counts.flush(); // fails: nothing may be lost
    } finally {
      await h.rows(sql`alter table activity_counts_away rename to activity_counts`);
    }
    counts.webhookAnswered('outage-1', 'stored'); // counted during the outage, merged with the kept count
    await counts.flush();
    const rows = await h.rows<{ n: number; total: number }>(
      sql`select count(*)::int as n, sum(count)::int as total from activity_counts where provider like 'outage-%'`,
    );
    expect(rows).toEqual([{ n: 17000, total: 17002 }]);
    const twice = await h.rows<{ provider: string; count: number }>(
      sql`select provider, count::int from activity_counts where provider in ('outage-0', 'outage-1') order by provider`,
    );
    expect(twice).toEqual([
      { provider: 'outage-0', count: 2 },
      { provider: 'outage-1', count: 2 },
    ]);
    await counts.flush(); // nothing left: flushing again adds nothing
    expect(
      await h.rows(sql`select sum(count)::int as total from activity_counts where provider like 'outage-%'`),
    ).toEqual([{ total: 17002 }]);
  });
});
