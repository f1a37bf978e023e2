import { sql } from 'drizzle-orm';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, type Harness } from '../helpers/harness';
import { startPostgres, type ThrowawayPostgres } from '../helpers/postgres';
import { inboundSms, postTwilio } from '../helpers/webhooks';

const hasPostgres = databaseKinds().includes('postgres');

/** The provider must see 503 (and retry later), never a 200 for an event that was not stored. */
(hasPostgres ? describe : describe.skip)('PostgreSQL stopped and started again (its own server)', () => {
  let server: ThrowawayPostgres;
  let h: Harness;
  beforeAll(async () => {
    server = await startPostgres();
    h = await openHarness('postgres', { DATABASE_TIMEOUT_MS: '500' }, { postgresServerUrl: server.url });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await h?.close();
    server?.destroy();
  });

  it('answers 503 while down, health says so, and the provider retry is stored once it is back', async () => {
    const params = inboundSms();
    server.stop();

    const started = Date.now();
    const down = await postTwilio(h, params);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ error: 'database_unavailable', message: expect.any(String) });

    const health = await h.http().get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unavailable', database: { ok: false, driver: 'postgres' } });
    expect((await h.http().get('/health/live')).status).toBe(200);

    server.start();
    const back = await postTwilio(h, params);
    expect(back.status).toBe(200);
    expect(back.text).toBe('<Response/>');
    expect((await h.http().get('/health')).status).toBe(200);
    expect(await h.drain()).toEqual(['processed']);
    expect(await h.rows(sql`select external_id from messages`)).toEqual([{ external_id: params.MessageSid }]);
  });
});

describe('embedded database closed', () => {
  it(
    'answers 503 to a signed webhook and to /health, 200 to /health/live',
    async () => {
      const h = await openHarness('pglite');
      try {
        await h.runtime.close();
        const res = await postTwilio(h, inboundSms());
        expect(res.status).toBe(503);
        expect(res.body.error).toBe('database_unavailable');
        expect((await h.http().get('/health')).status).toBe(503);
        expect((await h.http().get('/health/live')).status).toBe(200);
      } finally {
        await h.close();
      }
    },
    OPEN_TIMEOUT_MS,
  );
});
