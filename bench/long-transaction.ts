import { Client } from 'pg';
import { freePort } from '../test/helpers/postgres';
import { countEvents, createDatabase, waitUntilSettled, withClient } from './database';
import { randomResendSecret, ResendDeliveries } from './deliveries';
import { runEntry } from './entry';
import { runPaced } from './pacer';
import { startHookport, withBenchPostgres, withChild } from './phases';
import { formatTable, int, ms, type Row } from './report';

/**
 * npm run bench:long-transaction — issue 28: a long transaction does not stall the queues. One
 * Hookport at production defaults (worker on) on a throwaway durable PostgreSQL, paced at RATE
 * (1,500/s, about two thirds of what one process sustains on the 2-core machine) over CONNECTIONS
 * (32), through BASELINE (60 s), HOLD (600 s: another connection keeps a REPEATABLE READ snapshot
 * open, as pg_dump or a replica with hot_standby_feedback does, so no dead tuple can be removed)
 * and RECOVERY (120 s). The load runs as one paced run per 10 s window; between windows (no request in
 * flight) the next window's deliveries are signed and the window is sampled:
 *   processed = 200s so far − unfinished events (each 200 is one new row, so what left the queue);
 *   unfinished = stored − finished, from Hookport's activity_counts (see BACKLOG; up to 5 s behind);
 *   dead and live tuples = pg_stat_user_tables (statistics, up to a second behind).
 * A second poll, every second during the load, reads the same count: the
 * baseline's highest count (after its first window) is the level the backlog must be back under
 * after the commit. Acks/s and processed/s are over the whole window, pause included.
 */
