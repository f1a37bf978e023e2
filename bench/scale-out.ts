import type { ThrowawayPostgres } from '../test/helpers/postgres';
import { freePort } from '../test/helpers/postgres';
import type { ServerChild } from './child';
import { measureCpu, type CpuShare } from './cpu';
import { countEvents, createDatabase, processingDelay, waitUntilSettled, type DelayFigures } from './database';
import type { Delivery } from './load';
import type { LoadResult } from './load';
import { runPaced } from './pacer';
import { liveChildren, saturate, startHookport, type BenchSettings, type IngestMeasured } from './phases';

/**
 * Scaling out on one PostgreSQL (j, k): several Hookport processes, started one after the other so
 * each is ready before the next migrates, measured together and stopped together.
 */
async function withHookports<T>(
  databaseUrl: string,
  s: BenchSettings,
  workers: readonly boolean[],
  fn: (children: ServerChild[]) => Promise<T>,
): Promise<T> {
  const children: ServerChild[] = [];
  try {
    for (const worker of workers) {
      const child = await startHookport(databaseUrl, s.secret, worker, await freePort());
      liveChildren.add(child);
      children.push(child);
    }
    return await fn(children);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    for (const c of children) liveChildren.delete(c);
  }
}

/** j) two ingest-only processes (WORKER_ENABLED=false), the load generator's connections split between them. */
export async function measureTwoIngest(
  pg: ThrowawayPostgres,
  s: BenchSettings,
  next: () => Delivery,
): Promise<IngestMeasured> {
  const databaseUrl = await createDatabase(pg.url, 'bench_ingest_two');
  const measured = await withHookports(databaseUrl, s, [false, false], (children) => saturate(children, s, next));
  return { ...measured, databaseUrl, rowsStored: await countEvents(databaseUrl) };
}

export interface SeparateWorkerMeasured {
  load: LoadResult;
  delay: DelayFigures;
  settled: boolean;
  /** Ingest 1, ingest 2, then the worker: from the first request until every event was processed. */
  cpu: CpuShare;
  peakRssMiB: number[];
}

/**
 * k) two ingest-only processes sharing a steady rate, and a worker-only process beside them that
 * receives no traffic (woken by NOTIFY when an ingest process commits): ack -> processed.
 */
export async function measureSeparateWorker(
  pg: ThrowawayPostgres,
  s: BenchSettings,
  next: () => Delivery,
): Promise<SeparateWorkerMeasured> {
  const databaseUrl = await createDatabase(pg.url, 'bench_scale_paced');
  return withHookports(databaseUrl, s, [false, false, true], async (children) => {
    const ingest = children.slice(0, 2);
    const cpu = measureCpu(children, s.postgresPid);
    const load = await runPaced({
      url: ingest.map((c) => c.url),
      path: '/webhooks/resend',
      connections: s.connections,
      rate: s.pacedRate,
      seconds: s.pacedSeconds,
      next,
    });
    const settled = await waitUntilSettled(databaseUrl, 30_000, 50);
    return {
      load,
      settled,
      cpu: cpu(),
      delay: await processingDelay(databaseUrl),
      peakRssMiB: children.map((c) => c.peakRssMiB()),
    };
  });
}
