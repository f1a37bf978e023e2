import { sql } from 'drizzle-orm';
import { JobberSyncRunner } from '../../providers/jobber/import/runner';
import { queueImport, runById } from '../../providers/jobber/import/runs';
import { createLogger } from '../../src/log/logger';
import { databaseKinds, OPEN_TIMEOUT_MS } from '../helpers/harness';
import { startPostgres, type ThrowawayPostgres } from '../helpers/postgres';
import { connectAccount, openJobberHarness, type JobberHarness } from '../fakes/jobber-harness';
import { seedJobber } from '../fakes/jobber-seed';

const hasPostgres = databaseKinds().includes('postgres');

/** PostgreSQL crashes while an import is paging: nothing is lost or counted twice, and the pass resumes. */
(hasPostgres ? describe : describe.skip)('Jobber import with PostgreSQL stopped in the middle (its own server)', () => {
  let server: ThrowawayPostgres;
  let j: JobberHarness;
  beforeAll(async () => {
    server = await startPostgres();
    j = await openJobberHarness('postgres', { DATABASE_TIMEOUT_MS: '500' }, { postgresServerUrl: server.url });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await j?.close();
    server?.destroy();
  });

  it('a page in flight when PostgreSQL crashes is written by the next holder, from the stored cursor', async () => {
    await connectAccount(j);
    j.fake.setBucket(1_000_000, 1_000_000);
    const total = seedJobber(j.fake, { client: 150, job: 150, invoice: 60 });
    const deps = { config: j.h.config, db: j.h.runtime.database.db, logger: createLogger('error', true) };
    const { id } = await queueImport(deps.db, j.fake.account.id);
    let jobPages = 0;
    j.fake.beforeAnswer = (operation) => {
      // Its second page of jobs is on the way when the database crashes.
      if (operation === 'HookportJobs' && ++jobPages === 2) server.stop('immediate');
    };
    // The attempt cannot write its page, nor its failure: the runner's pass ends in an error it logs.
    await expect(new JobberSyncRunner(deps, { leaseMs: 1_000 }).runOnce()).rejects.toThrow();
    j.fake.beforeAnswer = undefined;
    server.start();

    // The server ran without synchronous commit, so the crash may also have lost the last pages it
    // had acknowledged: each page and the cursor commit together, so what survived is consistent.
    const cut = (await runById(deps.db, id))!;
    expect(cut.status).toBe('running'); // its holder is gone; the lease will run out
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    j.fake.calls.length = 0;
    expect((await new JobberSyncRunner(deps).runOnce())?.outcome).toBe('done');
    const operation = { client: 'HookportClients', job: 'HookportJobs', invoice: 'HookportInvoices' }[
      cut.family as 'client' | 'job' | 'invoice'
    ];
    const [resumed] = j.fake.calls.filter((c) => c.detail === operation);
    expect(resumed!.variables?.after ?? null).toBe(cut.cursor);
    // Every record counted once: the page that was lost is counted by the holder that wrote it.
    expect(await runById(deps.db, id)).toMatchObject({
      status: 'done',
      fetched: total,
      changed: total,
      unchanged: 0,
      failed: 0,
    });
    const [counts] = await j.h.rows<{ clients: number; jobs: number; invoices: number }>(
      sql`select (select count(*)::int from clients) as clients, (select count(*)::int from jobs) as jobs, (select count(*)::int from invoices) as invoices`,
    );
    expect(counts).toEqual({ clients: 151, jobs: 151, invoices: 61 });
  }, 60_000);
});
