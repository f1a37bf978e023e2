import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { connectAccount, openJobberHarness, resetJobber, type JobberHarness } from '../fakes/jobber-harness';
import { postJobber, readJobberWebhook } from '../fakes/jobber-fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface InboxRow {
  status: string;
  attempts: number;
  last_error: string | null;
  deferred: boolean;
}

/** Jobber's throttling defers an event without using an attempt, but not for ever. */
describe.each(databaseKinds())('bounded deferral on %s', (kind) => {
  let j: JobberHarness;
  beforeAll(async () => {
    j = await openJobberHarness(kind, {
      WORKER_MAX_DEFER_SECONDS: '1',
      WORKER_MAX_ATTEMPTS: '2',
      WORKER_RETRY_BASE_MS: '1',
    });
  });
  afterAll(() => j.close());
  beforeEach(() => resetJobber(j));

  const inbox = () =>
    j.h.rows<InboxRow>(
      sql`select status, attempts, last_error, deferred_since is not null as deferred from webhook_events`,
    );

  it('after WORKER_MAX_DEFER_SECONDS each deferral uses an attempt, and the event ends dead with the reason', async () => {
    await connectAccount(j);
    j.fake.throttleNext(1000); // Jobber throttles for ever
    expect((await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'))).status).toBe(200);

    expect(await j.h.drain()).toEqual(['deferred']);
    expect(await inbox()).toEqual([{ status: 'pending', attempts: 0, last_error: null, deferred: true }]);

    await sleep(1100); // past the bound (and past the ~300 ms Jobber asked to wait)
    expect(await j.h.drain()).toEqual(['failed']);
    const [failed] = await inbox();
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.last_error).toMatch(
      /^Jobber throttled the query \(THROTTLED\); deferred for more than WORKER_MAX_DEFER_SECONDS \(1 s\)/,
    );

    await sleep(400); // the retry waits at least as long as Jobber asked
    expect(await j.h.drain()).toEqual(['dead']);
    const [dead] = await inbox();
    expect(dead).toMatchObject({ status: 'dead', attempts: 2 });
    expect(dead!.last_error).toContain('WORKER_MAX_DEFER_SECONDS');
  });

  it('within the bound a deferral uses no attempt, and processing clears the deferral', async () => {
    await connectAccount(j);
    j.fake.throttleNext(1);
    expect((await postJobber(j.h, readJobberWebhook('CLIENT_CREATE'))).status).toBe(200);
    expect(await j.h.drain()).toEqual(['deferred']);
    await sleep(400);
    expect(await j.h.drain()).toEqual(['processed']);
    expect(await inbox()).toEqual([{ status: 'processed', attempts: 1, last_error: null, deferred: false }]);
  });
});
