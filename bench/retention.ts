import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client';
import { migrate } from '../src/db/migrate';
import { queryRows } from '../src/db/rows';
import { appendEvents } from '../src/inbox/append';
import { createLogger } from '../src/log/logger';
import { RETENTION_DEFAULTS, RetentionJob } from '../src/retention/job';
import { startPostgres, type ThrowawayPostgres } from '../test/helpers/postgres';
import { durabilitySettings } from './database';
import { formatTable, int, ms } from './report';

/**
 * npm run bench:retention: one retention pass over RETENTION_BENCH_ROWS (default 1,000,000) old
 * processed inbox rows on a throwaway durable PostgreSQL, with the default batch size and pause,
 * while webhook inserts (the ingest path's appendEvents) run beside it and are timed.
 */
const ROWS = Number(process.env.RETENTION_BENCH_ROWS ?? 1_000_000);
const say = (text: string) => process.stdout.write(`bench:retention: ${text}\n`);

async function main(pg: ThrowawayPostgres): Promise<void> {
  const durability = await durabilitySettings(pg.url);
  if (durability.fsync !== 'on' || durability.synchronous_commit !== 'on')
    throw new Error(`not durable: ${JSON.stringify(durability)}`);
  const logger = createLogger('warn', false);
  const database = await openDatabase({ databaseUrl: pg.url, dataDir: '', poolSize: 10, timeoutMs: 3000, logger });
  const { db } = database;
  try {
    await migrate(db);
    say(
      `inserting ${int(ROWS)} processed rows 40–50 days old (600-byte bodies), 10,000 young ones and 1,000 old dead ones`,
    );
    const fill = (status: string, count: number, days: number, prefix: string) =>
      db.execute(sql`
        insert into webhook_events (provider, event_type, dedupe_key, status, headers, body, received_at, processed_at)
        select 'resend', 'email.delivered', ${prefix} || i, ${status}, '{"content-type":"application/json"}'::jsonb,
               convert_to(repeat('x', 600), 'UTF8'), now() - make_interval(days => ${days}, secs => i % 864000), now()
          from generate_series(1, ${count}) as i`);
    for (let done = 0; done < ROWS; done += 100_000)
      await fill('processed', Math.min(100_000, ROWS - done), 40, `old-${done}-`);
    await fill('processed', 10_000, 1, 'young-');
    await fill('dead', 1_000, 45, 'dead-');
    await db.execute(sql`vacuum analyze webhook_events`);
    await db.execute(sql`checkpoint`);

    const job = new RetentionJob({ db, logger, days: 30, intervalMs: 3_600_000 });
    // One webhook insert every 10 ms, timed, until `done` settles.
    const timeInserts = async (done: Promise<unknown>): Promise<number[]> => {
      const times: number[] = [];
      let running = true;
      void done.finally(() => (running = false));
      while (running) {
        const began = performance.now();
        await appendEvents(db, [
          {
            provider: 'resend',
            eventType: 'email.delivered',
            dedupeKey: randomUUID(),
            headers: {},
            body: Buffer.alloc(600, 'x'),
          },
        ]);
        times.push(performance.now() - began);
        await new Promise((r) => setTimeout(r, 10));
      }
      return times;
    };
    say('webhook inserts alone for 15 s (baseline)');
    const baselineMs = await timeInserts(new Promise((r) => setTimeout(r, 15_000)));
    say(
      `deleting, batches of ${RETENTION_DEFAULTS.batchSize}, ${RETENTION_DEFAULTS.pauseMs} ms apart, with webhook inserts beside it`,
    );
    const passing = job.runPass();
    const [pass, ingestMs] = await Promise.all([passing, timeInserts(passing)]);
    const inbox = pass.tables.webhook_events!;
    const left = await queryRows<{ status: string; n: number }>(
      db,
      sql`select status, count(*)::int as n from webhook_events group by status order by status`,
    );
    const latency = (times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return `${ms(at(0.5))} / ${ms(at(0.99))} / ${ms(sorted.at(-1) ?? 0)} ms (${int(times.length)} inserts)`;
    };
    const pauses = (inbox.statements - 1) * RETENTION_DEFAULTS.pauseMs;
    process.stdout.write(
      '\n' +
        formatTable([
          { key: 'r', figure: 'old processed rows deleted', value: `${int(inbox.deleted)} of ${int(ROWS)}` },
          {
            key: 'r',
            figure: 'pass duration (pauses included)',
            value: `${(pass.durationMs / 1000).toFixed(1)} s (${(pauses / 1000).toFixed(1)} s of pauses)`,
          },
          { key: 'r', figure: 'rows deleted per second', value: int(inbox.deleted / (pass.durationMs / 1000)) },
          {
            key: 'r',
            figure: 'delete statements / largest batch',
            value: `${int(inbox.statements)} / ${int(inbox.largestBatch)} rows`,
          },
          { key: 'r', figure: 'longest single batch', value: `${ms(inbox.longestBatchMs)} ms` },
          {
            key: 'r',
            figure: 'rows left by status',
            value: left.map((r) => `${r.status} ${int(Number(r.n))}`).join(', '),
          },
          { key: 'i', figure: 'webhook insert p50 / p99 / max, alone', value: latency(baselineMs) },
          { key: 'i', figure: '  the same during the pass', value: latency(ingestMs) },
        ]) +
        '\n',
    );
  } finally {
    await database.close();
  }
}

say('starting PostgreSQL (durable settings)');
startPostgres({ durable: true })
  .then(async (pg) => {
    try {
      await main(pg);
    } finally {
      pg.destroy();
    }
  })
  .catch((err: unknown) => {
    process.stderr.write(`bench:retention: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
