import { sql } from 'drizzle-orm';
import { databaseKinds, openHarness, type Harness } from '../helpers/harness';
import type { ProcessOutcome } from '../../src/worker/process';
import { inboundSms, postTwilio } from '../helpers/webhooks';

interface Attempted {
  status: string;
  attempts: number;
  last_error: string | null;
  later: boolean;
  within_backoff: boolean;
}

/** A harness whose messages table is gone, so every Twilio event fails in the worker (not in its payload). */
async function brokenHarness(kind: Parameters<typeof openHarness>[0], env: Record<string, string>): Promise<Harness> {
  const h = await openHarness(kind, env);
  await h.rows(sql`drop table messages cascade`);
  return h;
}

const attempted = async (h: Harness) =>
  (
    await h.rows<Attempted>(sql`select status, attempts, last_error,
      available_at > now() + interval '25 seconds' as later,
      available_at <= now() + interval '61 seconds' as within_backoff
      from webhook_events`)
  )[0]!;

describe.each(databaseKinds())('worker retries on %s', (kind) => {
  it('a failing event is marked failed and scheduled after the backoff', async () => {
    const h = await brokenHarness(kind, { WORKER_RETRY_BASE_MS: '60000' });
    try {
      expect((await postTwilio(h, inboundSms())).status).toBe(200);
      expect(await h.drain()).toEqual(['failed']);
      // First retry: between half and all of the 60 s base (equal jitter).
      expect(await attempted(h)).toEqual({
        status: 'failed',
        attempts: 1,
        last_error: expect.stringMatching(/messages/),
        later: true,
        within_backoff: true,
      });
      expect(await h.drain()).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('with WORKER_MAX_ATTEMPTS=2 it is dead after the second attempt, keeping the error', async () => {
    const h = await brokenHarness(kind, { WORKER_MAX_ATTEMPTS: '2', WORKER_RETRY_BASE_MS: '1' });
    try {
      expect((await postTwilio(h, inboundSms())).status).toBe(200);
      const outcomes: ProcessOutcome[] = [];
      // The retry is due within a millisecond or so; drain until the event settles for good.
      for (let i = 0; i < 200 && !outcomes.includes('dead'); i++) {
        outcomes.push(...(await h.drain()));
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(outcomes).toEqual(['failed', 'dead']);
      expect(await attempted(h)).toMatchObject({ status: 'dead', attempts: 2, last_error: expect.stringMatching(/messages/) });
      expect(await h.drain()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
