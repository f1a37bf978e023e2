import { sql } from 'drizzle-orm';
import { providers } from '../../providers';
import type { Config } from '../../src/config/config';
import { claimEvents } from '../../src/inbox/claim';
import { renewLeases } from '../../src/inbox/renew';
import { markProcessed } from '../../src/inbox/settle';
import { createLogger } from '../../src/log/logger';
import type { AnyProvider } from '../../src/contract/provider';
import { InboxWorker } from '../../src/worker/inbox-worker';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { deferred, waitFor } from '../helpers/wait';
import { emailEvent, emailId, postResend } from '../helpers/webhooks';

const LEASE_SECONDS = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(databaseKinds())('lease renewal on %s', (kind) => {
  // Resend events wait in normalize until the test opens the gate: "a batch that takes long".
  let gate = deferred();
  const entered: string[] = [];
  const slowResend: AnyProvider = {
    ...providers.resend,
    normalize: async (payload, context) => {
      entered.push(context.id);
      await gate.promise;
      return providers.resend.normalize(payload, context);
    },
  };
  const h = suiteHarness(kind, {}, { providers: { ...providers, resend: slowResend } });
  const db = () => h.runtime.database.db;
  /** A real worker with a 1-second lease, renewed every third of a second. */
  const startWorker = () => {
    const config: Config = { ...h.config, worker: { ...h.config.worker, leaseSeconds: LEASE_SECONDS, sweepMs: 100 } };
    const worker = new InboxWorker({
      db: db(),
      config,
      logger: createLogger('error', true),
      providers: { ...providers, resend: slowResend },
    });
    worker.start();
    return worker;
  };
  /** Another instance looking for work, with a long lease of its own. */
  const otherInstanceClaims = () => claimEvents(db(), { limit: 10, leaseSeconds: 60, maxAttempts: 8 });
  const inbox = () => h.rows<{ status: string; attempts: number }>(sql`select status, attempts from webhook_events`);

  beforeEach(async () => {
    gate = deferred();
    entered.length = 0;
    await h.rows(sql`truncate webhook_events, canonical_events, emails`);
  });
  afterEach(() => gate.resolve());

  it('a worker whose batch takes longer than the lease keeps its events, and applies them once', async () => {
    const id = emailId();
    expect((await postResend(h, emailEvent('email.opened', id))).status).toBe(200);
    const worker = startWorker();
    try {
      await waitFor(
        async () => entered.length,
        (n) => n === 1,
      );
      // Three leases long, another instance finds nothing to take.
      for (const end = Date.now() + 3 * LEASE_SECONDS * 1000; Date.now() < end; await sleep(150)) {
        expect(await otherInstanceClaims()).toEqual([]);
      }
      gate.resolve();
      await waitFor(inbox, (rows) => rows[0]?.status === 'processed');
    } finally {
      gate.resolve();
      await worker.stop();
    }
    expect(await inbox()).toEqual([{ status: 'processed', attempts: 1 }]);
    expect(entered).toHaveLength(1);
    expect(await h.rows(sql`select open_count from emails where external_id = ${id}`)).toEqual([{ open_count: 1 }]);
  });

  it("a crashed worker's events (claimed, never settled, never renewed) are taken again after the lease", async () => {
    expect((await postResend(h, emailEvent('email.delivered', emailId()))).status).toBe(200);
    // The crashed instance: it claimed with the lease, then vanished.
    expect(await claimEvents(db(), { limit: 10, leaseSeconds: LEASE_SECONDS, maxAttempts: 8 })).toHaveLength(1);
    const crashedAt = Date.now();
    gate.resolve();
    const worker = startWorker();
    try {
      await waitFor(inbox, (rows) => rows[0]?.status === 'processed', 5000);
    } finally {
      await worker.stop();
    }
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000 - 50);
    expect(await inbox()).toEqual([{ status: 'processed', attempts: 2 }]);
  });

  it('renews only the claims still held: not one retaken by another worker, not one settled', async () => {
    for (let i = 0; i < 2; i++)
      expect((await postResend(h, emailEvent('email.delivered', emailId()))).status).toBe(200);
    const [a, b] = await claimEvents(db(), { limit: 10, leaseSeconds: LEASE_SECONDS, maxAttempts: 8 });
    await sleep(LEASE_SECONDS * 1000 + 100);
    const [retaken] = await claimEvents(db(), { limit: 1, leaseSeconds: 60, maxAttempts: 8 });
    const stale = retaken!.id === a!.id ? a! : b!;
    const kept = stale === a ? b! : a!;
    // `kept` expired too but nobody took it: it is still this worker's to renew.
    expect(await renewLeases(db(), [stale, kept], 60)).toEqual([kept.id]);
    await markProcessed(db(), [kept]);
    expect(await renewLeases(db(), [stale, kept], 60)).toEqual([]);
    expect(await h.rows(sql`select status from webhook_events order by status`)).toEqual([
      { status: 'processed' },
      { status: 'processing' },
    ]);
  });
});
