import { cores } from './cpu';
import type { OutboundLatency, OutboundThroughput } from './outbound';
import type { BenchSettings, DrainMeasured, IngestMeasured, Measured, PacedMeasured, UpsertMeasured } from './phases';
import { cpuMs, int, ms, pct, type Row } from './report';
import type { SeparateWorkerMeasured } from './scale-out';

/** Everything npm run bench measured, by phase letter. */
export interface BenchResults {
  settings: BenchSettings;
  ingest: IngestMeasured; // a
  withWorker: IngestMeasured; // a'
  bare: Measured; // b
  bareNoEtag: Measured; // b'
  paced: PacedMeasured; // d
  drain: DrainMeasured; // f
  outbound: OutboundThroughput; // g
  outboundPaced: OutboundLatency; // h
  upsert: UpsertMeasured; // i
  twoIngest: IngestMeasured; // j
  separate: SeparateWorkerMeasured; // k
  /** 200s found in the database after PostgreSQL crashed and recovered. */
  survived: { ingest: number; withWorker: number; twoIngest: number };
}

// The targets (11): ingest at production defaults against the bare route and the upsert baseline, freshness,
// memory.
const INGEST_RATIO_TARGET = 70;
const INGEST_P99_TARGET_MS = 30;
const UPSERT_RATIO_TARGET = 3;
const FRESHNESS_P99_TARGET_MS = 250;
const PEAK_RSS_TARGET_MIB = 150;

const acked = (r: IngestMeasured) => r.warmup.ok + r.load.ok;
const failures = (r: { load: { non2xx: number; errors: number } }) =>
  r.load.non2xx + r.load.errors > 0 ? ` (${r.load.non2xx} non-2xx, ${r.load.errors} errors)` : '';
const latency = (key: string, m: { load: { p50Ms: number; p99Ms: number } }, target?: number): Row => ({
  key,
  figure: '  latency p50 / p99',
  value: `${ms(m.load.p50Ms)} / ${ms(m.load.p99Ms)} ms`,
  ...(target === undefined ? {} : { target: `p99 <= ${target} ms`, pass: m.load.p99Ms <= target }),
});
const stored = (key: string, r: IngestMeasured, survived: number): Row => ({
  key,
  figure: '  answered 200 / rows / 200s found after PG crash',
  value: `${int(acked(r))} / ${int(r.rowsStored)} / ${int(survived)}`,
  target: 'every 200 stored',
  pass: survived === acked(r) && r.rowsStored >= acked(r),
});
const allProcessed = (m: { settled: boolean; delay: { byStatus: Record<string, number> } }) =>
  m.settled && Object.keys(m.delay.byStatus).join() === 'processed';

/**
 * Where the CPU went: per process in % of one core (servers sharing the load: each, +), and CPU time per answered
 * request.
 */
function cpuRow(key: string, server: string, m: Measured): Row {
  const {
    serverPercentOfCore: app,
    perServerPercentOfCore: each,
    postgresPercentOfCore: db,
    loadPercentOfCore: gen,
    machinePercent,
  } = m.cpu;
  const perRequest = (share: number) => cpuMs((share / 100 / m.load.perSecond) * 1000);
  return {
    key,
    figure: `  CPU: ${server} / PostgreSQL / load gen (machine)`,
    value:
      `${each.map(pct).join(' + ')} / ${pct(db)} / ${pct(gen)} of a core (${pct(machinePercent)} of ${cores}); ` +
      `${perRequest(app)} / ${perRequest(db)} ms per request`,
  };
}

