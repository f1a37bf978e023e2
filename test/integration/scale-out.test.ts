import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import { loadConfig } from '../../src/contract/load-config';
import { createLogger } from '../../src/log/logger';
import { openRuntime, type Runtime } from '../../src/runtime';
import { queryRows } from '../../src/db/rows';
import { openHarness, OPEN_TIMEOUT_MS, postgresServerUrl, type Harness } from '../helpers/harness';
import { providerTestEnv } from '../helpers/test-secrets';
import { registerSecretsIn } from '../helpers/log-capture';
import { waitFor } from '../helpers/wait';
import { emailEvent, emailId, postResend } from '../helpers/webhooks';

/** A worker-only instance on the same database as `h` (which takes the webhooks, its worker off). */
async function workerInstance(h: Harness, env: Record<string, string>): Promise<Runtime> {
  const settings = {
    DATA_DIR: 'memory://',
    DATABASE_URL: h.config.databaseUrl,
    ...providerTestEnv(providers),
    WORKER_ENABLED: 'true',
    DELIVERY_WORKER_ENABLED: 'false',
    RETENTION_DAYS: '0',
    ...env,
  };
  registerSecretsIn(settings);
  return openRuntime(loadConfig(settings, providers), createLogger('error', true), providers);
}

const describeOnPostgres = postgresServerUrl() ? describe : describe.skip;

describeOnPostgres('ingest-only and worker-only instances on one PostgreSQL', () => {
  let ingest: Harness;
  const workers: Runtime[] = [];
  beforeAll(async () => {
    ingest = await openHarness('postgres', { WORKER_ENABLED: 'false' });
  }, OPEN_TIMEOUT_MS);
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });
  afterAll(async () => {
    await ingest.close();
  });

  const statusOf = async (svixId: string) =>
    (await ingest.rows<{ status: string }>(sql`select status from webhook_events where dedupe_key = ${svixId}`))[0]
      ?.status;
  const listeners = () =>
    ingest.rows<{ pid: number }>(
      sql`select pid from pg_stat_activity where application_name = 'hookport-listen' and datname = current_database()`,
    );

  it('a separate worker learns of a stored webhook at once (NOTIFY), not by its sweep', async () => {
    // The sweep is as slow as allowed: only the notification can explain prompt processing.
    workers.push(await workerInstance(ingest, { WORKER_SWEEP_MS: '600000' }));
    await waitFor(listeners, (rows) => rows.length === 1, 5000);
    const svixId = `msg_${emailId()}`;
    expect((await postResend(ingest, emailEvent('email.delivered', emailId()), svixId)).status).toBe(200);
    await waitFor(
      () => statusOf(svixId),
      (s) => s === 'processed',
      2000,
    );
  });

  it('a listener whose connection is cut reconnects, and what was stored meanwhile is processed without a sweep', async () => {
    workers.push(await workerInstance(ingest, { WORKER_SWEEP_MS: '600000' }));
    const [first] = await waitFor(listeners, (rows) => rows.length === 1, 5000);
    await ingest.rows(sql`select pg_terminate_backend(${first!.pid}::int)`);
    const svixId = `msg_${emailId()}`;
    expect((await postResend(ingest, emailEvent('email.delivered', emailId()), svixId)).status).toBe(200);
    await waitFor(
      () => statusOf(svixId),
      (s) => s === 'processed',
      5000,
    );
    const [second] = await waitFor(listeners, (rows) => rows.length === 1, 5000);
    expect(second!.pid).not.toBe(first!.pid);
  });

  it('three workers racing over the same events apply each exactly once', async () => {
    for (let i = 0; i < 3; i++)
      workers.push(await workerInstance(ingest, { WORKER_SWEEP_MS: '100', WORKER_CONCURRENCY: '8' }));
    const ids = Array.from({ length: 150 }, () => `msg_${emailId()}`);
    for (let i = 0; i < ids.length; i += 25) {
      const chunk = ids.slice(i, i + 25);
      const answers = await Promise.all(
        chunk.map((id) => postResend(ingest, emailEvent('email.delivered', emailId()), id)),
      );
      expect(answers.map((a) => a.status)).toEqual(chunk.map(() => 200));
    }
    const inbox = () =>
      queryRows<{ status: string; attempts: number }>(
        ingest.runtime.database.db,
        sql`select status, attempts from webhook_events where dedupe_key in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      );
    const rows = await waitFor(
      inbox,
      (all) => all.length === ids.length && all.every((r) => r.status === 'processed'),
      15_000,
    );
    // A second claim of an event would have counted a second attempt.
    expect(rows.every((r) => Number(r.attempts) === 1)).toBe(true);
    const processedBy = await Promise.all(
      workers.map((w) => w.metrics.registry.getSingleMetric('hookport_events_processed_total')!.get()),
    );
    const total = processedBy
      .flatMap((m) => m.values.filter((v) => v.labels.outcome === 'processed'))
      .reduce((n, v) => n + v.value, 0);
    expect(total).toBe(ids.length);
    // More than one worker took part (the race was real).
    expect(processedBy.filter((m) => m.values.some((v) => v.value > 0)).length).toBeGreaterThan(1);
  });
});
