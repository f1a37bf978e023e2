import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startPostgres, type ThrowawayPostgres } from '../test/helpers/postgres';
import { backgroundBusyPercent, cores } from './cpu';
import { countStoredIds, durabilitySettings } from './database';
import { cycle, randomResendSecret, ResendDeliveries } from './deliveries';
import { liveChildren, measureBare, measureDrain, measureIngest, measurePaced, tuning, type BenchSettings, type IngestMeasured, type Measured } from './phases';
import { formatTable, int, ms, pct, type Row } from './report';
import { measureDeliveryLatency, measureDeliveryThroughput } from './outbound';

/**
 * npm run bench: Hookport against a bare Express route, on a throwaway durable PostgreSQL, all on
 * 127.0.0.1. Servers run as child processes; this process is the (single-threaded) load generator.
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
const HARD_LIMIT_MS = 5 * 60_000;
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

const postmasterPid = (server: ThrowawayPostgres) =>
  Number(readFileSync(path.join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

/** Every id answered 200 must survive a crash of PostgreSQL (immediate stop, WAL recovery). */
async function crashAndCount(server: ThrowawayPostgres, runs: IngestMeasured[]): Promise<number[]> {
  server.stop('immediate');
  server.start();
  settings.postgresPid = postmasterPid(server);
  return Promise.all(runs.map((r) => countStoredIds(r.databaseUrl, [...r.warmup.ackedIds, ...r.load.ackedIds])));
}

/** Where the CPU went: per process in % of one core, and CPU time per answered request. */
function cpuRow(key: string, server: string, m: Measured): Row {
  const { serverPercentOfCore: app, postgresPercentOfCore: db, loadPercentOfCore: gen, machinePercent } = m.cpu;
  const perRequest = (share: number) => ms((share / 100 / m.load.perSecond) * 1000);
  return {
    key,
    figure: `  CPU: ${server} / PostgreSQL / load gen (machine)`,
    value:
      `${pct(app)} / ${pct(db)} / ${pct(gen)} of a core (${pct(machinePercent)} of ${cores}); ` +
      `${perRequest(app)} / ${perRequest(db)} ms per request`,
  };
}