export function summaryRows(r: BenchResults): Row[] {
  const {
    settings: s,
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
  } = r;
  const ratio = (withWorker.load.perSecond / bare.load.perSecond) * 100;
  const upsertRatio = withWorker.load.perSecond / upsert.load.perSecond;
  const processedByWorker = withWorker.processedWhenLoadEnded ?? 0;
  const rss = [
    ingest.peakRssMiB,
    withWorker.peakRssMiB,
    paced.peakRssMiB,
    drain.peakRssMiB,
    twoIngest.peakRssMiB,
    ...separate.peakRssMiB,
  ];
  const [ingest1, ingest2, worker] = separate.cpu.perServerPercentOfCore;
  return [
    {
      key: 'a',
      figure: 'verified Resend events acknowledged/s, worker off',
      value: `${int(ingest.load.perSecond)}/s${failures(ingest)}`,
    },
    latency('a', ingest),
    stored('a', ingest, r.survived.ingest),
    {
      key: "a'",
      figure: 'the same at production defaults (worker on, LOG_LEVEL=info)',
      value: `${int(withWorker.load.perSecond)}/s${failures(withWorker)}`,
    },
    latency("a'", withWorker, INGEST_P99_TARGET_MS),
    stored("a'", withWorker, r.survived.withWorker),
    {
      key: "a'",
      figure: '  processed by its worker when the load ended / stored',
      value: `${int(processedByWorker)} / ${int(withWorker.rowsStored)} (${pct((processedByWorker / Math.max(1, withWorker.rowsStored)) * 100)})`,
    },
    {
      key: 'b',
      figure: 'bare Express raw-body route, 200s/s',
      value: `${int(bare.load.perSecond)}/s${failures(bare)}`,
    },
    latency('b', bare),
    {
      key: "b'",
      figure: 'the same without ETag, 200s/s',
      value: `${int(bareNoEtag.load.perSecond)}/s${failures(bareNoEtag)}`,
    },
    latency("b'", bareNoEtag),
    {
      key: 'c',
      figure: "ratio a' / b (production defaults / bare route)",
      value: pct(ratio),
      target: `>= ${INGEST_RATIO_TARGET}%`,
      pass: ratio >= INGEST_RATIO_TARGET,
    },
    {
      key: "c'",
      figure: "ratio a' / b' (the stricter baseline)",
      value: pct((withWorker.load.perSecond / bareNoEtag.load.perSecond) * 100),
    },
    {
      key: 'c',
      figure: "  worker off: a / b, a / b'",
      value: `${pct((ingest.load.perSecond / bare.load.perSecond) * 100)}, ${pct((ingest.load.perSecond / bareNoEtag.load.perSecond) * 100)}`,
    },
    {
      key: 'd',
      figure: `ack -> processed at ${s.pacedRate}/s, one process, p50 / p99 (max)`,
      value: `${ms(paced.delay.p50Ms)} / ${ms(paced.delay.p99Ms)} ms (${ms(paced.delay.maxMs)})`,
      target: `p99 <= ${FRESHNESS_P99_TARGET_MS} ms`,
      pass: paced.delay.p99Ms <= FRESHNESS_P99_TARGET_MS,
    },
    {
      key: 'd',
      figure: '  sent at rate / events by status',
      value: `${int(paced.load.ok)} ok${failures(paced)} / ${JSON.stringify(paced.delay.byStatus)}`,
      target: 'all processed',
      pass: allProcessed(paced),
    },
    {
      key: 'e',
      figure: "peak RSS of Hookport: a / a' / d / f / j (larger) / k (ingest, ingest, worker)",
      value: `${rss.map(int).join(' / ')} MiB`,
      target: `<= ${PEAK_RSS_TARGET_MIB} MiB`,
      pass: Math.max(...rss) <= PEAK_RSS_TARGET_MIB,
    },
    {
      key: 'f',
      figure: 'worker alone: backlog processed/s',
      value: `${int(drain.perSecond)}/s (${int(drain.events)} in ${drain.seconds.toFixed(1)} s)`,
      target: 'all processed',
      pass: drain.settled,
    },
    {
      key: 'f',
      figure: '  CPU per event: Hookport / PostgreSQL',
      value: `${cpuMs(drain.hookportCpuMs)} / ${cpuMs(drain.postgresCpuMs)} ms`,
    },
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
    {
      key: 'g',
      figure: '  CPU per delivery: Hookport / PostgreSQL',
      value: `${cpuMs(outbound.hookportCpuMs)} / ${cpuMs(outbound.postgresCpuMs)} ms`,
    },
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
    {
      key: 'i',
      figure: 'verify (svix) + upsert in the request (pg Pool 10), 200s/s',
      value: `${int(upsert.load.perSecond)}/s${failures(upsert)}`,
    },
    latency('i', upsert),
    {
      key: 'i',
      figure: '  answered 200 / email rows (two events per email)',
      value: `${int(upsert.warmup.ok + upsert.load.ok)} / ${int(upsert.emailRows)}`,
    },
    {
      key: 'i',
      figure: "  ratio a' / i (production defaults / upsert in the request)",
      value: `${upsertRatio.toFixed(1)}x`,
      target: `>= ${UPSERT_RATIO_TARGET}x`,
      pass: upsertRatio >= UPSERT_RATIO_TARGET,
    },
    {
      key: 'j',
      figure: 'two ingest-only processes, connections split: acked/s',
      value: `${int(twoIngest.load.perSecond)}/s${failures(twoIngest)} (${(twoIngest.load.perSecond / ingest.load.perSecond).toFixed(2)}x one, a)`,
    },
    latency('j', twoIngest),
    stored('j', twoIngest, r.survived.twoIngest),
    {
      key: 'k',
      figure: `ack -> processed at ${s.pacedRate}/s, 2 ingest + 1 worker process, p50 / p99 (max)`,
      value: `${ms(separate.delay.p50Ms)} / ${ms(separate.delay.p99Ms)} ms (${ms(separate.delay.maxMs)})`,
      target: `p99 <= ${FRESHNESS_P99_TARGET_MS} ms`,
      pass: separate.delay.p99Ms <= FRESHNESS_P99_TARGET_MS,
    },
    {
      key: 'k',
      figure: '  sent at rate / events by status',
      value: `${int(separate.load.ok)} ok${failures(separate)} / ${JSON.stringify(separate.delay.byStatus)}`,
      target: 'all processed',
      pass: allProcessed(separate),
    },
    {
      key: 'k',
      figure: '  CPU: ingest / ingest / worker / PostgreSQL (until all processed)',
      value: `${pct(ingest1!)} / ${pct(ingest2!)} / ${pct(worker!)} / ${pct(separate.cpu.postgresPercentOfCore)} of a core (${pct(separate.cpu.machinePercent)} of ${cores})`,
    },
    cpuRow('a', 'Hookport', ingest),
    cpuRow("a'", 'Hookport', withWorker),
    cpuRow('b', 'Express', bare),
    cpuRow("b'", 'Express', bareNoEtag),
    cpuRow('i', 'Express + svix + upsert', upsert),
    cpuRow('j', 'Hookport 1 + 2', twoIngest),
  ];
}
