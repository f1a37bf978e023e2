import { sql } from 'drizzle-orm';
import { JobberSyncRunner } from '../../providers/jobber/import/runner';
import { claimRun, queueImport, runById } from '../../providers/jobber/import/runs';
import { databaseKinds } from '../helpers/harness';
import { connectAccount, jobberSuite, type JobberHarness } from '../fakes/jobber-harness';
import { jobberBody, jobberEvent, postJobber, readJobberApiFixture } from '../fakes/jobber-fixtures';
import { gid, seedJobber } from '../fakes/jobber-seed';
import { createLogger } from '../../src/log/logger';
import { PassThrough } from 'node:stream';
import { adminClient } from '../../src/cli/events/admin-client';
import { importCommand } from '../../providers/jobber/import/command';
import { cliEnv, hookport, listen } from '../helpers/cli';

const logger = createLogger('error', true);
const ADMIN_TOKEN = 'jobber-import-admin-token-0123456789abcdef';
const COUNTS = { client: 230, job: 170, invoice: 120 };
/** The fake's fixtures (one of each) plus the seeded ones. */
const TOTAL = COUNTS.client + COUNTS.job + COUNTS.invoice + 3;

/** Hundreds of records, as an account that has used Jobber for a while has them; one invoice links 120 jobs. */
const seed = ({ fake }: JobberHarness) => seedJobber(fake, COUNTS, { bigInvoice: 120 });

