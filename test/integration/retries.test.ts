import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postTwilio } from '../helpers/webhooks';

interface Attempted {
  status: string;
  attempts: number;
  last_error: string | null;
  later: boolean;
  within_backoff: boolean;
}

describe.each(databaseKinds())('worker retries on %s', (kind) => {
  const h = suiteHarness(kind, { WORKER_MAX_ATTEMPTS: '2', WORKER_RETRY_BASE_MS: '60000' });
  beforeAll(async () => {
    // Without its table every Twilio event fails in the worker (an infrastructure error, not a bad payload).
    await h.rows(sql`drop table messages cascade`);
  });

  const attempted = async () =>
    (
      await h.rows<Attempted>(sql`select status, attempts, last_error,
        available_at > now() + interval '25 seconds' as later,
        available_at <= now() + interval '61 seconds' as within_backoff
        from webhook_events`)
    )[0]!;

  it('a failing event is marked failed and scheduled after the backoff, then dead after WORKER_MAX_ATTEMPTS', async () => {
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    expect(await h.drain()).toEqual(['failed']);
    // First retry: between half and all of the 60 s base (equal jitter).
    expect(await attempted()).toEqual({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringMatching(/messages/),
      later: true,
      within_backoff: true,
    });
    expect(await h.drain()).toEqual([]);

    // Let the backoff pass: the second attempt is the last one.
    await h.rows(sql`update webhook_events set available_at = now() - interval '1 second'`);
    expect(await h.drain()).toEqual(['dead']);
    expect(await attempted()).toMatchObject({
      status: 'dead',
      attempts: 2,
      last_error: expect.stringMatching(/messages/),
    });
    expect(await h.drain()).toEqual([]);
  });
});
