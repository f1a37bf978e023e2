import { startPostgres, type ThrowawayPostgres } from '../test/helpers/postgres';
import { backgroundBusyPercent, cores } from './cpu';
import { countStoredIds, durabilitySettings } from './database';
import { cycle, randomResendSecret, ResendDeliveries } from './deliveries';
import {
  liveChildren,
  measureBare,
  postmasterPid,
  measureDrain,
  measureIngest,
  measurePaced,
  measureUpsertBaseline,
  tuning,
  type BenchSettings,
  type IngestMeasured,
} from './phases';
import { measureSeparateWorker, measureTwoIngest } from './scale-out';
import { formatTable, int, pct } from './report';
import { summaryRows } from './summary';
import { measureDeliveryLatency, measureDeliveryThroughput } from './outbound';

/**
 * npm run bench: Hookport (at production defaults: LOG_LEVEL=info, worker on) against a bare Express
 * route and against verify-and-upsert in the request, then scaled out to several processes, on a
 * throwaway durable PostgreSQL, all on 127.0.0.1. Servers run as child processes; this process is
 * the (single-threaded) load generator.
 */
const settings: BenchSettings = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  warmupSeconds: 2,
  pacedRate: Number(process.env.BENCH_RATE ?? 500),
  pacedSeconds: 12,
  secret: randomResendSecret(),
  postgresPid: 0,
};
const HARD_LIMIT_MS = 7 * 60_000;
const say = (text: string) => process.stdout.write(`bench: ${text}\n`);

let pg: ThrowawayPostgres | undefined;

async function cleanup(): Promise<void> {
  await Promise.allSettled([...liveChildren].map((child) => child.stop(3000)));
  try {
    pg?.destroy();
  } catch (err) {
    process.stderr.write(`bench: could not stop PostgreSQL: ${(err as Error).message}\n`);
  }
  pg = undefined;
}

/** Every id answered 200 must survive a crash of PostgreSQL (immediate stop, WAL recovery). */
async function crashAndCount(server: ThrowawayPostgres, runs: IngestMeasured[]): Promise<number[]> {
  server.stop('immediate');
  server.start();
  settings.postgresPid = postmasterPid(server);
  return Promise.all(runs.map((r) => countStoredIds(r.databaseUrl, [...r.warmup.ackedIds, ...r.load.ackedIds])));
}

