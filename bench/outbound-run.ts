import { randomResendSecret, ResendDeliveries } from './deliveries';
import { measureDeliveryLatency, measureDeliveryThroughput } from './outbound';
import { withBenchPostgres, type BenchSettings } from './phases';
import { withClient } from './database';
import { runEntry } from './entry';

/** npm run bench:deliveries — only the outbound phases (g, h) of npm run bench, to iterate on them. */
function main(): Promise<void> {
  return withBenchPostgres(async (pg, postgresPid) => {
    const settings: BenchSettings = {
      connections: 50,
      seconds: 5,
      warmupSeconds: 1,
      pacedRate: 200,
      pacedSeconds: 12,
      secret: randomResendSecret(),
      postgresPid,
    };
    const resend = new ResendDeliveries(settings.secret);
    const g = await measureDeliveryThroughput(pg, settings, resend.prepare(12_000).next);
    process.stdout.write(`g) ${JSON.stringify(g)}\n`);
    const url = new URL(pg.url);
    url.pathname = '/bench_outbound';
    await withClient(url.toString(), async (c) => {
      const rows = await c.query(
        'select status, count(*)::int as n, max(last_error) as err from deliveries group by status',
      );
      process.stdout.write(`deliveries: ${JSON.stringify(rows.rows)}\n`);
      const subs = await c.query('select enabled, disabled_reason from subscriptions');
      process.stdout.write(`subscriptions: ${JSON.stringify(subs.rows)}\n`);
    });
    const rate = Number(process.env.BENCH_DELIVERY_RATE ?? 200);
    const h = await measureDeliveryLatency(pg, settings, rate, resend.prepare(rate * 14).next);
    process.stdout.write(`h) ${JSON.stringify({ ...h, inbox: { p50: h.inbox.p50Ms, p99: h.inbox.p99Ms } })}\n`);
  });
}

runEntry('bench', main);
