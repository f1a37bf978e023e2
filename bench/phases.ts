import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startPostgres, type ThrowawayPostgres } from '../test/helpers/postgres';
import { startServerChild, type ServerChild } from './child';
import { measureCpu, type CpuShare } from './cpu';
import {
  countEvents,
  createDatabase,
  processingDelay,
  waitUntilSettled,
  withClient,
  type DelayFigures,
} from './database';
import type { Delivery } from './load';
import { runLoad, type LoadResult } from './load';
import { runPaced } from './pacer';
import { PRODUCTION_NODE_FLAGS } from './production-flags';

export interface BenchSettings {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  pacedRate: number;
  pacedSeconds: number;
  secret: string;
  /** The postmaster, to measure PostgreSQL's CPU share; set once it runs. */
  postgresPid: number;
}

export interface Measured {
  warmup: LoadResult;
  load: LoadResult;
  cpu: CpuShare;
  peakRssMiB: number;
}

/** Children still running, so run.ts can stop them all if anything fails. */
export const liveChildren = new Set<ServerChild>();

/** The postmaster's pid, whose process tree is PostgreSQL's CPU share. */
export const postmasterPid = (server: ThrowawayPostgres) =>
  Number(readFileSync(path.join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

/**
 * A bench script's body on a throwaway durable PostgreSQL: whatever happens, the servers it started
 * are stopped and PostgreSQL is removed.
 */
export async function withBenchPostgres(
  fn: (pg: ThrowawayPostgres, postgresPid: number) => Promise<void>,
): Promise<void> {
  let pg: ThrowawayPostgres | undefined;
  try {
    // BENCH_PG_SETTINGS="shared_buffers=1GB work_mem=16MB": the server tuned as production would be.
    const settings = (process.env.BENCH_PG_SETTINGS ?? '').split(' ').filter((s) => s !== '');
    const odd = settings.find((s) => !/^\w[\w.]*=[\w.]+$/.test(s));
    if (odd) throw new Error(`BENCH_PG_SETTINGS: "${odd}" is not name=value`);
    pg = await startPostgres({ durable: true, settings });
    await fn(pg, postmasterPid(pg));
  } finally {
    await Promise.allSettled([...liveChildren].map((c) => c.stop(3000)));
    pg?.destroy();
  }
}

const DIST = path.resolve(__dirname, '..');
const RESEND_PATH = '/webhooks/resend';

export async function withChild<T>(child: ServerChild, fn: (child: ServerChild) => Promise<T>): Promise<T> {
  liveChildren.add(child);
  try {
    return await fn(child);
  } finally {
    await child.stop();
    liveChildren.delete(child);
  }
}

/**
 * Warm-up (JIT, pool connections), then the measured run with CPU shares and peak RSS (the largest,
 * when several servers share the load: connections are spread over them round robin).
 */
export async function saturate(
  children: ServerChild | readonly ServerChild[],
  s: BenchSettings,
  next: () => Delivery,
): Promise<Measured> {
  const servers = 'url' in children ? [children] : children;
  const base = { url: servers.map((c) => c.url), path: RESEND_PATH, connections: s.connections, next };
  const warmup = await runLoad({ ...base, seconds: s.warmupSeconds });
  const cpu = measureCpu(servers, s.postgresPid);
  const load = await runLoad({ ...base, seconds: s.seconds });
  return { warmup, load, cpu: cpu(), peakRssMiB: Math.max(...servers.map((c) => c.peakRssMiB())) };
}

/** b) the baseline: Express reading a raw body and answering 200, nothing else (b': without ETag). */
export async function measureBare(s: BenchSettings, next: () => Delivery, etag: boolean): Promise<Measured> {
  const port = await freePort();
  const env = { PORT: String(port), ...(etag ? {} : { BARE_ETAG: 'off' }) };
  const child = await startServerChild('bare express', path.join(DIST, 'bench/bare-server.js'), port, env);
  return withChild(child, (c) => saturate(c, s, next));
}

/**
 * i) the second baseline: verify with svix and upsert the email inside the request (see
 * bench/upsert-server.ts), measured like b against a fresh database on the same PostgreSQL.
 */
export async function measureUpsertBaseline(
  pg: ThrowawayPostgres,
  s: BenchSettings,
  next: () => Delivery,
): Promise<UpsertMeasured> {
  const port = await freePort();
  const databaseUrl = await createDatabase(pg.url, 'bench_upsert');
  const env = { PORT: String(port), DATABASE_URL: databaseUrl, RESEND_WEBHOOK_SECRET: s.secret };
  const child = await startServerChild('upsert baseline', path.join(DIST, 'bench/upsert-server.js'), port, env);
  const measured = await withChild(child, (c) => saturate(c, s, next));
  // Two events (sent, delivered) per email: about half as many rows as 200s shows the work was done.
  const emailRows = await withClient(databaseUrl, async (c) =>
    Number((await c.query('select count(*) from emails')).rows[0].count),
  );
  return { ...measured, emailRows };
}

export interface UpsertMeasured extends Measured {
  emailRows: number;
}

/** Tuning knobs taken from the bench's own environment, to try settings: `DATABASE_POOL_SIZE=20 npm run bench`. */
const PASSED_THROUGH = [
  'DATABASE_POOL_SIZE',
  'WORKER_CONCURRENCY',
  'WORKER_SWEEP_MS',
  'DELIVERY_CONCURRENCY',
  'DELIVERY_SUBSCRIPTION_CONCURRENCY',
] as const;

export const tuning = Object.fromEntries(
  PASSED_THROUGH.filter((name) => process.env[name]).map((name) => [name, process.env[name]!]),
);

export function startHookport(
  databaseUrl: string,
  secret: string,
  worker: boolean,
  port: number,
  extra: Record<string, string> = {},
  /** Another build's dist/ (bench:tracing's baseline); default: this one. */
  dist = DIST,
): Promise<ServerChild> {
  const env = {
    ...tuning,
    DATABASE_URL: databaseUrl,
    RESEND_WEBHOOK_SECRET: secret,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info', // production's default: figures are taken as Hookport is run
    NODE_ENV: 'production',
    WORKER_ENABLED: String(worker),
    ...extra,
  };
  // As `npm start` and the Docker image run it.
  return startServerChild(
    'hookport',
    path.join(dist, 'src/server.js'),
    port,
    env,
    '/health/live',
    PRODUCTION_NODE_FLAGS,
  );
}

export interface IngestMeasured extends Measured {
  databaseUrl: string;
  rowsStored: number;
  /** With the worker on, rows already processed when the load ended: whether it kept up. */
  processedWhenLoadEnded?: number;
}

/** a) verified Resend events acknowledged per second, each a distinct signed delivery. */
export async function measureIngest(
  pg: ThrowawayPostgres,
  dbName: string,
  worker: boolean,
  s: BenchSettings,
  next: () => Delivery,
): Promise<IngestMeasured> {
  const databaseUrl = await createDatabase(pg.url, dbName);
  const child = await startHookport(databaseUrl, s.secret, worker, await freePort());
  const measured = await withChild(child, async (c) => {
    const result = await saturate(c, s, next);
    return worker ? { ...result, processedWhenLoadEnded: await countEvents(databaseUrl, 'processed') } : result;
  });
  // The child has drained its in-flight requests (SIGTERM closes gracefully): every row is in.
  return { ...measured, databaseUrl, rowsStored: await countEvents(databaseUrl) };
}

export interface PacedMeasured {
  load: LoadResult;
  delay: DelayFigures;
  settled: boolean;
  peakRssMiB: number;
}

/** d) a steady rate with the worker on: how long from the 200 to `processed`, per the database. */
export async function measurePaced(
  pg: ThrowawayPostgres,
  dbName: string,
  s: BenchSettings,
  next: () => Delivery,
): Promise<PacedMeasured> {
  const databaseUrl = await createDatabase(pg.url, dbName);
  const child = await startHookport(databaseUrl, s.secret, true, await freePort());
  return withChild(child, async (c) => {
    const load = await runPaced({
      url: c.url,
      path: RESEND_PATH,
      connections: s.connections,
      rate: s.pacedRate,
      seconds: s.pacedSeconds,
      next,
    });
    const settled = await waitUntilSettled(databaseUrl, 30_000);
    return { load, settled, delay: await processingDelay(databaseUrl), peakRssMiB: c.peakRssMiB() };
  });
}

export interface DrainMeasured {
  events: number;
  seconds: number;
  perSecond: number;
  settled: boolean;
  /** CPU milliseconds per processed event: Hookport's process, and PostgreSQL's. */
  hookportCpuMs: number;
  postgresCpuMs: number;
  peakRssMiB: number;
}

/**
 * f) the worker alone: a fresh Hookport (no traffic) drains the backlog a) left pending. Its rate is
 * the ceiling of one worker process; its CPU per event is what the worker costs beside ingest.
 */
export async function measureDrain(databaseUrl: string, s: BenchSettings): Promise<DrainMeasured> {
  const events = await countEvents(databaseUrl);
  const child = await startHookport(databaseUrl, s.secret, true, await freePort());
  return withChild(child, async (c) => {
    const cpu = measureCpu(c, s.postgresPid);
    const started = process.hrtime.bigint();
    const settled = await waitUntilSettled(databaseUrl, 120_000, 50);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const share = cpu();
    const perEventMs = (percentOfCore: number) => ((percentOfCore / 100) * seconds * 1000) / events;
    return {
      events,
      seconds,
      perSecond: events / seconds,
      settled,
      hookportCpuMs: perEventMs(share.serverPercentOfCore),
      postgresCpuMs: perEventMs(share.postgresPercentOfCore),
      peakRssMiB: c.peakRssMiB(),
    };
  });
}
