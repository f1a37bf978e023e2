import { sql } from 'drizzle-orm';
import { databaseKinds, OPEN_TIMEOUT_MS, openHarness, type Harness } from '../helpers/harness';
import { startPostgres, type ThrowawayPostgres } from '../helpers/postgres';
import { Receiver, verifyDelivery } from '../helpers/receiver';
import { registerSecret } from '../helpers/log-capture';
import { waitFor } from '../helpers/wait';
import { inboundSms, postTwilio } from '../helpers/webhooks';

const hasPostgres = databaseKinds().includes('postgres');
const ADMIN_TOKEN = 'admin-token-for-delivery-database-down-0123456789';

/** Deliveries in flight when PostgreSQL goes away: their outcomes cannot be recorded, and none may be lost. */
(hasPostgres ? describe : describe.skip)(
  'deliveries while PostgreSQL is stopped and started again (its own server)',
  () => {
    let server: ThrowawayPostgres;
    let h: Harness;
    beforeAll(async () => {
      // Durable: an immediate stop must not take committed transactions with it (the default test
      // server runs without fsync and synchronous commit, which would lose the deliveries themselves).
      server = await startPostgres({ durable: true });
      h = await openHarness(
        'postgres',
        {
          ADMIN_TOKEN,
          DATABASE_TIMEOUT_MS: '500',
          DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
          DELIVERY_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms,200ms',
          DELIVERY_LEASE_SECONDS: '1',
          DELIVERY_SWEEP_MS: '100',
          DELIVERY_SUBSCRIPTION_CONCURRENCY: '4',
        },
        { postgresServerUrl: server.url },
      );
    }, OPEN_TIMEOUT_MS);
    afterAll(async () => {
      await h?.close();
      server?.destroy();
    });

    it('every delivery reaches the receiver once PostgreSQL is back, under its one webhook-id', async () => {
      // Slow answers, so deliveries are in flight when the database stops.
      const r = new Receiver(() => ({ status: 200, body: 'ok', delayMs: 150 }));
      await r.start();
      try {
        const res = await h
          .http()
          .post('/admin/api/subscriptions')
          .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
          .send({ url: r.url(), eventTypes: ['*'] });
        expect(res.status).toBe(201);
        registerSecret('subscription secret', res.body.secret);
        for (let i = 0; i < 20; i++) expect((await postTwilio(h, inboundSms())).status).toBe(200);
        await h.drain();
        const ids = (await h.rows<{ id: string }>(sql`select canonical_event_id as id from deliveries`)).map(
          (d) => d.id,
        );
        expect(ids).toHaveLength(20);

        h.runtime.deliveryWorker.start();
        await waitFor(
          async () => r.received.length,
          (n) => n >= 4,
          5000,
        );
        server.stop('immediate');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        server.start();

        const settled = () => h.rows<{ status: string }>(sql`select status from deliveries`);
        await waitFor(settled, (rows) => rows.length === 20 && rows.every((d) => d.status === 'succeeded'), 30_000);
        // A delivery whose answer came while the database was down is sent again: the receiver may
        // see it twice, always under the same webhook-id, and never an id that is not a delivery's.
        const seen = new Set(r.received.map((x) => x.headers['webhook-id']));
        expect([...seen].sort()).toEqual([...ids].sort());
        for (const x of r.received) expect(verifyDelivery(res.body.secret, x).type).toBe('message.received');
        // The stop hit deliveries in flight: their success could not be recorded, so they went again.
        const [retaken] = await h.rows<{ n: number }>(
          sql`select count(*)::int as n from deliveries where attempts > 1`,
        );
        expect(retaken!.n).toBeGreaterThan(0);
        expect(r.received.length).toBeGreaterThan(ids.length);
      } finally {
        await r.close();
      }
    });
  },
);
