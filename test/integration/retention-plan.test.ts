import { sql } from 'drizzle-orm';
import { batchStatement } from '../../src/retention/batch';
import { RETENTION_TARGETS } from '../../src/retention/targets';
import { databaseKinds } from '../helpers/harness';
import { insertAgedEvents } from '../helpers/retention';
import { suiteHarness } from '../helpers/suite';

const inbox = RETENTION_TARGETS.find((t) => t.table === 'webhook_events')!;
const onPostgres = databaseKinds().filter((k) => k === 'postgres');

describe.each(onPostgres)('retention batch plan on %s', (kind) => {
  const h = suiteHarness(kind);

  it('walks webhook_events_received_idx from the oldest row (or the cursor) and deletes by TID, never a sequential scan', async () => {
    // A grown inbox: mostly old finished events, a few young ones and some old dead ones.
    await insertAgedEvents(h, 'processed', 20_000, 40);
    await insertAgedEvents(h, 'ignored', 2_000, 40);
    await insertAgedEvents(h, 'dead', 50, 400);
    await insertAgedEvents(h, 'processed', 2_000, 1, 'young');
    await h.rows(sql`analyze webhook_events`);
    const [middle] = await h.rows<{ at: string; id: string }>(
      sql`select received_at::text as at, id::text from webhook_events order by received_at, id offset 5000 limit 1`,
    );

    for (const after of [null, [middle!.at, middle!.id]]) {
      const plan = (await h.rows<{ 'QUERY PLAN': string }>(sql`explain ${batchStatement(inbox, 30, 1000, after)}`))
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(plan).not.toMatch(/Seq Scan/);
      expect(plan).toMatch(/Index Scan using webhook_events_received_idx on webhook_events/);
      expect(plan).toMatch(/LockRows/);
      expect(plan).toMatch(/Tid Scan on webhook_events/);
      // The cursor is part of the index condition: the scan starts at it, not at the oldest row.
      if (after) expect(plan).toMatch(/Index Cond: .*ROW\(received_at, id\) > ROW\(/);
    }
  });
});
