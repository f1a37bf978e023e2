import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { freePort, startPostgres } from '../test/helpers/postgres';
import { ResendDeliveries, resendBody } from './deliveries';
import { runEntry } from './entry';
import { runLoad, type Delivery } from './load';
import { startHookport } from './phases';
import { formatTable, int, ms, type Row } from './report';

/**
 * npm run bench:sources — the request path of a run-time source against a provider's, on one
 * durable PostgreSQL and one Hookport (worker on): the same Resend-shaped body, signed with svix for
 * /webhooks/resend and with the standardwebhooks library for a Standard Webhooks source. RUNS (3)
 * rounds, each SECONDS (10) of saturation per route at CONNECTIONS (32), alternating; min/median/max.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const STOCK = Number(process.env.BENCH_STOCK ?? 60_000);
const ADMIN_TOKEN = 'bench-sources-admin-token-6a1c9e3f7b2d4085';
const RESEND_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const SOURCE_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const say = (text: string) => process.stdout.write(`bench: ${text}\n`);

/** Distinct Standard Webhooks deliveries to a source, signed before the timed phase. */
function sourceDeliveries(count: number): () => Delivery {
  const run = randomBytes(4).toString('hex');
  const webhook = new Webhook(SOURCE_SECRET);
  const stock = Array.from({ length: count }, (_, n) => {
    const at = new Date();
    const body = resendBody(run, n, at);
    const id = `msg_source_${run}_${n}`;
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': webhook.sign(id, at, body),
      },
    };
  });
  let i = 0;
  return () => stock[i++ % stock.length]!;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], f: (n: number) => string) =>
  `${f(Math.min(...xs))} / ${f(median(xs))} / ${f(Math.max(...xs))}`;

async function main(): Promise<void> {
  const pg = await startPostgres({ durable: true });
  const port = await freePort();
  const server = await startHookport(pg.url, RESEND_SECRET, true, port, { ADMIN_TOKEN });
  try {
    const created = await fetch(`${server.url}/admin/api/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'bench',
        verification: { type: 'standard-webhooks', secret: SOURCE_SECRET },
        eventTypePath: 'type',
      }),
    });
    if (created.status !== 201) throw new Error(`creating the source answered ${created.status}`);
    const figures = {
      resend: { rate: [] as number[], p99: [] as number[] },
      source: { rate: [] as number[], p99: [] as number[] },
    };
    for (let run = 1; run <= RUNS; run++) {
      for (const route of ['resend', 'source'] as const) {
        const next =
          route === 'resend' ? new ResendDeliveries(RESEND_SECRET).prepare(STOCK).next : sourceDeliveries(STOCK);
        const result = await runLoad({
          url: server.url,
          path: route === 'resend' ? '/webhooks/resend' : '/webhooks/sources/bench',
          connections: CONNECTIONS,
          seconds: SECONDS,
          next,
        });
        if (result.non2xx > 0 || result.errors > 0) say(`${route}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        figures[route].rate.push(result.perSecond);
        figures[route].p99.push(result.p99Ms);
        say(`run ${run} ${route}: ${int(result.perSecond)} acks/s, p99 ${ms(result.p99Ms)} ms`);
      }
    }
    const rows: Row[] = (['resend', 'source'] as const).map((route) => ({
      key: route === 'resend' ? 'a' : 'b',
      figure: route === 'resend' ? 'POST /webhooks/resend (svix)' : 'POST /webhooks/sources/bench (standard-webhooks)',
      value: `${spread(figures[route].rate, int)} acks/s; p99 ${spread(figures[route].p99, ms)} ms`,
    }));
    process.stdout.write(
      `\n${formatTable(rows)}\n(min / median / max over ${RUNS} runs of ${SECONDS} s at ${CONNECTIONS} connections)\n`,
    );
  } finally {
    await server.stop();
    pg.destroy();
  }
}

runEntry('bench:sources', main);
