import type { Harness } from './harness';

/** One sample's value from Prometheus text, e.g. sample(text, 'hookport_queue_events{status="pending"}'). */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** GET /metrics with the bearer `token`, as Prometheus scrapes it; the exposition text. */
export async function scrape(h: Pick<Harness, 'http'>, token: string): Promise<string> {
  const res = await h.http().get('/metrics').set('Authorization', `Bearer ${token}`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text;
}