const RATE = Number(process.env.BENCH_RATE ?? 1500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PHASES = [
  ['baseline', Number(process.env.BENCH_BASELINE_SECONDS ?? 60)],
  ['hold', Number(process.env.BENCH_HOLD_SECONDS ?? 600)],
  ['recovery', Number(process.env.BENCH_RECOVERY_SECONDS ?? 120)],
] as const;
type Phase = (typeof PHASES)[number][0];
const WINDOW_SECONDS = 10;
const POLL_MS = 1000;
const SECRET = randomResendSecret();
const say = (text: string) => process.stdout.write(`bench: ${text}\n`);

/**
 * Stored minus finished, from Hookport's own counts (activity_counts, flushed every 5 s), not a
 * count over the inbox: during the hold that count visits every dead index entry, a load of the
 * bench's own that grows with the hold.
 */
const BACKLOG = `select coalesce(sum(count) filter (where metric = 'answer:stored'), 0)
    - coalesce(sum(count) filter (where metric in ('settled:processed', 'settled:ignored', 'settled:dead')), 0) as n
  from activity_counts`;

interface Window {
  phase: Phase;
  acksPerSecond: number;
  ackP99Ms: number;
  processed: number;
  spanSeconds: number;
  backlog: number;
  deadTuples: number;
  liveTuples: number;
  tableBytes: number;
  /** Transactions since the oldest snapshot of this database: climbs while the hold is open. */
  xminAge: number;
}

interface Poll {
  phase: Phase;
  /** The window being run (0: the first, with Hookport's JIT warm-up). */
  window: number;
  at: number;
  backlog: number;
}

async function tuples(db: Client) {
  const res = await db.query(
    `select n_dead_tup as dead, n_live_tup as live, pg_total_relation_size(relid) as bytes,
            (select max(age(backend_xmin)) from pg_stat_activity where datname = current_database()) as xmin_age
       from pg_stat_user_tables where relname = 'webhook_events'`,
  );
  const row = res.rows[0];
  return {
    deadTuples: Number(row.dead),
    liveTuples: Number(row.live),
    tableBytes: Number(row.bytes),
    xminAge: Number(row.xmin_age),
  };
}

/** A REPEATABLE READ snapshot taken by reading the inbox, kept until `commit`. */
async function holdSnapshot(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read');
    await client.query('select count(*) from webhook_events');
  } catch (err) {
    await client.end();
    throw err;
  }
  return {
    commit: async () => {
      try {
        await client.query('commit');
      } finally {
        await client.end();
      }
    },
    end: () => client.end().catch(() => undefined),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const rate = (ws: Window[]) => ws.reduce((n, w) => n + w.processed, 0) / ws.reduce((s, w) => s + w.spanSeconds, 0);
const mib = (bytes: number) => `${int(bytes / 2 ** 20)} MiB`;

interface Run {
  windows: Window[];
  polls: Poll[];
  committedAt: number;
  endedAt: number;
  acked: number;
  /** Answers other than 200 and requests without an answer (a timeout is counted as an error too). */
  failed: number;
  signedDuringRun: number;
  pausedMs: number;
}

/** The three phases against one Hookport; `db` samples between windows and polls every second. */
async function runPhases(hookportUrl: string, databaseUrl: string, db: Client): Promise<Run> {
  const deliveries = new ResendDeliveries(SECRET);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const run: Run = {
    windows: [],
    polls: [],
    committedAt: NaN,
    endedAt: NaN,
    acked: 0,
    failed: 0,
    signedDuringRun: 0,
    pausedMs: 0,
  };
  let phase: Phase = 'baseline';
  let stopped = false;
  let pollFailed: unknown;
  const polling = (async () => {
    while (!stopped) {
      const at = seconds();
      const res = await db.query(BACKLOG);
      run.polls.push({ phase, window: run.windows.length, at, backlog: Number(res.rows[0].n) });
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })().catch((err: unknown) => (pollFailed = err));

  let hold: Awaited<ReturnType<typeof holdSnapshot>> | undefined;
  let finished = 0;
  let sampledAt = 0;
  try {
    for (const [name, phaseSeconds] of PHASES) {
      if (name === 'hold') hold = await holdSnapshot(databaseUrl);
      if (name === 'recovery') {
        await hold!.commit();
        hold = undefined;
        run.committedAt = seconds();
      }
      phase = name;
      for (let left = phaseSeconds; left > 0; left -= WINDOW_SECONDS) {
        const windowSeconds = Math.min(WINDOW_SECONDS, left);
        // Signed just before use: svix accepts a timestamp up to 5 minutes old.
        const next = deliveries.prepare(Math.ceil(RATE * windowSeconds)).next;
        const load = await runPaced({
          url: hookportUrl,
          path: '/webhooks/resend',
          connections: CONNECTIONS,
          rate: RATE,
          seconds: windowSeconds,
          next,
        });
        run.signedDuringRun += deliveries.signedDuringRun;
        run.acked += load.ok;
        run.failed += load.non2xx + load.errors;
        const backlog = Math.max(0, Number((await db.query(BACKLOG)).rows[0].n));
        const at = seconds();
        const w: Window = {
          phase,
          acksPerSecond: load.ok / (at - sampledAt),
          ackP99Ms: load.p99Ms,
          processed: run.acked - backlog - finished,
          spanSeconds: at - sampledAt,
          backlog,
          ...(await tuples(db)),
        };
        run.pausedMs += (w.spanSeconds - load.seconds) * 1000;
        finished += w.processed;
        sampledAt = at;
        run.windows.push(w);
        say(
          `t=${Math.round(at)}s ${phase}: acks ${int(w.acksPerSecond)}/s (p99 ${ms(w.ackP99Ms)} ms), ` +
            `processed ${int(w.processed / w.spanSeconds)}/s, backlog ${int(backlog)}, ` +
            `dead tuples ${int(w.deadTuples)}, live ${int(w.liveTuples)}, xmin age ${int(w.xminAge)}`,
        );
      }
    }
  } finally {
    stopped = true;
    await polling;
    await hold?.end();
  }
  if (pollFailed) throw pollFailed;
  run.endedAt = seconds();
  return run;
}

function table(run: Run, settled: boolean, processedRows: number): Row[] {
  const of = (p: Phase) => run.windows.filter((w) => w.phase === p);
  const perSecond = (p: Phase) => of(p).map((w) => w.processed / w.spanSeconds);
  const polled = (p: Phase, from = 0) =>
    run.polls.filter((x) => x.phase === p && x.window >= from).map((x) => x.backlog);
  const held = of('hold');
  const perMinute = Math.ceil(60 / WINDOW_SECONDS);
  const lastMinute = held.slice(-perMinute);
  const baseline = median(perSecond('baseline'));
  // Sustained: the worst minute of the hold, not its end (a queue can stall and catch up again).
  const minutes = held.slice(0, Math.max(1, held.length - perMinute + 1)).map((_, i) => held.slice(i, i + perMinute));
  const worstMinute = Math.min(...minutes.map(rate));
  const ratio = worstMinute / baseline;
  const baselineEnd = of('baseline').at(-1)!;
  const holdEnd = held.at(-1)!;
  // The baseline's highest backlog after its first window (warm-up), when it has more than one.
  const level = Math.max(...polled('baseline', of('baseline').length > 1 ? 1 : 0));
  const back = run.polls.find((p) => p.at >= run.committedAt && p.backlog <= level);
  const recovery = back ? back.at - run.committedAt : NaN;
  const holdP99 = Math.max(...held.map((w) => w.ackP99Ms));
  const growth = holdEnd.deadTuples / Math.max(1, baselineEnd.deadTuples);
  return [
    { key: 'l', figure: `offered load (paced, ${CONNECTIONS} connections)`, value: `${int(RATE)}/s` },
    { key: 'b', figure: 'baseline: processed/s (median of windows)', value: `${int(baseline)}/s` },
    {
      key: 'h',
      figure: 'hold: processed/s, min / median of windows',
      value: `${int(Math.min(...perSecond('hold')))} / ${int(median(perSecond('hold')))}/s`,
    },
    { key: 'h', figure: "  the hold's last minute", value: `${int(rate(lastMinute))}/s` },
    { key: 'h', figure: '  its worst minute', value: `${int(worstMinute)}/s` },
    {
      key: 'h',
      figure: '  worst minute / baseline',
      value: `${ratio.toFixed(2)}x`,
      target: '>= 0.5x',
      pass: ratio >= 0.5,
    },
    {
      key: 'h',
      figure: 'ack p99: baseline median / hold max',
      value: `${ms(median(of('baseline').map((w) => w.ackP99Ms)))} / ${ms(holdP99)} ms`,
    },
    {
      key: 'h',
      figure: 'dead tuples: baseline end / hold end',
      value: `${int(baselineEnd.deadTuples)} / ${int(holdEnd.deadTuples)} (${growth.toFixed(1)}x)`,
    },
    {
      key: 'h',
      figure: 'inbox with indexes: baseline end / hold end / end',
      value: `${mib(baselineEnd.tableBytes)} / ${mib(holdEnd.tableBytes)} / ${mib(run.windows.at(-1)!.tableBytes)}`,
    },
    {
      key: 'h',
      figure: 'backlog: baseline max / hold max',
      value: `${int(level)} / ${int(Math.max(...held.map((w) => w.backlog), ...polled('hold')))}`,
    },
    {
      key: 'r',
      figure: 'after commit, backlog back under baseline max',
      value: back ? `${recovery.toFixed(0)} s` : `not within ${Math.round(run.endedAt - run.committedAt)} s`,
      target: '<= 60 s',
      pass: recovery <= 60,
    },
    {
      key: 'e',
      figure: 'every 200 processed (settled, processed rows = 200s)',
      value: `${int(processedRows)} of ${int(run.acked)}; ${int(run.failed)} not 200`,
      pass: settled && processedRows === run.acked && run.failed === 0,
    },
    {
      key: 'e',
      figure: 'load paused between windows (drain, sample, sign)',
      value: `${ms(run.pausedMs / run.windows.length)} ms a window; ${int(run.signedDuringRun)} signed in windows`,
    },
  ];
}

async function main(): Promise<void> {
  for (const [name, seconds] of PHASES)
    if (!(seconds > 0)) throw new Error(`BENCH_${name.toUpperCase()}_SECONDS must be a positive number of seconds`);
  await withBenchPostgres(async (pg) => {
    const databaseUrl = await createDatabase(pg.url, 'bench_long_transaction');
    const child = await startHookport(databaseUrl, SECRET, true, await freePort());
    await withChild(child, async (c) => {
      const run = await withClient(databaseUrl, (db) => runPhases(c.url, databaseUrl, db));
      const settled = await waitUntilSettled(databaseUrl, 120_000);
      const processedRows = await countEvents(databaseUrl, 'processed');
      process.stdout.write(`\n${formatTable(table(run, settled, processedRows))}\n`);
    });
  });
}

runEntry('bench:long-transaction', main);
