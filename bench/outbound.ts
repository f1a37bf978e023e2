import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { ThrowawayPostgres } from '../test/helpers/postgres';
import { freePort } from '../test/helpers/postgres';
import { measureCpu } from './cpu';
import { createDatabase, processingDelay, waitUntilSettled, withClient, type DelayFigures } from './database';
import type { Delivery } from './load';
import { runPaced } from './pacer';
import { startHookport, withChild, type BenchSettings } from './phases';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123456789';
/** Verifying every signature would make the bench process the bottleneck; one in this many is checked. */
const VERIFY_EVERY = 25;

/** A fast local subscriber: answers 204 at once, notes when each webhook-id arrived, checks signatures. */
class FastReceiver {
  readonly arrivals = new Map<string, number>();
  verified = 0;
  badSignatures = 0;
  private server: Server | undefined;
  private webhook: Webhook | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        if (!this.arrivals.has(id)) this.arrivals.set(id, Date.now());
        if (this.webhook && this.arrivals.size % VERIFY_EVERY === 0) {
          try {
            this.webhook.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
            this.verified += 1;
          } catch {
            this.badSignatures += 1;
          }
        }
        res.writeHead(204).end();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  useSecret(secret: string): void {
    this.webhook = new Webhook(secret);
  }

  async waitFor(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.arrivals.size < count) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const OUTBOUND_ENV = { ADMIN_TOKEN, DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true' };

async function subscribe(baseUrl: string, receiverUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/admin/api/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiverUrl, eventTypes: ['*'], description: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`subscribing failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret: string }).secret;
}

const countDeliveries = (url: string, status: string) =>
  withClient(url, async (c) =>
    Number((await c.query('select count(*) from deliveries where status = $1', [status])).rows[0].count),
  );

const countAllDeliveries = (url: string) =>
  withClient(url, async (c) => Number((await c.query('select count(*) from deliveries')).rows[0].count));

export interface OutboundThroughput {
  deliveries: number;
  seconds: number;
  perSecond: number;
  complete: boolean;
  verified: number;
  badSignatures: number;
  hookportCpuMs: number;
  postgresCpuMs: number;
}

/**
 * g) deliveries per second to a fast receiver: events are ingested and processed with the delivery
 * worker off, leaving a backlog of pending deliveries; a fresh Hookport then sends them all, each
 * signed. Timed from its first delivery's arrival to its last.
 */
export async function measureDeliveryThroughput(
  pg: ThrowawayPostgres,
  s: BenchSettings,
  next: () => Delivery,
): Promise<OutboundThroughput> {
  const databaseUrl = await createDatabase(pg.url, 'bench_outbound');
  const receiver = new FastReceiver();
  const receiverUrl = await receiver.start();
  try {
    const off = await startHookport(databaseUrl, s.secret, true, await freePort(), {
      ...OUTBOUND_ENV,
      DELIVERY_WORKER_ENABLED: 'false',
    });
    await withChild(off, async (c) => {
      receiver.useSecret(await subscribe(c.url, receiverUrl));
      await runPaced({
        url: c.url,
        path: '/webhooks/resend',
        connections: s.connections,
        rate: 2000,
        seconds: 5,
        next,
      });
      await waitUntilSettled(databaseUrl, 60_000);
    });
    const backlog = await countDeliveries(databaseUrl, 'pending');
    const on = await startHookport(databaseUrl, s.secret, true, await freePort(), OUTBOUND_ENV);
    return await withChild(on, async (c) => {
      const cpu = measureCpu(c, s.postgresPid);
      const complete = await receiver.waitFor(backlog, 120_000);
      const share = cpu();
      const times = [...receiver.arrivals.values()];
      const seconds = Math.max(0.001, (Math.max(...times) - Math.min(...times)) / 1000);
      const perDeliveryMs = (percentOfCore: number) => ((percentOfCore / 100) * seconds * 1000) / backlog;
      return {
        deliveries: receiver.arrivals.size,
        seconds,
        perSecond: receiver.arrivals.size / seconds,
        // Events the first instance left unprocessed are fanned out by this one: count every row.
        complete:
          complete && (await countAllDeliveries(databaseUrl)) === (await countDeliveries(databaseUrl, 'succeeded')),
        verified: receiver.verified,
        badSignatures: receiver.badSignatures,
        hookportCpuMs: perDeliveryMs(share.serverPercentOfCore),
        postgresCpuMs: perDeliveryMs(share.postgresPercentOfCore),
      };
    });
  } finally {
    await receiver.stop();
  }
}

export interface OutboundLatency {
  rate: number;
  events: number;
  delivered: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  inbox: DelayFigures;
  badSignatures: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/**
 * h) a steady rate with both workers on: from the inbox row's received_at to the subscriber
 * receiving the delivery (one clock: all on this machine), beside the inbox's own delay.
 */
export async function measureDeliveryLatency(
  pg: ThrowawayPostgres,
  s: BenchSettings,
  rate: number,
  next: () => Delivery,
): Promise<OutboundLatency> {
  const databaseUrl = await createDatabase(pg.url, 'bench_outbound_paced');
  const receiver = new FastReceiver();
  const receiverUrl = await receiver.start();
  try {
    const child = await startHookport(databaseUrl, s.secret, true, await freePort(), OUTBOUND_ENV);
    return await withChild(child, async (c) => {
      receiver.useSecret(await subscribe(c.url, receiverUrl));
      const load = await runPaced({
        url: c.url,
        path: '/webhooks/resend',
        connections: s.connections,
        rate,
        seconds: s.pacedSeconds,
        next,
      });
      await waitUntilSettled(databaseUrl, 30_000);
      const expected = await withClient(databaseUrl, async (db) =>
        Number((await db.query('select count(*) from deliveries')).rows[0].count),
      );
      await receiver.waitFor(expected, 30_000);
      const received = await withClient(
        databaseUrl,
        async (db) =>
          (
            await db.query(
              `select c.id, extract(epoch from e.received_at) * 1000 as at from canonical_events c
               join webhook_events e on e.id = c.webhook_event_id where c.id = any($1::uuid[])`,
              [[...receiver.arrivals.keys()]],
            )
          ).rows as { id: string; at: string }[],
      );
      const delays = received.map((r) => receiver.arrivals.get(r.id)! - Number(r.at)).sort((a, b) => a - b);
      return {
        rate,
        events: load.ok,
        delivered: receiver.arrivals.size,
        p50Ms: percentile(delays, 0.5),
        p99Ms: percentile(delays, 0.99),
        maxMs: delays.at(-1) ?? NaN,
        inbox: await processingDelay(databaseUrl),
        badSignatures: receiver.badSignatures,
      };
    });
  } finally {
    await receiver.stop();
  }
}