async function main(): Promise<void> {
  const background = await backgroundBusyPercent();
  if (background > 15)
    say(`WARNING: the machine is already ${pct(background)} busy with other work; figures will be low`);
  say('starting PostgreSQL (durable settings)');
  pg = await startPostgres({ durable: true });
  settings.postgresPid = postmasterPid(pg);
  const durability = await durabilitySettings(pg.url);
  if (durability.fsync !== 'on' || durability.synchronous_commit !== 'on') {
    throw new Error(`PostgreSQL is not durable: ${JSON.stringify(durability)}`);
  }
  const resend = new ResendDeliveries(settings.secret);

  const bareDeliveries = Array.from({ length: 5000 }, resend.next);
  say(`b) bare Express, ${settings.connections} connections, ${settings.seconds} s`);
  const bare = await measureBare(settings, cycle(bareDeliveries), true);
  say(`b') bare Express without ETag (as Hookport answers), ${settings.seconds} s`);
  const bareNoEtag = await measureBare(settings, cycle(bareDeliveries), false);

  // Pre-sign about what each server can take; past that, deliveries are signed on demand (reported).
  const runSeconds = settings.seconds + settings.warmupSeconds;
  const signedLate: string[] = [];
  const noteSignedLate = (phase: string) => {
    if (resend.signedDuringRun > 0) signedLate.push(`${int(resend.signedDuringRun)} in ${phase}`);
  };
  const upsertStock = Math.min(80_000, Math.ceil(bare.load.perSecond * 0.4 * runSeconds));
  say(`i) verify and upsert in the request: signing ${int(upsertStock)} deliveries, then ${settings.seconds} s`);
  const upsert = await measureUpsertBaseline(pg, settings, resend.prepare(upsertStock).next);
  noteSignedLate('i)');

  const stock = Math.min(200_000, Math.ceil(bare.load.perSecond * 0.8 * runSeconds));
  say(`a) Hookport, worker off: signing ${int(stock)} deliveries, then ${settings.seconds} s`);
  const ingest = await measureIngest(pg, 'bench_ingest', false, settings, resend.prepare(stock).next);
  noteSignedLate('a)');

  say(`j) two Hookport processes, worker off, connections split between them: ${settings.seconds} s`);
  const twoIngest = await measureTwoIngest(pg, settings, resend.prepare(stock).next);
  noteSignedLate('j)');

  say(`a') Hookport at production defaults (LOG_LEVEL=info, worker on): ${settings.seconds} s`);
  const withWorker = await measureIngest(pg, 'bench_ingest_worker', true, settings, resend.prepare(stock).next);
  noteSignedLate("a')");

  say('crashing PostgreSQL (immediate stop) and recovering, to count the acknowledged events');
  const [survived, survivedWithWorker, survivedTwo] = await crashAndCount(pg, [ingest, withWorker, twoIngest]);

  say(`d) Hookport, worker on, ${settings.pacedRate} events/s for ${settings.pacedSeconds} s`);
  const paced = await measurePaced(
    pg,
    'bench_paced',
    settings,
    resend.prepare(Math.ceil(settings.pacedRate * settings.pacedSeconds * 1.1)).next,
  );

  say(
    `k) two ingest-only Hookports and a worker-only one, ${settings.pacedRate} events/s for ${settings.pacedSeconds} s`,
  );
  const separate = await measureSeparateWorker(
    pg,
    settings,
    resend.prepare(Math.ceil(settings.pacedRate * settings.pacedSeconds * 1.1)).next,
  );

  say(`f) Hookport's worker alone, draining the ${int(ingest.rowsStored)} events a) left pending`);
  const drain = await measureDrain(ingest.databaseUrl, settings);

  say('g) outbound: a backlog of deliveries to a fast local subscriber, each signed');
  const outbound = await measureDeliveryThroughput(pg, settings, resend.prepare(12_000).next);

  const deliveryRate = Number(process.env.BENCH_DELIVERY_RATE ?? 200);
  say(`h) outbound: ${deliveryRate} events/s for ${settings.pacedSeconds} s, stored -> delivered`);
  const outboundPaced = await measureDeliveryLatency(
    pg,
    settings,
    deliveryRate,
    resend.prepare(Math.ceil(deliveryRate * settings.pacedSeconds * 1.1)).next,
  );

  const rows = summaryRows({
    settings,
    ingest,
    withWorker,
    bare,
    bareNoEtag,
    paced,
    drain,
    outbound,
    outboundPaced,
    upsert,
    twoIngest,
    separate,
    survived: { ingest: survived!, withWorker: survivedWithWorker!, twoIngest: survivedTwo! },
  });
  process.stdout.write(
    `\nHookport bench: ${settings.connections} connections, ${settings.seconds} s per run after ${settings.warmupSeconds} s warm-up, ` +
      `127.0.0.1, ${cores} cores (${pct(background)} busy before start); PostgreSQL ${JSON.stringify(durability)}` +
      `${Object.keys(tuning).length > 0 ? `; Hookport env ${JSON.stringify(tuning)}` : ''}` +
      `${signedLate.length > 0 ? `; deliveries signed during the run: ${signedLate.join(', ')}` : ''}\n\n${formatTable(rows)}\n\n`,
  );
  if (rows.some((r) => r.pass === false)) process.exitCode = 1;
}

const limit = setTimeout(() => {
  process.stderr.write(`bench: over ${HARD_LIMIT_MS / 60_000} minutes, stopping\n`);
  void cleanup().finally(() => process.exit(2));
}, HARD_LIMIT_MS);
limit.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`bench: failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
