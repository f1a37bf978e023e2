import path from 'node:path';
import { startPostgres, freePort, type ThrowawayPostgres } from '../test/helpers/postgres';
import { startServerChild } from './child';
import { countEvents, createDatabase, waitUntilSettled } from './database';
import { randomResendSecret, ResendDeliveries } from './deliveries';
import { runEntry } from './entry';
import { runLoad } from './load';
import { startHookport, withChild } from './phases';
import { formatTable, int, ms, type Row } from './report';

/** CPU per event in microseconds: tracing's share is a few of them. */
const us = (cpuMsPerEvent: number) => int(cpuMsPerEvent * 1000);

/**
 * npm run bench:tracing — what tracing costs. RUNS (3) rounds; in each, in turn, Hookport with
 * tracing off (no endpoint), with tracing on (http/protobuf to a local OTLP endpoint in its own
 * process), on with BENCH_SAMPLE_RATIO (0.1) of the traces sampled (parentbased_traceidratio),
 * and, when BENCH_BASELINE_DIST names another build's dist/ (one from before tracing existed),
 * that build: each on a fresh database of one durable PostgreSQL.
 *   ingest: SECONDS (10) of saturation at CONNECTIONS (32), the worker off: acks/s, p99, and
 *           Hookport's CPU per ack;
 *   worker: a Hookport with the worker on drains what ingest stored: events/s and CPU per event.
 * CPU per event is the steadier figure on a shared machine; throughput drifts with the neighbours.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const STOCK = Number(process.env.BENCH_STOCK ?? 60_000);
const BASELINE = process.env.BENCH_BASELINE_DIST;
const WARM = 3000;
/** The sampled mode's share of traces (OTEL_TRACES_SAMPLER_ARG). */
const SAMPLE_RATIO = Number(process.env.BENCH_SAMPLE_RATIO ?? 0.1);
const SECRET = randomResendSecret();
const say = (text: string) => process.stdout.write(`bench: ${text}\n`);

type Mode = 'before' | 'off' | 'on' | 'sampled';
const LABEL: Record<Mode, string> = {
  before: 'baseline build',
  off: 'tracing off',
  on: 'tracing on',
  sampled: `tracing on, ${SAMPLE_RATIO * 100} % sampled`,
};
interface Figures {
  acks: number[];
  p99: number[];
  ackCpuMs: number[];
  drain: number[];
  drainCpuMs: number[];
}
const noFigures = (): Figures => ({ acks: [], p99: [], ackCpuMs: [], drain: [], drainCpuMs: [] });

async function round(pg: ThrowawayPostgres, run: number, mode: Mode, env: Record<string, string>, f: Figures) {
  const databaseUrl = await createDatabase(pg.url, `bench_tracing_${mode}_${run}`);
  const next = new ResendDeliveries(SECRET).prepare(STOCK).next;
  const dist = mode === 'before' ? BASELINE : undefined;
  const load = { path: '/webhooks/resend', connections: CONNECTIONS, next };
  const ingest = await withChild(
    await startHookport(databaseUrl, SECRET, false, await freePort(), env, dist),
    async (c) => {
      await runLoad({ ...load, url: c.url, seconds: 2 });
      const cpu = c.cpuSeconds();
      const result = await runLoad({ ...load, url: c.url, seconds: SECONDS });
      return { ...result, cpuSeconds: c.cpuSeconds() - cpu };
    },
  );
  if (ingest.non2xx > 0 || ingest.errors > 0) say(`${mode}: ${ingest.non2xx} non-2xx, ${ingest.errors} errors`);
  const events = await countEvents(databaseUrl);
  const worker = await startHookport(databaseUrl, SECRET, true, await freePort(), env, dist);
  // Timed from the WARM-th processed event on: start-up (module loading, the JIT, the exporter's
  // first connection) is paid once per process, not per event.
  const drained = await withChild(worker, async (c) => {
    const warm = Math.min(WARM, Math.floor(events / 10));
    while ((await countEvents(databaseUrl, 'processed')) < warm) await new Promise((r) => setTimeout(r, 20));
    const cpu = c.cpuSeconds();
    const from = await countEvents(databaseUrl, 'processed');
    const started = process.hrtime.bigint();
    const settled = await waitUntilSettled(databaseUrl, 180_000, 50);
    return {
      settled,
      events: events - from,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      cpuSeconds: c.cpuSeconds() - cpu,
    };
  });
  if (!drained.settled) say(`${mode}: the worker did not finish within 180 s`);
  const acked = ingest.perSecond * SECONDS;
  f.acks.push(ingest.perSecond);
  f.p99.push(ingest.p99Ms);
  f.ackCpuMs.push((ingest.cpuSeconds * 1000) / acked);
  f.drain.push(drained.events / drained.seconds);
  f.drainCpuMs.push((drained.cpuSeconds * 1000) / drained.events);
  say(
    `run ${run} ${LABEL[mode]}: ingest ${int(ingest.perSecond)} acks/s, p99 ${ms(ingest.p99Ms)} ms, ` +
      `${us(f.ackCpuMs.at(-1)!)} CPU µs/ack; worker ${int(drained.events / drained.seconds)} events/s, ` +
      `${us(f.drainCpuMs.at(-1)!)} CPU µs/event (${int(drained.events)} events timed)`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], f: (n: number) => string) =>
  `${f(Math.min(...xs))} / ${f(median(xs))} / ${f(Math.max(...xs))}`;
