import { Agent, request } from 'node:http';
import type { Delivery, LoadResult } from './load';

export interface PacedOptions {
  /** One server, or several: request n goes to url[n % urls], round robin. */
  url: string | readonly string[];
  path: string;
  /** Requests per second, sent one every 1000/rate ms (not in bursts). */
  rate: number;
  seconds: number;
  /** Open connections at most (over all URLs); a request waits for a free one, and its latency counts the wait. */
  connections: number;
  next: () => Delivery;
}

const ID_FIELD = '"id":"';
const TIMEOUT_MS = 10_000;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/**
 * A steady rate: request n is sent at start + n × 1000/rate ms. (autocannon's overallRate lets each
 * connection send its share of a second back to back when the second begins, so 500/s arrives as a
 * burst of 500 every second, which measures bursts rather than a steady rate.) Latency is from the
 * moment a request was due to its answer.
 */
export async function runPaced(o: PacedOptions): Promise<LoadResult> {
  const urls = (typeof o.url === 'string' ? [o.url] : [...o.url]).map((u) => new URL(u));
  const agents = urls.map(
    () => new Agent({ keepAlive: true, maxSockets: Math.max(1, Math.ceil(o.connections / urls.length)) }),
  );
  const total = Math.round(o.rate * o.seconds);
  const intervalMs = 1000 / o.rate;
  const latencies: number[] = [];
  const ackedIds: string[] = [];
  const counts = { ok: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const pending = new Set<Promise<void>>();

  const send = (n: number, dueAt: number) => {
    const target = urls[n % urls.length]!;
    const delivery = o.next();
    const done = new Promise<void>((resolve) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: o.path,
          method: 'POST',
          agent: agents[n % urls.length],
          headers: delivery.headers,
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - dueAt);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              counts.ok++;
              const body = Buffer.concat(chunks).toString('utf8');
              const at = body.indexOf(ID_FIELD);
              if (at >= 0) ackedIds.push(body.slice(at + ID_FIELD.length, body.indexOf('"', at + ID_FIELD.length)));
            } else counts.non2xx++;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        counts.timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        counts.errors++;
        resolve();
      });
      req.end(delivery.body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const started = performance.now();
  await new Promise<void>((finish) => {
    let n = 0;
    const tick = () => {
      const now = performance.now();
      while (n < total && started + n * intervalMs <= now) {
        send(n, started + n * intervalMs);
        n++;
      }
      if (n < total) setTimeout(tick, Math.max(0, started + n * intervalMs - performance.now()));
      else finish();
    };
    tick();
  });
  const seconds = (performance.now() - started) / 1000;
  while (pending.size > 0) await Promise.all([...pending]);
  for (const agent of agents) agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    ...counts,
    perSecond: counts.ok / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ackedIds,
  };
}
