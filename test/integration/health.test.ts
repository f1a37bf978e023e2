import { sql } from 'drizzle-orm';
import { DATABASE_UNAVAILABLE } from '../../src/http/health';
import { EMBEDDED_DURABILITY_WARNING } from '../../src/runtime';
import { databaseKinds } from '../helpers/harness';
import { captureLogs } from '../helpers/logs';
import { suiteHarness } from '../helpers/suite';
import { inboundSms, postResend, postTwilio } from '../helpers/webhooks';

describe.each(databaseKinds())('GET /health on %s', (kind) => {
  // Figures fresh on every request, so they can be followed step by step.
  const h = suiteHarness(kind, { HEALTH_CACHE_MS: '0' });

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
      // Only PostgreSQL survives a power loss; the embedded database says so.
      database: { ok: true, driver: kind, durable: kind === 'postgres', latencyMs: expect.any(Number) },
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

describe.each(databaseKinds())('GET /health under load and failure on %s', (kind) => {
  const logs = captureLogs('warn');
  const h = suiteHarness(kind, { HEALTH_CACHE_MS: '60000' }, { logger: logs.logger });

  it('warns once at start-up, on the embedded database only, what it does not survive', () => {
    const warnings = logs.lines.filter((l) => l.message === EMBEDDED_DURABILITY_WARNING);
    expect(warnings).toEqual(kind === 'pglite' ? [expect.objectContaining({ level: 'warn', durable: false })] : []);
    expect(EMBEDDED_DURABILITY_WARNING).toMatch(/survives a crash or kill -9 .* NOT a power loss or an OS crash/);
  });

  it('reuses the queue figures for HEALTH_CACHE_MS, so a flood of probes does not query them each time', async () => {
    const first = await h.http().get('/health');
    expect(first.body.queue).toMatchObject({ pending: 0 });
    expect((await postTwilio(h, inboundSms())).status).toBe(200);
    const probes = await Promise.all(Array.from({ length: 20 }, () => h.http().get('/health')));
    for (const probe of probes) {
      expect(probe.status).toBe(200);
      expect(probe.body.queue).toEqual(first.body.queue);
      expect(probe.body.providers.twilio.lastReceivedAt).toBeNull();
    }
    // The figures are stale by design, but the database status is not.
    expect((await h.rows(sql`select count(*)::int as n from webhook_events`))[0]).toEqual({ n: 1 });
  });

  it('reports an unavailable database as 503 without its error text, which goes to the log at warn', async () => {
    await h.runtime.close();
    const res = await h.http().get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      status: 'unavailable',
      database: { ok: false, driver: kind, durable: kind === 'postgres', error: DATABASE_UNAVAILABLE },
    });
    expect(res.body.queue).toBeUndefined();
    const logged = logs.lines.filter((l) => l.message === 'health: database unavailable');
    expect(logged).toEqual([expect.objectContaining({ level: 'warn', error: expect.any(String) })]);
    const detail = logged[0]!.error as string;
    expect(detail).not.toBe(DATABASE_UNAVAILABLE);
    expect(res.text).not.toContain(detail);
    // Another probe with the same failure: answered the same, not logged again.
    expect((await h.http().get('/health')).status).toBe(503);
    expect(logs.lines.filter((l) => l.message === 'health: database unavailable')).toHaveLength(1);
  });
});