const change = (from: number[], to: number[]) =>
  `${median(to) >= median(from) ? '+' : ''}${(((median(to) - median(from)) / median(from)) * 100).toFixed(1)} %`;

function rows(figures: Partial<Record<Mode, Figures>>, modes: readonly Mode[]): Row[] {
  const out: Row[] = [];
  for (const mode of modes) {
    const f = figures[mode]!;
    out.push(
      {
        key: 'a',
        figure: `ingest, ${LABEL[mode]}`,
        value: `${spread(f.acks, int)} acks/s; p99 ${spread(f.p99, ms)} ms; ${spread(f.ackCpuMs, us)} CPU µs/ack`,
      },
      {
        key: 'b',
        figure: `worker, ${LABEL[mode]}`,
        value: `${spread(f.drain, int)} events/s; ${spread(f.drainCpuMs, us)} CPU µs/event`,
      },
    );
  }
  const compare = (from: Mode, to: Mode) => {
    const a = figures[from]!;
    const b = figures[to]!;
    out.push({
      key: 'c',
      figure: `${LABEL[to]} against ${LABEL[from]} (medians)`,
      value: `ingest ${change(a.acks, b.acks)} acks/s, ${change(a.ackCpuMs, b.ackCpuMs)} CPU/ack; worker ${change(a.drain, b.drain)} events/s, ${change(a.drainCpuMs, b.drainCpuMs)} CPU/event`,
    });
  };
  if (modes.includes('before')) compare('before', 'off');
  compare('off', 'on');
  compare('off', 'sampled');
  return out;
}

async function main(): Promise<void> {
  const pg = await startPostgres({ durable: true });
  const sinkPort = await freePort();
  const sink = await startServerChild('otlp-sink', path.join(__dirname, 'otlp-sink.js'), sinkPort, {
    PORT: String(sinkPort),
  });
  const envs: Partial<Record<Mode, Record<string, string>>> = {
    before: {},
    off: {},
    on: {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      // Any OTEL_* variable the bench is run with (a batch size, a sampler) is passed on.
      ...Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith('OTEL_') && v !== undefined)),
    },
  };
  envs.sampled = {
    ...envs.on,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(SAMPLE_RATIO),
  };
  const modes: Mode[] = BASELINE ? ['before', 'off', 'on', 'sampled'] : ['off', 'on', 'sampled'];
  const figures: Partial<Record<Mode, Figures>> = Object.fromEntries(modes.map((m) => [m, noFigures()]));
  try {
    for (let run = 1; run <= RUNS; run++) {
      // Each round in another order, so a drift of the machine does not favour one mode.
      const order = modes.map((_, i) => modes[(i + run - 1) % modes.length]!);
      for (const mode of order) await round(pg, run, mode, envs[mode]!, figures[mode]!);
    }
    const exported = (await (await fetch(`${sink.url}/count`)).json()) as { requests: number; bytes: number };
    process.stdout.write(
      `\n${formatTable([
        ...rows(figures, modes),
        {
          key: 'd',
          figure: 'exported to the local endpoint',
          value: `${int(exported.requests)} requests, ${int(exported.bytes / 1024)} KiB`,
        },
      ])}\n(min / median / max over ${RUNS} runs; ingest ${SECONDS} s at ${CONNECTIONS} connections, worker off; then the worker drains it)\n`,
    );
  } finally {
    await sink.stop();
    pg.destroy();
  }
}

runEntry('bench:tracing', main);
