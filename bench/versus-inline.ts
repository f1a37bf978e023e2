import path from 'node:path';
import { freePort } from '../test/helpers/postgres';
import { startServerChild, type ServerChild } from './child';
import { processTreeCpuSeconds } from './cpu';
import { countEvents, createDatabase, processingDelay, waitUntilSettled, withClient } from './database';
import { randomResendSecret, ResendDeliveries } from './deliveries';
import { runEntry } from './entry';
import { runLoad, type LoadResult } from './load';
import { runPaced } from './pacer';
import { startHookport, withBenchPostgres, withChild } from './phases';
import { formatTable, int, ms, type Row } from './report';

/**
 * npm run bench:inline — Hookport end to end against what users would pick instead: the inline
 * receiver (bench/upsert-server.ts: verify with svix, upsert `emails` with pg, one transaction per
 * request). RUNS (3) rounds on one durable PostgreSQL (fsync and synchronous_commit on), each:
 *   1. the inline receiver saturated SECONDS (10) at CONNECTIONS (32): its processed/s are its acks/s;
 *   2. Hookport at production defaults (worker on) saturated the same way, then left to finish:
 *      processed/s from the load's start until every stored event is processed;
 *   3. Hookport paced at half of its saturated ack rate for PACED_SECONDS (12), after 3 s of
 *      warm-up at that rate (a fresh process): ack p99 and ack → processed p99.
 * CPU per processed event is the server's CPU plus every PostgreSQL backend's (utime + stime),
 * from the start of the load until the work is done; the load generator is not counted.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 12);
const PACED_WARMUP_SECONDS = 3;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECRET = randomResendSecret();
const DIST = path.resolve(__dirname, '..');
const say = (text: string) => process.stdout.write(`bench: ${text}\n`);

interface Round {
  inlinePerSecond: number;
  inlineCpuMs: number;
  hookportAcks: number;
  hookportPerSecond: number;
  hookportCpuMs: number;
  pacedRate: number;
  ackP99Ms: number;
  processedP99Ms: number;
  pacedOk: boolean;
  saturatedRssMiB: number;
  pacedRssMiB: number;
}

/** CPU seconds of the server and of PostgreSQL while `fn` runs. */
async function cpuDuring<T>(server: ServerChild, postgresPid: number, fn: () => Promise<T>) {
  const [node, postgres] = [server.cpuSeconds(), processTreeCpuSeconds(postgresPid)];
  const started = process.hrtime.bigint();
  const result = await fn();
  const nodeSeconds = server.cpuSeconds() - node;
  return {
    result,
    cpuSeconds: nodeSeconds + processTreeCpuSeconds(postgresPid) - postgres,
    nodeSeconds,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

const load = (url: string, next: () => ReturnType<ResendDeliveries['next']>, seconds: number) =>
  runLoad({ url, path: '/webhooks/resend', connections: CONNECTIONS, seconds, next });

async function inline(pgUrl: string, postgresPid: number, run: number) {
  const port = await freePort();
  const databaseUrl = await createDatabase(pgUrl, `bench_inline_${run}`);
  const env = { PORT: String(port), DATABASE_URL: databaseUrl, RESEND_WEBHOOK_SECRET: SECRET };
  const child = await startServerChild('inline receiver', path.join(DIST, 'bench/upsert-server.js'), port, env);
  return withChild(child, async (c) => {
    const next = new ResendDeliveries(SECRET).prepare(Math.ceil(9000 * (SECONDS + 2))).next;
    await load(c.url, next, 2);
    const timed = await cpuDuring(c, postgresPid, () => load(c.url, next, SECONDS));
    const perEvent = (seconds: number) => (seconds * 1000) / timed.result.ok;
    return {
      perSecond: timed.result.perSecond,
      cpuMs: perEvent(timed.cpuSeconds),
      nodeMs: perEvent(timed.nodeSeconds),
    };
  });
}

async function hookport(pgUrl: string, postgresPid: number, run: number) {
  const databaseUrl = await createDatabase(pgUrl, `bench_hookport_${run}`);
  return withChild(await startHookport(databaseUrl, SECRET, true, await freePort()), async (c) => {
    const next = new ResendDeliveries(SECRET).prepare(Math.ceil(9000 * (SECONDS + 2))).next;
    await load(c.url, next, 2);
    await waitUntilSettled(databaseUrl, 120_000, 50);
    const before = await countEvents(databaseUrl, 'processed');
    let acked: LoadResult | undefined;
    const timed = await cpuDuring(c, postgresPid, async () => {
      acked = await load(c.url, next, SECONDS);
      return waitUntilSettled(databaseUrl, 120_000, 20);
    });
    const processed = (await countEvents(databaseUrl, 'processed')) - before;
    return {
      acks: acked!.perSecond,
      perSecond: processed / timed.seconds,
      cpuMs: (timed.cpuSeconds * 1000) / processed,
      nodeMs: (timed.nodeSeconds * 1000) / processed,
      settled: timed.result,
      peakRssMiB: c.peakRssMiB(),
    };
  });
}

async function paced(pgUrl: string, run: number, rate: number) {
  const databaseUrl = await createDatabase(pgUrl, `bench_paced_${run}`);
  return withChild(await startHookport(databaseUrl, SECRET, true, await freePort()), async (c) => {
    const next = new ResendDeliveries(SECRET).prepare(
      Math.ceil(rate * (PACED_SECONDS + PACED_WARMUP_SECONDS)) + 100,
    ).next;
    const pace = (seconds: number) =>
      runPaced({ url: c.url, path: '/webhooks/resend', connections: CONNECTIONS, rate, seconds, next });
    // A fresh process: JIT and pool warm-up at the same rate first, as the saturated phase has.
    await pace(PACED_WARMUP_SECONDS);
    await waitUntilSettled(databaseUrl, 60_000);
    const since = await withClient(databaseUrl, async (db) => (await db.query('select now() as t')).rows[0].t as Date);
    const result = await pace(PACED_SECONDS);
    const settled = await waitUntilSettled(databaseUrl, 60_000);
    const delay = await processingDelay(databaseUrl, since);
    return { result, settled, delay, peakRssMiB: c.peakRssMiB() };
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], f: (n: number) => string) =>
  `${f(Math.min(...xs))} / ${f(median(xs))} / ${f(Math.max(...xs))}`;
const us = (msPerEvent: number) => int(msPerEvent * 1000);

function table(rounds: Round[]): Row[] {
  const col = <K extends keyof Round>(k: K) => rounds.map((r) => r[k] as number);
  const throughput = median(col('hookportPerSecond')) / median(col('inlinePerSecond'));
  const cpu = median(col('hookportCpuMs')) / median(col('inlineCpuMs'));
  return [
    { key: 'a', figure: 'inline receiver: processed/s (= acks/s)', value: `${spread(col('inlinePerSecond'), int)}/s` },
    {
      key: 'a',
      figure: '  CPU per processed event (Node + PostgreSQL)',
      value: `${spread(col('inlineCpuMs'), us)} µs`,
    },
    {
      key: 'b',
      figure: 'Hookport, worker on: acks/s under saturation',
      value: `${spread(col('hookportAcks'), int)}/s`,
    },
    {
      key: 'b',
      figure: '  processed/s, load start to all processed',
      value: `${spread(col('hookportPerSecond'), int)}/s`,
    },
    {
      key: 'b',
      figure: '  CPU per processed event (Node + PostgreSQL)',
      value: `${spread(col('hookportCpuMs'), us)} µs`,
    },
    {
      key: 'c',
      figure: 'throughput: Hookport / inline (medians)',
      value: `${throughput.toFixed(2)}x`,
      target: '>= 2x',
      pass: throughput >= 2,
    },
    {
      key: 'c',
      figure: 'CPU per event: Hookport / inline (medians)',
      value: `${cpu.toFixed(2)}x`,
      target: '<= 0.5x',
      pass: cpu <= 0.5,
    },
    { key: 'd', figure: "paced at half of b's acks/s", value: `${spread(col('pacedRate'), int)}/s` },
    {
      key: 'd',
      figure: '  ack p99',
      value: `${spread(col('ackP99Ms'), ms)} ms`,
      target: '<= 30 ms',
      pass: median(col('ackP99Ms')) <= 30,
    },
    {
      key: 'd',
      figure: '  ack -> processed p99',
      value: `${spread(col('processedP99Ms'), ms)} ms`,
      target: '<= 100 ms',
      pass: median(col('processedP99Ms')) <= 100,
    },
    {
      key: 'd',
      figure: '  every request answered 200 and processed',
      value: rounds.every((r) => r.pacedOk) ? 'yes' : 'no',
      pass: rounds.every((r) => r.pacedOk),
    },
    // The memory target is "under that load": the paced one.
    {
      key: 'e',
      figure: 'peak RSS of Hookport, paced at half load',
      value: `${spread(col('pacedRssMiB'), int)} MiB`,
      target: '<= 150 MiB',
      pass: Math.max(...col('pacedRssMiB')) <= 150,
    },
    { key: 'e', figure: '  saturated', value: `${spread(col('saturatedRssMiB'), int)} MiB` },
  ];
}

async function main(): Promise<void> {
  await withBenchPostgres(async (pg, postgresPid) => {
    const rounds: Round[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const a = await inline(pg.url, postgresPid, run);
      const b = await hookport(pg.url, postgresPid, run);
      const rate = Math.max(1, Math.round(b.acks / 2));
      const d = await paced(pg.url, run, rate);
      const round: Round = {
        inlinePerSecond: a.perSecond,
        inlineCpuMs: a.cpuMs,
        hookportAcks: b.acks,
        hookportPerSecond: b.perSecond,
        hookportCpuMs: b.cpuMs,
        pacedRate: rate,
        ackP99Ms: d.result.p99Ms,
        processedP99Ms: d.delay.p99Ms,
        pacedOk: d.settled && b.settled && d.result.non2xx === 0 && d.result.errors === 0,
        saturatedRssMiB: b.peakRssMiB,
        pacedRssMiB: d.peakRssMiB,
      };
      rounds.push(round);
      say(
        `run ${run}: inline ${int(a.perSecond)}/s at ${us(a.cpuMs)} µs (Node ${us(a.nodeMs)}); Hookport ${int(b.acks)} acks/s, ` +
          `${int(b.perSecond)} processed/s at ${us(b.cpuMs)} µs (Node ${us(b.nodeMs)}); paced ${int(rate)}/s: ack p99 ` +
          `${ms(d.result.p99Ms)} ms, processed p99 ${ms(d.delay.p99Ms)} ms`,
      );
    }
    process.stdout.write(`\n${formatTable(table(rounds))}\n(min / median / max over ${RUNS} runs)\n`);
  });
}

runEntry('bench:inline', main);
