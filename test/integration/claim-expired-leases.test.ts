import { sql } from 'drizzle-orm';
import { claimEvents, type ExpiredLeases } from '../../src/inbox/claim';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';

describe.each(databaseKinds())('claims and leases that ran out on %s', (kind) => {
  const h = suiteHarness(kind);

  /** One row of each kind, `available_at` seconds ago (negative: in the future). */
  beforeEach(async () => {
    await h.rows(sql`truncate webhook_events`);
    const row = (key: string, status: string, attempts: number, agoSeconds: number) => sql`
      insert into webhook_events (provider, event_type, dedupe_key, status, attempts, headers, body, available_at)
      values ('resend', 'email.sent', ${key}, ${status}, ${attempts}, '{}'::jsonb, '\\x'::bytea,
              now() - make_interval(secs => ${agoSeconds}))`;
    await h.rows(row('pending', 'pending', 0, 1));
    await h.rows(row('failed-due', 'failed', 1, 3));
    await h.rows(row('failed-later', 'failed', 1, -60));
    await h.rows(row('lease-just-ran-out', 'processing', 1, 2));
    await h.rows(row('lease-ran-out-long-ago', 'processing', 1, 3600));
    await h.rows(row('lease-held', 'processing', 1, -15));
    await h.rows(row('processed', 'processed', 1, 7200));
  });

  const claim = async (expiredLeases?: ExpiredLeases) =>
    (await claimEvents(h.runtime.database.db, { limit: 10, leaseSeconds: 60, maxAttempts: 8, expiredLeases }))
      .map((e) => e.id)
      .sort();
  const ids = async (keys: string[]) =>
    (
      await h.rows<{ id: string }>(
        sql`select id from webhook_events where dedupe_key in (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )})`,
      )
    )
      .map((r) => r.id)
      .sort();

  it('on the hot path takes only the events waiting for a worker', async () => {
    expect(await claim({ scope: 'none' })).toEqual(await ids(['pending', 'failed-due']));
  });

  it('a sweep takes the leases that ran out recently as well, not one that ran out long ago', async () => {
    expect(await claim({ scope: 'recent', seconds: 10 })).toEqual(
      await ids(['pending', 'failed-due', 'lease-just-ran-out']),
    );
  });

  it('by default, and in the full sweep, takes every lease that ran out; never a held one', async () => {
    const due = await ids(['pending', 'failed-due', 'lease-just-ran-out', 'lease-ran-out-long-ago']);
    expect(await claim()).toEqual(due);
    await h.rows(sql`update webhook_events set status = 'pending', available_at = now() - interval '1 second'
      where dedupe_key in ('pending', 'failed-due')`);
    await h.rows(sql`update webhook_events set status = 'processing', available_at = now() - interval '1 hour'
      where dedupe_key in ('lease-just-ran-out', 'lease-ran-out-long-ago')`);
    expect(await claim({ scope: 'all' })).toEqual(due);
  });

  it('takes the oldest due first across both kinds when the limit is short', async () => {
    const [first] = await claimEvents(h.runtime.database.db, { limit: 1, leaseSeconds: 60, maxAttempts: 8 });
    expect([first!.id]).toEqual(await ids(['lease-ran-out-long-ago']));
    expect(first!.attempts).toBe(2);
  });
});
