import { sql } from 'drizzle-orm';
import { connectAccount, type JobberHarness } from '../fakes/jobber-harness';
import { FakeJobber } from '../fakes/jobber';
import { postJobber, readJobberWebhook } from '../fakes/jobber-fixtures';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, TEST_SECRETS, type Harness } from '../helpers/harness';
import { startPostgres, type ThrowawayPostgres } from '../helpers/postgres';
import { waitFor } from '../helpers/wait';
import { emailEvent, emailId, postResend } from '../helpers/webhooks';

const hasPostgres = databaseKinds().includes('postgres');

type Phase = 'up' | 'down' | 'back';

/** Resend webhooks one after another until stopped; each answer is kept with the phases it was sent and answered in. */
function steadyLoad(h: Harness, phase: () => Phase) {
  const answers: { sent: Phase; answered: Phase; status: number; id?: string }[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const sent = phase();
      const res = await postResend(h, emailEvent('email.delivered', emailId()));
      const id = res.status === 200 ? (res.body as { id: string }).id : undefined;
      answers.push({ sent, answered: phase(), status: res.status, id });
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/**
 * Defect 1 of issue 7: a pooled connection checked out for a transaction, idle between two of its
 * queries, has no listener of its own; when the server goes away it emits 'error' and the process
 * dies. The Jobber token refresh holds such a transaction (row lock) across the call to Jobber,
 * which the fake Jobber answers slowly, so the crash lands there every time. Jest fails the test on
 * an uncaught exception or unhandled 'error' event, which is what killed the process.
 */
(hasPostgres ? describe : describe.skip)(
  'PostgreSQL crashes while a transaction holds a connection (its own server)',
  () => {
    let server: ThrowawayPostgres;
    let j: JobberHarness;

    beforeAll(async () => {
      // Durable settings: with synchronous_commit off, an immediate stop may lose acknowledged commits.
      server = await startPostgres({ durable: true });
      const fake = await new FakeJobber(TEST_SECRETS.jobberClientSecret).start();
      // Short lease and backoff: the Jobber event cut off by the crash is retried within the test.
      const env = { ...fake.env(), DATABASE_TIMEOUT_MS: '500', WORKER_LEASE_SECONDS: '5', WORKER_RETRY_BASE_MS: '100' };
      const h = await openHarness('postgres', env, { postgresServerUrl: server.url });
      j = { h, fake, close: async () => (await h.close(), await fake.stop()) };
    }, OPEN_TIMEOUT_MS);
    afterAll(async () => {
      await j?.close();
      server?.destroy();
    });

    it('keeps serving: 503 while the server is down, 200 once it is back, every acknowledged webhook stored', async () => {
      const { h, fake } = j;
      // The stored token has expired: processing the Jobber event refreshes it under the row lock.
      await connectAccount(j, { expiresInSec: -10, storedExpiry: new Date(Date.now() - 10_000) });
      fake.grantDelayMs = 1500;
      expect((await postJobber(h, readJobberWebhook('CLIENT_CREATE'))).status).toBe(200);

      let phase: Phase = 'up';
      const load = steadyLoad(h, () => phase);
      const worker = h.drain().catch((err: unknown) => err);
      // Jobber has the refresh request: the transaction is open and its connection idle, waiting.
      await waitFor(
        async () => fake.count('token'),
        (n) => n >= 1,
        15_000,
      );

      server.stop('immediate');
      phase = 'down';
      await worker; // the refresh's next query fails; the event is left to retry
      const duringOutage = () => load.answers.filter((a) => a.sent === 'down' && a.answered === 'down');
      await waitFor(
        async () => duringOutage().length,
        (n) => n >= 3,
        15_000,
      );

      server.start();
      phase = 'back';
      await waitFor(
        async () => load.answers.some((a) => a.sent === 'back' && a.status === 200),
        (ok) => ok,
        15_000,
      );
      await load.stop();

      expect(new Set(duringOutage().map((a) => a.status))).toEqual(new Set([503]));
      expect((await h.http().get('/health/live')).status).toBe(200);
      expect((await h.http().get('/health')).status).toBe(200);
      const acked = load.answers.flatMap((a) => (a.id ? [a.id] : []));
      const stored = new Set((await h.rows<{ id: string }>(sql`select id::text from webhook_events`)).map((r) => r.id));
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
      expect(acked.length).toBeGreaterThan(1);

      // Jobber rotated the refresh token before the crash, and the commit that stored the new one
      // failed. The retried event stores the tokens Jobber gave then, without spending the old one
      // again (Jobber would refuse it and the account would have to connect again).
      fake.grantDelayMs = 0;
      const tokenCalls = fake.count('token');
      const jobberStatus = async () => {
        await h.drain();
        const [row] = await h.rows<{ status: string }>(
          sql`select status from webhook_events where provider = 'jobber'`,
        );
        return row?.status;
      };
      await waitFor(jobberStatus, (status) => status === 'processed', 30_000);
      const [account] = await h.rows<{ access_token: string | null }>(sql`select access_token from jobber_accounts`);
      expect(account?.access_token).toEqual(expect.any(String));
      expect(fake.count('token')).toBe(tokenCalls);
    }, 90_000);
  },
);
