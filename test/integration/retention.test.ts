import { sql } from 'drizzle-orm';
import { RetentionJob, type RetentionOptions } from '../../src/retention/job';
import { createLogger } from '../../src/log/logger';
import { databaseKinds, openHarness, OPEN_TIMEOUT_MS } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { captureLogs } from '../helpers/logs';
import { countByStatus, insertAgedEvents } from '../helpers/retention';
import { emailEvent, emailId, postResend } from '../helpers/webhooks';
import { waitFor } from '../helpers/wait';

describe.each(databaseKinds())('retention on %s', (kind) => {
  const h = suiteHarness(kind);
  const job = (options: Partial<RetentionOptions> = {}) =>
    new RetentionJob({
      db: h.runtime.database.db,
      logger: createLogger('error', true),
      days: 30,
      intervalMs: 3_600_000,
      pauseMs: 1,
      ...options,
    });
  const reset = () => h.rows(sql`truncate webhook_events, canonical_events, emails, activity_counts, admin_sessions`);

  it('deletes old processed and ignored rows; young ones, and old dead, pending, processing and failed ones, stay', async () => {
    await reset();
    // A real event, processed into a record and a canonical event, then aged past the retention.
    const id = emailId();
    expect((await postResend(h, emailEvent('email.delivered', id))).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    await h.rows(sql`update webhook_events set received_at = now() - interval '31 days'`);
    const records = sql`select (select count(*)::int from emails where external_id = ${id}) as emails,
                               (select count(*)::int from canonical_events) as canonical`;
    const before = await h.rows(records);
    expect(before).toEqual([{ emails: 1, canonical: expect.any(Number) }]);
    expect(before[0]!.canonical).toBeGreaterThan(0);

    await insertAgedEvents(h, 'processed', 5, 31);
    await insertAgedEvents(h, 'ignored', 5, 31);
    await insertAgedEvents(h, 'processed', 3, 29, 'young');
    for (const status of ['dead', 'pending', 'processing', 'failed']) await insertAgedEvents(h, status, 2, 400);

    const pass = await job().runPass();
    expect(pass.tables.webhook_events).toMatchObject({ deleted: 11 });
    expect(await countByStatus(h)).toEqual({ processed: 3, dead: 2, pending: 2, processing: 2, failed: 2 });
    const young = await h.rows<{ n: number }>(
      sql`select count(*)::int as n from webhook_events where dedupe_key like 'young-%'`,
    );
    expect(young).toEqual([{ n: 3 }]);
    // The record and the canonical events of the deleted row stay.
    expect(await h.rows(records)).toEqual(before);
    // A second pass finds nothing.
    expect((await job().runPass()).deleted).toBe(0);
  });

  it('keeps audit entries max(RETENTION_DAYS, 90) days, refused sign-ins RETENTION_DAYS', async () => {
    await h.rows(sql`truncate audit_log`);
    await h.rows(sql`
      insert into audit_log (at, actor, address, action)
      select now() - make_interval(days => d), 'console', '203.0.113.9', a
      from unnest(array[10, 40, 100]) as d, unnest(array['operator.sign_in', 'operator.sign_in_refused']) as a`);
    const left = sql`select action, extract(day from now() - at)::int as age from audit_log order by action, at desc`;
    const pass = await job({ days: 30 }).runPass();
    expect(pass.tables.audit_log).toMatchObject({ deleted: 3 });
    expect(await h.rows(left)).toEqual([
      { action: 'operator.sign_in', age: 10 },
      { action: 'operator.sign_in', age: 40 },
      { action: 'operator.sign_in_refused', age: 10 },
    ]);
    // A longer RETENTION_DAYS keeps them longer than 90 days too.
    await h.rows(
      sql`insert into audit_log (at, actor, action) values (now() - interval '100 days', 'console', 'operator.sign_in')`,
    );
    expect((await job({ days: 120 }).runPass()).tables.audit_log).toMatchObject({ deleted: 0 });
  });

  it('deletes ingest counts past max(RETENTION_DAYS, 8) days and expired sessions', async () => {
    await reset();
    await h.rows(sql`
      insert into activity_counts (bucket, provider, metric, count)
      select date_trunc('minute', now()) - make_interval(days => d), 'resend', 'answer:stored', 1 from unnest(array[1, 7, 9, 40]) as d`);
    await h.rows(sql`
      insert into admin_sessions (token_hash, csrf_token, expires_at)
      values ('gone', 'c', now() - interval '1 minute'), ('live', 'c', now() + interval '1 hour')`);
    const buckets = sql`select extract(day from now() - bucket)::int as age from activity_counts order by bucket desc`;

    const at30 = await job({ days: 30 }).runPass();
    expect(at30.tables).toMatchObject({ activity_counts: { deleted: 1 }, admin_sessions: { deleted: 1 } });
    expect(await h.rows(buckets)).toEqual([{ age: 1 }, { age: 7 }, { age: 9 }]);
    expect(await h.rows(sql`select token_hash from admin_sessions`)).toEqual([{ token_hash: 'live' }]);

    // RETENTION_DAYS=1 still keeps 8 days of counts (the 7-day stats window).
    await job({ days: 1 }).runPass();
    expect(await h.rows(buckets)).toEqual([{ age: 1 }, { age: 7 }]);
  });

  it('deletes a backlog larger than a batch in several bounded statements', async () => {
    await reset();
    await insertAgedEvents(h, 'processed', 1050, 60);
    await insertAgedEvents(h, 'dead', 30, 60); // interleaved with them in received_at order
    const pass = await job({ batchSize: 100 }).runPass();
    expect(pass.tables.webhook_events).toMatchObject({ deleted: 1050, statements: 11, largestBatch: 100 });
    expect(await countByStatus(h)).toEqual({ dead: 30 });
  });

  it('RETENTION_DAYS=0 deletes nothing', async () => {
    await reset();
    await insertAgedEvents(h, 'processed', 10, 3650);
    await h.rows(
      sql`insert into admin_sessions (token_hash, csrf_token, expires_at) values ('old', 'c', now() - interval '1 day')`,
    );
    const keeper = job({ days: 0, startDelayMs: 0 });
    keeper.start();
    expect(keeper.active).toBe(false);
    expect(await keeper.runPass()).toMatchObject({ deleted: 0, tables: {} });
    expect(await countByStatus(h)).toEqual({ processed: 10 });
    expect(await h.rows(sql`select token_hash from admin_sessions`)).toEqual([{ token_hash: 'old' }]);
  });

  it('webhooks are answered 200 while a large deletion runs', async () => {
    await reset();
    // PGlite is several times slower: a smaller backlog there still takes many batches.
    const backlog = kind === 'postgres' ? 20_000 : 5_000;
    await insertAgedEvents(h, 'processed', backlog, 60);
    const pass = job({ batchSize: 500, pauseMs: 5 }).runPass();
    let finished = false;
    void pass.then(() => (finished = true));
    const statuses: number[] = [];
    const slowest = { ms: 0 };
    while (!finished) {
      const began = performance.now();
      statuses.push((await postResend(h, emailEvent('email.delivered', emailId()))).status);
      slowest.ms = Math.max(slowest.ms, performance.now() - began);
    }
    const result = await pass;
    expect(result.tables.webhook_events).toMatchObject({ deleted: backlog, statements: backlog / 500 + 1 });
    expect(statuses.length).toBeGreaterThan(3);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Each was stored, and is young: it stays.
    expect(await countByStatus(h)).toEqual({ pending: statuses.length });
    expect(slowest.ms).toBeLessThan(2000);
  });

  it('two instances running at once delete each row once, without errors', async () => {
    await reset();
    await insertAgedEvents(h, 'ignored', 3000, 60);
    const [a, b] = await Promise.all([job({ batchSize: 200 }).runPass(), job({ batchSize: 200 }).runPass()]);
    expect(a.tables.webhook_events!.deleted + b.tables.webhook_events!.deleted).toBe(3000);
    expect(await countByStatus(h)).toEqual({});
  });

  it('runs on its timer, logs one line per pass that deleted something, and stops cleanly mid-pass', async () => {
    await reset();
    await insertAgedEvents(h, 'processed', 5000, 60);
    const { logger, lines } = captureLogs('info');
    const timed = job({ logger, startDelayMs: 0, intervalMs: 60_000, batchSize: 100, pauseMs: 30 });
    timed.start();
    expect(timed.active).toBe(true);
    await waitFor(
      () => countByStatus(h),
      (c) => (c.processed ?? 0) < 4800,
    );
    await timed.stop();
    expect(timed.active).toBe(false);
    const left = (await countByStatus(h)).processed ?? 0;
    // The rest of the pass was abandoned, after a whole batch: nothing more goes.
    expect(left).toBeGreaterThan(0);
    expect(left % 100).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect((await countByStatus(h)).processed).toBe(left);
    // A pass stopped part-way still reports what it deleted.
    const passLines = () => lines.filter((l) => l.message === 'retention pass');
    expect(passLines()).toMatchObject([{ deleted: { webhook_events: 5000 - left } }]);

    const again = job({ logger, startDelayMs: 0, intervalMs: 60_000 });
    again.start();
    await waitFor(
      async () => passLines(),
      (l) => l.length === 2,
    );
    expect(passLines()[1]).toMatchObject({
      level: 'info',
      deleted: { webhook_events: left, activity_counts: 0, admin_sessions: 0 },
      statements: expect.any(Number),
      durationMs: expect.any(Number),
    });
    expect(again.active).toBe(true); // the next pass is scheduled
    await again.stop();
    expect(again.active).toBe(false);
  });

  it('a failing pass is logged at warn, never thrown, and tried again next interval', async () => {
    const { logger, lines } = captureLogs('info');
    const broken = job({
      logger,
      startDelayMs: 0,
      intervalMs: 50,
      targets: [{ table: 'no_such_table', order: ['id'], expired: () => sql`true` }],
    });
    broken.start();
    await waitFor(
      async () => lines.filter((l) => l.level === 'warn'),
      (l) => l.length >= 2,
    );
    await broken.stop();
    expect(lines.find((l) => l.level === 'warn')).toMatchObject({
      message: expect.stringMatching(/retention pass failed/),
    });
  });
});

describe('the runtime runs retention where the worker runs', () => {
  // PostgreSQL when there is one: three PGlite start-ups take most of a minute on a busy machine.
  const kind = databaseKinds().includes('postgres') ? 'postgres' : 'pglite';
  const open = (env: Record<string, string>) => openHarness(kind, env);

  it(
    'starts it with the worker, stops it on close, and not at all with RETENTION_DAYS=0 or without the worker',
    async () => {
      const withWorker = await open({ WORKER_ENABLED: 'true' });
      try {
        expect(withWorker.runtime.retention?.active).toBe(true);
        await withWorker.runtime.close();
        expect(withWorker.runtime.retention?.active).toBe(false);
      } finally {
        await withWorker.close();
      }
      const withoutEnvs: Record<string, string>[] = [
        { WORKER_ENABLED: 'true', RETENTION_DAYS: '0' },
        { WORKER_ENABLED: 'false' },
      ];
      for (const env of withoutEnvs) {
        const without = await open(env);
        try {
          expect(without.runtime.retention).toBeNull();
        } finally {
          await without.close();
        }
      }
    },
    OPEN_TIMEOUT_MS,
  );
});
