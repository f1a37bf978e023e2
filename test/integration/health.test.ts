import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postResend, postTwilio } from '../helpers/webhooks';

describe.each(databaseKinds())('GET /health on %s', (kind) => {
  const h = suiteHarness(kind);

  const health = async () => {
    const res = await h.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    return res.body;
  };

  it('reports version, uptime, database, queue and providers; the counts follow the inbox', async () => {
    const startedAt = Date.now();
    expect(await health()).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      uptimeSeconds: expect.any(Number),
      database: { ok: true, driver: kind, latencyMs: expect.any(Number) },
      queue: { pending: 0, failed: 0, dead: 0, oldestPendingSeconds: 0 },
      providers: {
        twilio: { configured: true, lastReceivedAt: null },
        resend: { configured: true, lastReceivedAt: null },
      },
    });

    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    expect((await postResend(h, 'not json')).status).toBe(200);
    const stored = await health();
    expect(stored.queue).toMatchObject({ pending: 2, failed: 0, dead: 0 });
    for (const name of ['twilio', 'resend']) {
      const at = Date.parse(stored.providers[name].lastReceivedAt);
      expect(at).toBeGreaterThanOrEqual(startedAt - 5000);
    }

    // Age the inbox: the oldest unfinished event is reported in whole seconds.
    await h.rows(sql`update webhook_events set received_at = now() - interval '90 seconds'`);
    expect((await health()).queue.oldestPendingSeconds).toBeGreaterThanOrEqual(90);

    expect((await h.drain()).sort()).toEqual(['dead', 'processed']);
    expect((await health()).queue).toMatchObject({ pending: 0, failed: 0, dead: 1, oldestPendingSeconds: 0 });
  });

  it('/health/live answers without the database', async () => {
    const res = await h.http().get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect(res.body.database).toBeUndefined();
  });
});
