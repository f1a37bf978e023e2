import { sql } from 'drizzle-orm';
import { createLogger } from '../src/log/logger';
import { openDatabase, type Db } from '../src/db/client';
import { migrate } from '../src/db/migrate';
import { queryRows } from '../src/db/rows';
import { listEvents, type EventFilter } from '../src/inbox/event-list';
import { encodeCursor } from '../src/db/cursor';
import { replayMatching } from '../src/inbox/replay';
import { providerStats } from '../src/activity/provider-stats';
import { startPostgres, type ThrowawayPostgres } from '../test/helpers/postgres';
import { formatTable, ms, type Row } from './report';
import { runEntry } from './entry';

/**
 * npm run bench:admin — the admin API's queries on an inbox of ROWS (default 1,000,000) rows over
 * 30 days (and the activity counts those days leave), on a throwaway durable PostgreSQL: p50/p99 of each over RUNS
 * calls, and the plan's
 * top node, so a sequential scan shows.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const say = (text: string) => process.stdout.write(`bench: ${text}\n`);

const PROVIDERS = ['twilio', 'resend', 'jobber', 'thumbtack'];
const TYPES = [
  'sms.received',
  'email.delivered',
  'CLIENT_UPDATE',
  'MessageCreatedV4',
  'status.delivered',
  'email.opened',
  'JOB_UPDATE',
  'NegotiationCreatedV4',
];

/** 30 days of traffic: 1 in 1,000 dead, 1 in 997 failed, 2% ignored, the rest processed. */
async function fill(db: Db): Promise<void> {
  const spacing = (30 * 24 * 3600) / ROWS;
  await db.execute(sql`insert into webhook_events
      (provider, event_type, dedupe_key, status, attempts, received_at, available_at, processed_at, last_error, headers, body)
    select (${`{${PROVIDERS.join(',')}}`}::text[])[1 + i % 4],
      (${`{${TYPES.join(',')}}`}::text[])[1 + (i / 4) % 8],
      'bench-' || i,
      case when i % 1000 = 0 then 'dead' when i % 997 = 0 then 'failed' when i % 50 = 0 then 'ignored' else 'processed' end,
      1,
      now() - (${ROWS} - i) * make_interval(secs => ${spacing}),
      now(),
      case when i % 1000 = 0 or i % 997 = 0 then null
        else now() - (${ROWS} - i) * make_interval(secs => ${spacing}) + make_interval(secs => 0.02 + (i % 37) / 100.0) end,
      case when i % 1000 = 0 or i % 997 = 0 then 'bench: simulated failure' end,
      '{"content-type":"application/json","user-agent":"bench"}'::jsonb,
      convert_to('{"type":"bench","data":{"n":' || i || ',"pad":"' || repeat('x', 400) || '"}}', 'UTF8')
    from generate_series(1, ${ROWS}) as i`);
  // What the same 30 days leave in activity_counts: per 5-minute bucket and provider, three answer
  // outcomes, four worker outcomes and twelve delay buckets (a busy steady state: every metric, always).
  await db.execute(sql`insert into activity_counts (bucket, provider, metric, count)
    select date_trunc('hour', now()) - b * interval '5 minutes', p, m, 1 + (b % 17)
    from generate_series(0, 30 * 288 - 1) as b,
      unnest(${`{${PROVIDERS.join(',')}}`}::text[]) as p,
      unnest(array['answer:stored', 'answer:duplicate', 'answer:invalid_signature', 'settled:processed',
        'settled:ignored', 'settled:failed', 'settled:dead'] || array(select 'delay:' || d from generate_series(60, 71) as d)) as m`);
  await db.execute(sql`analyze webhook_events`);
  await db.execute(sql`analyze activity_counts`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(fn: () => Promise<unknown>, runs = RUNS): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** The first line of the plan of the list query for `filter`: which index it walks. */
async function planOf(db: Db, where: string): Promise<string> {
  const rows = await queryRows<{ 'QUERY PLAN': string }>(
    db,
    sql.raw(`explain select id from webhook_events where ${where} order by received_at desc, id desc limit 51`),
  );
  const scan = rows.map((r) => r['QUERY PLAN']).find((l) => /Scan/.test(l)) ?? '';
  return scan
    .trim()
    .replace(/^->\s*/, '')
    .replace(/\s+\(cost.*$/, '');
}

async function main(): Promise<void> {
  let pg: ThrowawayPostgres | undefined;
  try {
    say('starting PostgreSQL (durable settings)');
    pg = await startPostgres({ durable: true });
    const database = await openDatabase({
      databaseUrl: pg.url,
      dataDir: 'memory://',
      poolSize: 4,
      timeoutMs: 60_000,
      logger: createLogger('error', true),
    });
    const db = database.db;
    await migrate(db);
    say(`filling the inbox with ${ROWS.toLocaleString('en-US')} rows`);
    const started = Date.now();
    await fill(db);
    say(`filled in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const [middle] = await queryRows<{ id: string; micros: string }>(
      db,
      sql`select id, (extract(epoch from received_at) * 1000000)::bigint::text as micros from webhook_events
        order by received_at, id offset ${Math.floor(ROWS / 2)} limit 1`,
    );
    const deep = encodeCursor({ micros: middle!.micros, id: middle!.id });
    const day = (n: number) => new Date(Date.now() - n * 24 * 3600_000);
    const cases: [string, EventFilter & { cursor?: string }, string][] = [
      ['newest 50, no filter', {}, 'true'],
      ['50 from the middle (cursor)', { cursor: deep }, 'true'],
      ['provider=resend', { provider: 'resend' }, `provider = 'resend'`],
      ['type=email.delivered', { type: 'email.delivered' }, `event_type = 'email.delivered'`],
      ['status=dead', { status: 'dead' }, `status = 'dead'`],
      ['status=failed', { status: 'failed' }, `status = 'failed'`],
      ['status=ignored (2% of rows)', { status: 'ignored' }, `status = 'ignored'`],
      [
        'provider=jobber & status=dead',
        { provider: 'jobber', status: 'dead' },
        `provider = 'jobber' and status = 'dead'`,
      ],
      [
        'since 7 d & until 6 d ago',
        { since: day(7), until: day(6) },
        `received_at >= now() - interval '7 days' and received_at < now() - interval '6 days'`,
      ],
    ];
    const rows: Row[] = [];
    for (const [name, filter, where] of cases) {
      const t = await time(() => listEvents(db, { ...filter, limit: 50 }));
      rows.push({
        key: 'list',
        figure: name,
        value: `p50 ${ms(t.p50)} ms, p99 ${ms(t.p99)} ms — ${await planOf(db, where)}`,
      });
    }
    const [{ n: countsRows } = { n: 0 }] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from activity_counts`,
    );
    for (const window of ['1h', '24h', '7d'] as const) {
      const t = await time(() => providerStats(db, window, PROVIDERS), 10);
      rows.push({
        key: 'stats',
        figure: `window=${window}`,
        value: `p50 ${ms(t.p50)} ms, p99 ${ms(t.p99)} ms (10 calls; activity_counts: ${countsRows.toLocaleString('en-US')} rows)`,
      });
    }
    const dry = await time(() => replayMatching(db, { status: 'dead' }, { dryRun: true }), 50);
    rows.push({
      key: 'replay',
      figure: 'dry run, status=dead',
      value: `p50 ${ms(dry.p50)} ms, p99 ${ms(dry.p99)} ms (50 calls)`,
    });
    const replayStarted = process.hrtime.bigint();
    const replayed = await replayMatching(db, { status: 'dead' }, { dryRun: false });
    const replayMs = Number(process.hrtime.bigint() - replayStarted) / 1e6;
    rows.push({
      key: 'replay',
      figure: 'replay every dead event',
      value: `${replayed.replayed.toLocaleString('en-US')} events queued in ${ms(replayMs)} ms`,
    });
    process.stdout.write(
      `\nadmin API queries on ${ROWS.toLocaleString('en-US')} inbox rows (PostgreSQL, ${RUNS} calls each)\n`,
    );
    process.stdout.write(`${formatTable(rows)}\n`);
    await database.close();
  } finally {
    pg?.destroy();
  }
}

runEntry('bench', main);