async function main(): Promise<void> {
  const background = await backgroundBusyPercent();
  if (background > 15) say(`WARNING: the machine is already ${pct(background)} busy with other work; figures will be low`);
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

  // Pre-sign about what Hookport can take; past that, deliveries are signed on demand (reported).
  const stock = Math.min(200_000, Math.ceil(bare.load.perSecond * 0.8 * (settings.seconds + settings.warmupSeconds)));
  say(`a) Hookport, worker off: signing ${int(stock)} deliveries, then ${settings.seconds} s`);
  const ingest = await measureIngest(pg, 'bench_ingest', false, settings, resend.prepare(stock).next);
  const signedLate = resend.signedDuringRun;

  say(`a') Hookport, worker on: ${settings.seconds} s`);
  const withWorker = await measureIngest(pg, 'bench_ingest_worker', true, settings, resend.prepare(stock).next);

  say('crashing PostgreSQL (immediate stop) and recovering, to count the acknowledged events');
  const [survived, survivedWithWorker] = await crashAndCount(pg, [ingest, withWorker]);

  say(`d) Hookport, worker on, ${settings.pacedRate} events/s for ${settings.pacedSeconds} s`);
  const paced = await measurePaced(
    pg,
    'bench_paced',
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

  const acked = (r: IngestMeasured) => r.warmup.ok + r.load.ok;
  const ratio = (ingest.load.perSecond / bare.load.perSecond) * 100;
  const strictRatio = (ingest.load.perSecond / bareNoEtag.load.perSecond) * 100;
  const failures = (r: { load: { non2xx: number; errors: number } }) =>
    r.load.non2xx + r.load.errors > 0 ? ` (${r.load.non2xx} non-2xx, ${r.load.errors} errors)` : '';
  const rows: Row[] = [
    { key: 'a', figure: 'verified Resend events acknowledged/s (worker off)', value: `${int(ingest.load.perSecond)}/s${failures(ingest)}` },
    { key: 'a', figure: '  latency p50 / p99', value: `${ms(ingest.load.p50Ms)} / ${ms(ingest.load.p99Ms)} ms`, target: 'p99 < 50 ms', pass: ingest.load.p99Ms < 50 },
    {
      key: 'a',
      figure: '  answered 200 / rows / 200s found after PG crash',
      value: `${int(acked(ingest))} / ${int(ingest.rowsStored)} / ${int(survived!)}`,
      target: 'every 200 stored',
      pass: survived === acked(ingest) && ingest.rowsStored >= acked(ingest),
    },
    { key: "a'", figure: 'the same with the worker on', value: `${int(withWorker.load.perSecond)}/s${failures(withWorker)}` },
    { key: "a'", figure: '  latency p50 / p99', value: `${ms(withWorker.load.p50Ms)} / ${ms(withWorker.load.p99Ms)} ms` },
    {
      key: "a'",
      figure: '  answered 200 / rows / 200s found after PG crash',
      value: `${int(acked(withWorker))} / ${int(withWorker.rowsStored)} / ${int(survivedWithWorker!)}`,
      target: 'every 200 stored',
      pass: survivedWithWorker === acked(withWorker) && withWorker.rowsStored >= acked(withWorker),
    },
    { key: 'b', figure: 'bare Express raw-body route, 200s/s', value: `${int(bare.load.perSecond)}/s${failures(bare)}` },
    { key: 'b', figure: '  latency p50 / p99', value: `${ms(bare.load.p50Ms)} / ${ms(bare.load.p99Ms)} ms` },
    { key: "b'", figure: 'the same without ETag, 200s/s', value: `${int(bareNoEtag.load.perSecond)}/s${failures(bareNoEtag)}` },
    { key: "b'", figure: '  latency p50 / p99', value: `${ms(bareNoEtag.load.p50Ms)} / ${ms(bareNoEtag.load.p99Ms)} ms` },
    { key: 'c', figure: 'ratio a / b', value: pct(ratio), target: '>= 40%', pass: ratio >= 40 },
    { key: "c'", figure: "ratio a / b' (the stricter baseline)", value: pct(strictRatio) },
    {
      key: 'd',
      figure: `ack -> processed at ${settings.pacedRate}/s, p50 / p99 (max)`,
      value: `${ms(paced.delay.p50Ms)} / ${ms(paced.delay.p99Ms)} ms (${ms(paced.delay.maxMs)})`,
    },
    { key: 'd', figure: '  sent at rate / events by status', value: `${int(paced.load.ok)} ok${failures(paced)} / ${JSON.stringify(paced.delay.byStatus)}`, target: 'all processed', pass: paced.settled && Object.keys(paced.delay.byStatus).join() === 'processed' },
    { key: 'e', figure: 'peak RSS of Hookport (a / a\' / d / f)', value: `${int(ingest.peakRssMiB)} / ${int(withWorker.peakRssMiB)} / ${int(paced.peakRssMiB)} / ${int(drain.peakRssMiB)} MiB` },
    {
      key: 'f',
      figure: 'worker alone: backlog processed/s',
      value: `${int(drain.perSecond)}/s (${int(drain.events)} in ${drain.seconds.toFixed(1)} s)`,
      target: 'all processed',
      pass: drain.settled,
    },
    { key: 'f', figure: '  CPU per event: Hookport / PostgreSQL', value: `${ms(drain.hookportCpuMs)} / ${ms(drain.postgresCpuMs)} ms` },
    {
      key: 'g',
      figure: 'deliveries/s to a fast subscriber (signed)',
      value: `${int(outbound.perSecond)}/s (${int(outbound.deliveries)} in ${outbound.seconds.toFixed(1)} s)`,
      target: '>= 1,000/s, all succeeded',
      pass: outbound.perSecond >= 1000 && outbound.complete,
    },
    {
      key: 'g',
      figure: '  signatures checked by standardwebhooks / bad',
      value: `${int(outbound.verified)} / ${int(outbound.badSignatures)}`,
      target: '0 bad',
      pass: outbound.badSignatures === 0 && outbound.verified > 0,
    },
    { key: 'g', figure: '  CPU per delivery: Hookport / PostgreSQL', value: `${ms(outbound.hookportCpuMs)} / ${ms(outbound.postgresCpuMs)} ms` },
    {
      key: 'h',
      figure: `stored -> delivered at ${outboundPaced.rate}/s, p50 / p99 (max)`,
      value: `${ms(outboundPaced.p50Ms)} / ${ms(outboundPaced.p99Ms)} ms (${ms(outboundPaced.maxMs)})`,
      target: 'p99 < 1 s',
      pass: outboundPaced.p99Ms < 1000 && outboundPaced.delivered >= outboundPaced.events,
    },
    {
      key: 'h',
      figure: '  same run: ack -> processed p50 / p99; delivered / events',
      value: `${ms(outboundPaced.inbox.p50Ms)} / ${ms(outboundPaced.inbox.p99Ms)} ms; ${int(outboundPaced.delivered)} / ${int(outboundPaced.events)}`,
    },
    cpuRow('a', 'Hookport', ingest),
    cpuRow("a'", 'Hookport', withWorker),
    cpuRow('b', 'Express', bare),
    cpuRow("b'", 'Express', bareNoEtag),
  ];
  process.stdout.write(
    `\nHookport bench: ${settings.connections} connections, ${settings.seconds} s per run after ${settings.warmupSeconds} s warm-up, ` +
      `127.0.0.1, ${cores} cores (${pct(background)} busy before start); PostgreSQL ${JSON.stringify(durability)}` +
      `${Object.keys(tuning).length > 0 ? `; Hookport env ${JSON.stringify(tuning)}` : ''}` +
      `${signedLate > 0 ? `; ${int(signedLate)} deliveries in a) were signed during the run` : ''}\n\n${formatTable(rows)}\n\n`,
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
