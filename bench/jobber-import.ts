import { createLogger } from '../src/log/logger';
import { loadConfig } from '../src/contract/load-config';
import { installedProviders } from '../src/installed';
import { openRuntime } from '../src/runtime';
import { storeConnection } from '../providers/jobber/oauth/tokens';
import { queueImport, runById } from '../providers/jobber/import/runs';
import { JobberSyncRunner } from '../providers/jobber/import/runner';
import { FakeJobber } from '../test/fakes/jobber';
import { seedJobber } from '../test/fakes/jobber-seed';
import { createDatabase } from './database';
import { runEntry } from './entry';
import { withBenchPostgres } from './phases';
import { int } from './report';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RECORDS = { client: 3_000, job: 1_500, invoice: 1_000 };
const say = (text: string) => process.stdout.write(`bench:jobber-import: ${text}\n`);
/**
 * One import of an account with thousands of records from a fake Jobber whose cost bucket is
 * `bucket` (Jobber's: 10,000 points restored at 500/s), into a fresh database: the time it took,
 * and how the pacing spent the points.
 */
async function importOnce(databaseUrl: string, bucket: { maximum: number; restoreRate: number }) {
  const fake = await new FakeJobber('bench-jobber-client-secret-0123456789').start();
  const logger = createLogger('error');
  const config = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      WORKER_ENABLED: 'false',
      DELIVERY_WORKER_ENABLED: 'false',
      JOBBER_CLIENT_SECRET: fake.clientSecret,
      ...fake.env(),
    },
    installedProviders,
  );
  const runtime = await openRuntime(config, logger, installedProviders);
  try {
    const records = seedJobber(fake, RECORDS, { from: new Date(Date.UTC(2025, 0, 1)) });
    fake.setBucket(bucket.maximum, bucket.restoreRate);
    const tokens = fake.issueTokens();
    const db = runtime.database.db;
    await storeConnection(config, db, fake.account.id, fake.account.name, {
      ...tokens,
      expiresAt: new Date(Date.now() + 3600_000),
    });
    const { id } = await queueImport(db, fake.account.id);
    const started = performance.now();
    await new JobberSyncRunner({ config, db, logger }).runOnce();
    const seconds = (performance.now() - started) / 1000;
    const run = (await runById(db, id))!;
    const lists = fake.calls.filter(
      (c) => c.endpoint === 'graphql' && /^Hookport(Clients|Jobs|Invoices)$/.test(c.detail),
    );
    const sizes = (operation: string) => {
      const firsts = lists.filter((c) => c.detail === operation).map((c) => Number(c.variables?.first));
      return `${firsts.length} queries, first ${firsts[0]} then ${Math.max(...firsts.slice(1))}`;
    };
    if (run.status !== 'done' || run.fetched !== records)
      throw new Error(`import ended ${run.status} with ${run.fetched} of ${records}: ${run.lastError}`);
    return {
      records,
      seconds,
      run,
      sizes: ['HookportClients', 'HookportJobs', 'HookportInvoices'].map(sizes).join('; '),
    };
  } finally {
    await runtime.close();
    await fake.stop();
  }
}

/**
 * npm run bench:jobber-import — imports 5,503 records (3,000 clients, 1,500 jobs, 1,000 invoices)
 * from the fake Jobber into a throwaway durable PostgreSQL, three rounds each: with Jobber's cost
 * bucket (the pacing decides the time) and with a bucket that never runs dry (what Hookport and the
 * database cost).
 */
function main(): Promise<void> {
  return withBenchPostgres(async (pg) => {
    const buckets = [
      { name: "Jobber's bucket (10,000 points, 500/s)", maximum: 10_000, restoreRate: 500 },
      { name: 'a bucket that never runs dry', maximum: 1e12, restoreRate: 1e12 },
    ];
    for (const bucket of buckets) {
      for (let round = 1; round <= ROUNDS; round++) {
        const url = await createDatabase(pg.url, `bench_jobber_import_${bucket.maximum}_${round}`);
        const { records, seconds, run, sizes } = await importOnce(url, bucket);
        say(
          `${bucket.name}, round ${round}: ${int(records)} records in ${seconds.toFixed(1)} s = ${int(records / seconds)} records/s;` +
            ` ${run.pages} pages, ${run.waits - run.throttled} waits for the bucket (${(run.waitedMs / 1000).toFixed(1)} s in all), throttled ${run.throttled}×; ${sizes}`,
        );
      }
    }
  });
}

runEntry('bench:jobber-import', main);
