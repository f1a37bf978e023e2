import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { providers } from '../providers';
import { commandForm } from '../providers/slack/samples';
import { slackHeaders } from '../providers/slack/sign';
import { loadConfig } from '../src/contract/load-config';
import { queryRows } from '../src/db/rows';
import type { Db } from '../src/db/client';
import { createLogger } from '../src/log/logger';
import { openRuntime } from '../src/runtime';
import { startPostgres, type ThrowawayPostgres } from '../test/helpers/postgres';
import { formatTable, ms, type Row } from './report';
import { runEntry } from './entry';

/**
 * npm run bench:slack — `/jobber client <text>` end to end (a signed POST to /slack/commands, the
 * search, the answer) over CLIENTS (default 100,000) clients with two jobs and one invoice each, on
 * a throwaway durable PostgreSQL: min/median/max of RUNS (3) per text, and the search's plan.
 * BENCH_WITHOUT_INDEXES=1 drops the search's indexes first, for comparison.
 */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECRET = 'bench-slack-signing-secret-0123456789';
const say = (text: string) => process.stdout.write(`bench: ${text}\n`);

const FIRST = ['Dana', 'Alex', 'Sam', 'Jordan', 'Casey', 'Riley', 'Morgan', 'Taylor', 'Jamie', 'Avery'];
const LAST = ['Smith', 'Garcia', 'Nguyen', 'Okafor', 'Kowalski', 'Rossi', 'Haddad', 'Tanaka', 'Silva', 'Moreau'];
const SEARCH_INDEXES = [
  'clients_name_prefix_idx',
  'clients_last_name_prefix_idx',
  'clients_company_name_prefix_idx',
  'jobs_client_external_id_idx',
  'invoices_client_external_id_idx',
];
const list = (words: string[]) => `{${words.join(',')}}`;

async function fill(db: Db): Promise<void> {
  await db.execute(sql`insert into clients (provider, external_id, account_id, source_occurred_at, sync_status,
      name, first_name, last_name, company_name, emails, phones, deleted_at)
    select 'jobber', 'client-' || i, 'bench-account', now(), 'synced',
      f || ' ' || l || ' ' || i, f, l || ' ' || i, case when i % 7 = 0 then 'Company ' || i end,
      jsonb_build_array(jsonb_build_object('address', lower(f) || '.' || lower(l) || '.' || i || '@example.com', 'primary', true)),
      jsonb_build_array(jsonb_build_object('number', '+1 (555) ' || lpad(i::text, 7, '0'), 'primary', true)),
      case when i % 50 = 0 then now() end
    from generate_series(1, ${CLIENTS}) as i,
      lateral (select (${list(FIRST)}::text[])[1 + i % 10] as f, (${list(LAST)}::text[])[1 + (i / 10) % 10] as l) n`);
  await db.execute(sql`insert into jobs (provider, external_id, account_id, source_occurred_at, sync_status,
      job_number, title, status, client_external_id, total, start_at)
    select 'jobber', 'job-' || i, 'bench-account', now(), 'synced', i, 'Job ' || i,
      case when i % 3 = 0 then 'archived' else 'upcoming' end, 'client-' || (1 + i % ${CLIENTS}), 100 + i % 900,
      now() + (i % 30) * interval '1 day'
    from generate_series(1, ${CLIENTS * 2}) as i`);
  await db.execute(sql`insert into invoices (provider, external_id, account_id, source_occurred_at, sync_status,
      invoice_number, subject, status, client_external_id, total, amount_due, amount_paid)
    select 'jobber', 'invoice-' || i, 'bench-account', now(), 'synced', i::text, 'Invoice ' || i,
      case when i % 2 = 0 then 'paid' else 'awaiting_payment' end, 'client-' || i, 250, case when i % 2 = 0 then 0 else 250 end,
      case when i % 2 = 0 then 250 else 0 end
    from generate_series(1, ${CLIENTS}) as i`);
  // For the comparison: the same searches without the indexes the search relies on.
  if (process.env.BENCH_WITHOUT_INDEXES === '1')
    for (const index of SEARCH_INDEXES) await db.execute(sql.raw(`drop index ${index}`));
  for (const table of ['clients', 'jobs', 'invoices']) await db.execute(sql.raw(`analyze ${table}`));
}

/** The plan's scan nodes for the name search: which indexes it walks. */
async function planOf(db: Db, text: string): Promise<string> {
  const p = `${text.toLowerCase()}%`;
  const rows = await queryRows<{ 'QUERY PLAN': string }>(
    db,
    sql`explain select id from clients c where c.deleted_at is null
      and (lower(c.name) like ${p} or lower(c.last_name) like ${p} or lower(c.company_name) like ${p})`,
  );
  return rows
    .map((r) => r['QUERY PLAN'].trim().replace(/^->\s*/, ''))
    .filter((l) => /Scan/.test(l))
    .map((l) => l.replace(/\s+\(cost.*$/, ''))
    .join('; ');
}

async function main(): Promise<void> {
  let pg: ThrowawayPostgres | undefined;
  try {
    say('starting PostgreSQL (durable settings)');
    pg = await startPostgres({ durable: true });
    const config = loadConfig(
      {
        DATABASE_URL: pg.url,
        DATA_DIR: 'memory://',
        SLACK_SIGNING_SECRET: SECRET,
        WORKER_ENABLED: 'false',
        DELIVERY_WORKER_ENABLED: 'false',
      },
      providers,
    );
    const runtime = await openRuntime(config, createLogger('error', true), providers);
    const db = runtime.database.db;
    say(
      `seeding ${CLIENTS.toLocaleString('en-US')} clients, ${(CLIENTS * 2).toLocaleString('en-US')} jobs, ${CLIENTS.toLocaleString('en-US')} invoices`,
    );
    const started = Date.now();
    await fill(db);
    say(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const server = runtime.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/commands`;

    const rows: Row[] = [];
    for (const text of [
      'dana',
      'smith 42',
      'moreau 99999',
      'company 7',
      'dana.garcia.10@example.com',
      '555 000 1234',
      'nobody',
    ]) {
      const samples: number[] = [];
      let answer = '';
      for (let run = 0; run < RUNS; run++) {
        const body = new URLSearchParams(commandForm(`/jobber client ${text}`)).toString();
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', headers: slackHeaders(SECRET, body), body });
        answer = ((await res.json()) as { text: string }).text;
        samples.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`answered ${res.status}`);
      }
      samples.sort((a, b) => a - b);
      rows.push({
        key: 'client',
        figure: text,
        value: `min ${ms(samples[0]!)} ms, median ${ms(samples[Math.floor(samples.length / 2)]!)} ms, max ${ms(samples.at(-1)!)} ms — ${answer}`,
      });
    }
    rows.push({ key: 'plan', figure: 'name search', value: await planOf(db, 'smith 42') });
    process.stdout.write(
      `\n/jobber client over ${CLIENTS.toLocaleString('en-US')} clients (PostgreSQL, ${RUNS} runs each)\n`,
    );
    process.stdout.write(`${formatTable(rows)}\n`);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await runtime.close();
  } finally {
    pg?.destroy();
  }
}

runEntry('bench', main);