describe.each(databaseKinds())('Jobber import and reconciliation on %s', (kind) => {
  const j = jobberSuite(kind, { connected: true, env: { ADMIN_TOKEN } });
  // A bucket that never runs dry, except where a test is about the pacing: Jobber's own (10,000
  // points restored at 500/s) makes a few hundred records take seconds, as it does in production.
  beforeEach(() => j.fake.setBucket(1_000_000, 1_000_000));
  const deps = () => ({ config: j.h.config, db: j.h.runtime.database.db, logger });
  const runner = (options = {}) => new JobberSyncRunner(deps(), { pollMs: 20, ...options });
  const count = async (table: 'clients' | 'jobs' | 'invoices') =>
    Number(
      (
        await j.h.rows<{ n: string | number }>(
          sql`select count(*) as n from ${sql.raw(table)} where sync_status = 'synced'`,
        )
      )[0]!.n,
    );
  const listCalls = (operation: string) =>
    j.fake.calls.filter((c) => c.endpoint === 'graphql' && c.detail === operation);
  const admin = () => j.h.http().get('/admin/api/jobber/accounts').set('authorization', `Bearer ${ADMIN_TOKEN}`);

  it('imports hundreds of clients, jobs and invoices over many pages, and a second import changes nothing', async () => {
    seed(j);
    const { id } = await queueImport(j.h.runtime.database.db, j.fake.account.id);
    const ran = await runner().runOnce();
    expect(ran?.outcome).toBe('done');
    const run = (await runById(j.h.runtime.database.db, id))!;
    expect(run).toMatchObject({ status: 'done', fetched: TOTAL, changed: TOTAL, unchanged: 0, failed: 0 });
    expect(run.progress).toEqual({
      client: { fetched: COUNTS.client + 1, total: COUNTS.client + 1 },
      job: { fetched: COUNTS.job + 1, total: COUNTS.job + 1 },
      invoice: { fetched: COUNTS.invoice + 1, total: COUNTS.invoice + 1 },
    });
    expect([await count('clients'), await count('jobs'), await count('invoices')]).toEqual([
      COUNTS.client + 1,
      COUNTS.job + 1,
      COUNTS.invoice + 1,
    ]);
    // Several pages of each family, each after the previous page's cursor.
    for (const operation of ['HookportClients', 'HookportJobs', 'HookportInvoices']) {
      const calls = listCalls(operation);
      expect(calls.length).toBeGreaterThan(2);
      expect(calls.filter((c) => c.variables?.after == null)).toHaveLength(1);
    }
    // The invoice with 120 jobs got the jobs beyond the page's first fifty.
    const [big] = await j.h.rows<{ job_external_ids: unknown }>(
      sql`select job_external_ids from invoices where external_id = ${gid('Invoice', 1)}`,
    );
    const ids = typeof big!.job_external_ids === 'string' ? JSON.parse(big!.job_external_ids) : big!.job_external_ids;
    expect(ids).toHaveLength(120);
    const [row] = await j.h.rows<{ name: string; last_topic: string; account_id: string }>(
      sql`select name, last_topic, account_id from clients where external_id = ${gid('Client', 7)}`,
    );
    expect(row).toEqual({ name: 'Client 7', last_topic: 'import', account_id: j.fake.account.id });

    const answer = await admin();
    expect(answer.status).toBe(200);
    expect(answer.body.accounts[0].lastImport).toMatchObject({
      id,
      status: 'done',
      fetched: TOTAL,
      changed: TOTAL,
      failed: 0,
    });

    const again = await queueImport(j.h.runtime.database.db, j.fake.account.id);
    await runner().runOnce();
    expect(await runById(j.h.runtime.database.db, again.id)).toMatchObject({
      status: 'done',
      fetched: TOTAL,
      changed: 0,
      unchanged: TOTAL,
    });
  });

  it('paces itself by the query cost: waits for the bucket instead of being throttled; a throttle mid-way is waited out', async () => {
    seed(j);
    // A small bucket: the import must wait for points several times.
    j.fake.setBucket(1000, 2000);
    let pages = 0;
    j.fake.beforeAnswer = (operation) => {
      if (operation === 'HookportJobs' && ++pages === 2) j.fake.throttleNext(2);
    };
    const { id } = await queueImport(j.h.runtime.database.db, j.fake.account.id);
    expect((await runner().runOnce())?.outcome).toBe('done');
    const run = (await runById(j.h.runtime.database.db, id))!;
    // throttled counts every THROTTLED answer: only the two forced ones, the pacing avoided the rest.
    expect(run).toMatchObject({ status: 'done', fetched: TOTAL, changed: TOTAL, failed: 0, throttled: 2 });
    expect(run.waits).toBeGreaterThan(2); // the two throttles, and waits for the bucket
    expect([await count('clients'), await count('jobs'), await count('invoices')]).toEqual([
      COUNTS.client + 1,
      COUNTS.job + 1,
      COUNTS.invoice + 1,
    ]);
  });

  it("an invoice's further job links are fetched through a throttle too, without failing the pass", async () => {
    seed(j);
    let throttledOnce = false;
    j.fake.beforeAnswer = (operation) => {
      // The page with the invoice that links 120 jobs: its next query, for more of those links, is throttled.
      if (operation !== 'HookportInvoices' || throttledOnce) return;
      throttledOnce = true;
      j.fake.throttleNext(1);
    };
    const { id } = await queueImport(j.h.runtime.database.db, j.fake.account.id);
    expect((await runner().runOnce())?.outcome).toBe('done');
    expect(await runById(j.h.runtime.database.db, id)).toMatchObject({
      status: 'done',
      fetched: TOTAL,
      failed: 0,
      throttled: 1,
      attempts: 0,
    });
    const [big] = await j.h.rows<{ job_external_ids: unknown }>(
      sql`select job_external_ids from invoices where external_id = ${gid('Invoice', 1)}`,
    );
    const ids = typeof big!.job_external_ids === 'string' ? JSON.parse(big!.job_external_ids) : big!.job_external_ids;
    expect(ids).toHaveLength(120);
  });

  it('resumes after a restart from the stored cursor, refetching no page it had applied', async () => {
    seed(j);
    const first = runner();
    let clientPages = 0;
    j.fake.beforeAnswer = (operation) => {
      // The process stops while its third page of clients is on the way.
      if (operation === 'HookportClients' && ++clientPages === 3) void first.stop();
    };
    const { id } = await queueImport(j.h.runtime.database.db, j.fake.account.id);
    expect((await first.runOnce())?.outcome).toBe('released');
    const cut = (await runById(j.h.runtime.database.db, id))!;
    expect(cut).toMatchObject({ status: 'queued', family: 'client' });
    expect(cut.cursor).not.toBeNull();
    const fetchedBefore = cut.fetched;
    expect(fetchedBefore).toBeGreaterThan(0);
    expect(fetchedBefore).toBeLessThan(COUNTS.client);

    j.fake.beforeAnswer = undefined;
    j.fake.calls.length = 0;
    expect((await runner().runOnce())?.outcome).toBe('done');
    const [resumed] = listCalls('HookportClients');
    expect(resumed!.variables?.after).toBe(cut.cursor);
    expect(await runById(j.h.runtime.database.db, id)).toMatchObject({
      status: 'done',
      fetched: TOTAL,
      changed: TOTAL,
      failed: 0,
    });
    expect(await count('clients')).toBe(COUNTS.client + 1);
  });

  it('a run whose holder died is taken again when its lease runs out; the old holder can no longer write it', async () => {
    seed(j);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let clientPages = 0;
    j.fake.beforeAnswer = async (operation) => {
      // The first holder hangs on its second page, as a process that froze or lost its network.
      if (operation === 'HookportClients' && ++clientPages === 2) await held;
    };
    const { id } = await queueImport(j.h.runtime.database.db, j.fake.account.id);
    const frozen = runner({ leaseMs: 300 }).runOnce();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await runner({ leaseMs: 60_000 }).runOnce())?.outcome).toBe('done');
    release();
    expect((await frozen)?.outcome).toBe('lost');
    expect(await runById(j.h.runtime.database.db, id)).toMatchObject({
      status: 'done',
      fetched: TOTAL,
      changed: TOTAL,
    });
  });

  it('a webhook that arrives during the import wins over the older copy the import fetched', async () => {
    seed(j);
    const raced = gid('Client', 5);
    const destroyed = gid('Client', 6);
    let done = false;
    j.fake.beforeAnswer = async (operation) => {
      if (operation !== 'HookportClients' || done) return;
      done = true;
      // The page in flight holds the old copies; Jobber meanwhile changes one and deletes another.
      const now = new Date().toISOString();
      j.fake.put('client', {
        ...readJobberApiFixture('client'),
        id: raced,
        name: 'Renamed during the import',
        updatedAt: now,
      });
      j.fake.forget('client', destroyed);
      const update = jobberEvent('CLIENT_UPDATE');
      const destroy = { ...update, topic: 'CLIENT_DESTROY', itemId: destroyed, occurredAt: now };
      expect((await postJobber(j.h, jobberBody({ ...update, itemId: raced, occurredAt: now }))).status).toBe(200);
      expect((await postJobber(j.h, jobberBody(destroy))).status).toBe(200);
      expect(await j.h.drain()).toEqual(['processed', 'processed']);
    };
    await queueImport(j.h.runtime.database.db, j.fake.account.id);
    expect((await runner().runOnce())?.outcome).toBe('done');
    const rows = await j.h.rows<{ external_id: string; name: string; deleted_at: unknown; last_topic: string }>(
      sql`select external_id, name, deleted_at, last_topic from clients where external_id in (${raced}, ${destroyed}) order by name`,
    );
    const byId = Object.fromEntries(rows.map((r) => [r.external_id, r]));
    expect(byId[raced]).toMatchObject({
      name: 'Renamed during the import',
      last_topic: 'CLIENT_UPDATE',
      deleted_at: null,
    });
    expect(byId[destroyed]!.deleted_at).not.toBeNull();
    expect(byId[destroyed]!.last_topic).toBe('CLIENT_DESTROY');
  });

  it('a record Jobber sent that cannot be read fails alone; the rest of its page is written', async () => {
    seed(j);
    j.fake.put('client', { ...readJobberApiFixture('client'), id: gid('Client', 9999), updatedAt: 'yesterday-ish' });
    const { id } = await queueImport(j.h.runtime.database.db, j.fake.account.id);
    await runner().runOnce();
    expect(await runById(j.h.runtime.database.db, id)).toMatchObject({
      status: 'done',
      fetched: TOTAL + 1,
      changed: TOTAL,
      failed: 1,
    });
    expect(await count('clients')).toBe(COUNTS.client + 1);
  });

  it('reconciliation fetches what changed since the last pass, and reports fetched, changed, unchanged, failed', async () => {
    seed(j);
    const db = j.h.runtime.database.db;
    await queueImport(db, j.fake.account.id);
    await runner().runOnce();
    // Make the import look older than the interval, as if hours had passed.
    await j.h.rows(sql`update jobber_sync_runs set finished_at = now() - interval '7 hours'`);

    const now = new Date().toISOString();
    for (const n of [3, 4, 5])
      j.fake.put('client', {
        ...readJobberApiFixture('client'),
        id: gid('Client', n),
        name: `Changed ${n}`,
        updatedAt: now,
      });
    j.fake.put('client', {
      ...readJobberApiFixture('client'),
      id: gid('Client', 900),
      name: 'New client',
      updatedAt: now,
    });
    for (const n of [8, 9])
      j.fake.put('job', {
        ...readJobberApiFixture('job'),
        id: gid('Job', n),
        title: `Changed job ${n}`,
        updatedAt: now,
      });
    j.fake.put('invoice', {
      ...readJobberApiFixture('invoice'),
      id: gid('Invoice', 2),
      invoiceStatus: 'paid',
      updatedAt: now,
    });
    // One change a webhook already brought: reconciliation finds it unchanged.
    j.fake.put('client', {
      ...readJobberApiFixture('client'),
      id: gid('Client', 10),
      name: 'Seen by a webhook',
      updatedAt: now,
    });
    await postJobber(j.h, jobberBody({ ...jobberEvent('CLIENT_UPDATE'), itemId: gid('Client', 10), occurredAt: now }));
    expect(await j.h.drain()).toEqual(['processed']);

    j.fake.calls.length = 0;
    const ran = await runner().runOnce();
    expect(ran?.run).toMatchObject({
      kind: 'reconcile',
      status: 'done',
      fetched: 8,
      changed: 7,
      unchanged: 1,
      failed: 0,
    });
    // Only the window was asked for: clients and invoices by updatedAt, jobs until the first older one.
    const [clients] = listCalls('HookportClients');
    expect(clients!.variables?.filter).toEqual({ updatedAt: { after: ran!.run.since!.toISOString() } });
    expect(listCalls('HookportJobs')).toHaveLength(1);
    const names = await j.h.rows<{ name: string }>(
      sql`select name from clients where external_id in (${gid('Client', 3)}, ${gid('Client', 900)}) order by name`,
    );
    expect(names.map((r) => r.name)).toEqual(['Changed 3', 'New client']);
    const [invoice] = await j.h.rows<{ status: string }>(
      sql`select status from invoices where external_id = ${gid('Invoice', 2)}`,
    );
    expect(invoice!.status).toBe('paid');

    const answer = await admin();
    expect(answer.body.accounts[0].lastReconcile).toMatchObject({
      kind: 'reconcile',
      fetched: 8,
      changed: 7,
      unchanged: 1,
      failed: 0,
    });
    // Not due again until the interval has passed.
    expect(await runner().runOnce()).toBeUndefined();
  });

  it('the first pass over an account connected before imports existed is an import; none is queued for a disconnected one', async () => {
    seed(j);
    const db = j.h.runtime.database.db;
    expect((await runner().runOnce())?.run).toMatchObject({ kind: 'import', status: 'done', fetched: TOTAL });
    await j.h.rows(sql`update jobber_accounts set access_token = null, connection_state = 'disconnected'`);
    await j.h.rows(sql`update jobber_sync_runs set finished_at = now() - interval '7 hours'`);
    expect(await runner().runOnce()).toBeUndefined();
    expect(await claimRun(db, 1000)).toBeUndefined();
  });

  it('the admin API queues an import (or finds the one under way) and answers 404 and 409 plainly', async () => {
    const token = `Bearer ${ADMIN_TOKEN}`;
    const post = (account: string) =>
      j.h
        .http()
        .post(`/admin/api/jobber/accounts/${encodeURIComponent(account)}/import`)
        .set('authorization', token);
    const first = await post(j.fake.account.id);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      queued: true,
      run: { kind: 'import', status: 'queued', accountId: j.fake.account.id },
    });
    const second = await post(j.fake.account.id);
    expect(second.body).toMatchObject({ queued: false, run: { id: first.body.run.id } });
    expect((await post('no-such-account')).status).toBe(404);
    await j.h.rows(sql`update jobber_accounts set access_token = null`);
    const refused = await post(j.fake.account.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('not_connected');

    // Months of reconciliations later, the account still shows its import (not just the latest passes of all).
    await j.h.rows(sql`insert into jobber_sync_runs (account_id, kind, status, started_at, finished_at, created_at)
      select ${j.fake.account.id}, 'reconcile', 'done', now(), now(), now() + make_interval(secs => n) from generate_series(1, 250) n`);
    const accounts = await admin();
    expect(accounts.body.accounts[0].lastImport.id).toBe(first.body.run.id);
    expect(new Date(accounts.body.accounts[0].lastReconcile.createdAt).getTime()).toBeGreaterThan(Date.now() + 240_000);
    await j.h.rows(sql`delete from jobber_sync_runs where kind = 'reconcile'`);

    const runs = await j.h
      .http()
      .get(`/admin/api/jobber/runs?account=${encodeURIComponent(j.fake.account.id)}`)
      .set('authorization', token);
    expect(runs.body.runs.map((r: { id: string }) => r.id)).toEqual([first.body.run.id]);
    expect(
      (await j.h.http().get(`/admin/api/jobber/runs/${first.body.run.id}`).set('authorization', token)).body.id,
    ).toBe(first.body.run.id);
    expect((await j.h.http().get('/admin/api/jobber/runs')).status).toBe(401);
  });

  it('a run for an account whose token is gone fails for good with a reason, and does not retry', async () => {
    const { id } = await queueImport(j.h.runtime.database.db, j.fake.account.id);
    await j.h.rows(sql`update jobber_accounts set access_token = null`);
    expect((await runner().runOnce())?.outcome).toBe('failed');
    const run = (await runById(j.h.runtime.database.db, id))!;
    expect(run.status).toBe('failed');
    expect(run.lastError).toMatch(/connect it again/);
    // A new connection imports again.
    await connectAccount(j);
    expect((await queueImport(j.h.runtime.database.db, j.fake.account.id)).queued).toBe(true);
  });

  describe('hookport jobber import', () => {
    let server: Awaited<ReturnType<typeof listen>>;
    let background: JobberSyncRunner;
    beforeEach(async () => {
      // A pass that just ended: the runner queues nothing of its own, so the command's import is the only one.
      await j.h.rows(sql`insert into jobber_sync_runs (account_id, kind, status, started_at, finished_at)
        values (${j.fake.account.id}, 'reconcile', 'done', now(), now())`);
      server = await listen(j.h);
      background = runner();
      background.start();
    });
    afterEach(async () => {
      await background.stop();
      await server.close();
    });
    const cli = (args: string[]) =>
      hookport(
        ['jobber', 'import', '--url', server.url, '--poll-ms', '20', ...args],
        cliEnv({ ADMIN_TOKEN, ...j.fake.env() }),
      );

    it('queues the import in the running server and follows it to its report', async () => {
      seed(j);
      const run = await cli([]);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const account = j.fake.account.id;
      expect(run.out).toContain(`${account}: import queued`);
      // Not a terminal: a line whenever the family or the status changes, then the report.
      expect(run.out).toMatch(new RegExp(`${account}: (queued|running (clients|jobs|invoices))\n`));
      expect(run.out).toContain(`import of ${account} done: fetched ${TOTAL}, changed ${TOTAL}, unchanged 0, failed 0`);
      expect(await count('invoices')).toBe(COUNTS.invoice + 1);
    });

    it('draws a progress bar on a terminal', async () => {
      seed(j);
      let text = '';
      const out = Object.assign(new PassThrough(), { isTTY: true });
      out.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const adminApi = () => adminClient(server.url, { ADMIN_TOKEN });
      const code = await importCommand.run(
        ['--poll-ms', '5'],
        { config: j.h.config, logger, adminApi, input: process.stdin },
        out,
      );
      expect(code).toBe(0);
      expect(text).toContain('\r\x1b[2K');
      // The families done shrink to a count; the one being paged has a bar (which pages are seen depends on the
      // polling).
      expect(text).toMatch(/clients 231 ✓ {2}(jobs [█░]{20} \d+\/171|jobs 171 ✓ {2}invoices [█░]{20} \d+\/121)/);
      // Redrawn in place: no line is wider than the 80 columns a terminal reports by default.
      const redrawn = text.split('\r').filter((l) => l.startsWith('\x1b[2K'));
      expect(redrawn.length).toBeGreaterThan(2);
      for (const line of redrawn) expect([...line.split('\n')[0]!.slice('\x1b[2K'.length)].length).toBeLessThan(80);
      expect(text).toContain(`fetched ${TOTAL}`);
    });

    it('says plainly when there is nothing to import, or no such account (exit 1)', async () => {
      await j.h.rows(sql`delete from jobber_accounts`);
      const none = await cli([]);
      expect(none.code).toBe(1);
      expect(none.out).toContain('no Jobber account is connected');
      const unknown = await cli(['--account', 'no-such-account']);
      expect(unknown.code).toBe(1);
      expect(unknown.out).toContain('no Jobber account with that id has connected');
    });
  });
});
