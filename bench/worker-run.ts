import { randomResendSecret, ResendDeliveries } from './deliveries';
import { measureDrain, measureIngest, measurePaced, withBenchPostgres, type BenchSettings } from './phases';
import { runEntry } from './entry';
import { int } from './report';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const say = (text: string) => process.stdout.write(`bench:worker: ${text}\n`);

/**
 * npm run bench:worker — only the worker's phases of npm run bench, three rounds, to iterate on
 * the worker: f (a backlog left by an ingest-only run, drained by a fresh process) and d at 500
 * and at 1,000 events/s, on a throwaway durable PostgreSQL.
 */
function main(): Promise<void> {
  return withBenchPostgres(async (pg, postgresPid) => {
    const settings: BenchSettings = {
      connections: 50,
      seconds: 8,
      warmupSeconds: 1,
      pacedRate: 500,
      pacedSeconds: 12,
      secret: randomResendSecret(),
      postgresPid,
    };
    const resend = new ResendDeliveries(settings.secret);
    for (let round = 1; round <= ROUNDS; round++) {
      const ingest = await measureIngest(pg, `bench_w_ingest_${round}`, false, settings, resend.prepare(30_000).next);
      const f = await measureDrain(ingest.databaseUrl, settings);
      say(
        `round ${round} f) ${int(f.perSecond)} events/s (${int(f.events)} in ${f.seconds.toFixed(1)} s, settled ${f.settled}),` +
          ` CPU/event Hookport ${f.hookportCpuMs.toFixed(2)} ms, PostgreSQL ${f.postgresCpuMs.toFixed(2)} ms, RSS ${int(f.peakRssMiB)} MiB`,
      );
      for (const rate of [500, 1000]) {
        const paced = { ...settings, pacedRate: rate };
        const d = await measurePaced(
          pg,
          `bench_w_paced_${rate}_${round}`,
          paced,
          resend.prepare(Math.ceil(rate * 13.2)).next,
        );
        say(
          `round ${round} d) ${rate}/s: ack→processed p50 ${int(d.delay.p50Ms)} ms, p99 ${int(d.delay.p99Ms)} ms,` +
            ` max ${int(d.delay.maxMs)} ms, ack p99 ${int(d.load.p99Ms)} ms, settled ${d.settled}`,
        );
      }
    }
  });
}

runEntry('bench:worker', main);
