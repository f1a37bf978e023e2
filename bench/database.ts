import { Client } from 'pg';

/** Runs `fn` with one short-lived connection (the bench asks the database only between load phases). */
export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the same server, so each phase starts from an empty inbox. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The settings that make a commit durable; the bench refuses to report figures without them. */
export async function durabilitySettings(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const names = ['fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method'];
    const settings: Record<string, string> = {};
    for (const name of names) settings[name] = (await c.query(`show ${name}`)).rows[0][name];
    return settings;
  });
}

export async function countEvents(url: string, status?: string): Promise<number> {
  return withClient(url, async (c) => {
    const res = status
      ? await c.query('select count(*) from webhook_events where status = $1', [status])
      : await c.query('select count(*) from webhook_events');
    return Number(res.rows[0].count);
  });
}

/** How many of the ids answered 200 are rows in the inbox. */
export async function countStoredIds(url: string, ids: string[]): Promise<number> {
  return withClient(url, async (c) => {
    const res = await c.query('select count(*) from webhook_events where id = any($1::uuid[])', [ids]);
    return Number(res.rows[0].count);
  });
}

/** Waits until no event is pending, processing or awaiting retry; false when `timeoutMs` passes first. */
export async function waitUntilSettled(url: string, timeoutMs: number, pollMs = 200): Promise<boolean> {
  return withClient(url, async (c) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // exists, not count: this poll runs on the PostgreSQL whose CPU per event f reports, and a
      // count over a large backlog cost about a tenth of a millisecond per event.
      const res = await c.query(
        `select exists (select 1 from webhook_events where status in ('pending', 'processing', 'failed')) as busy`,
      );
      if (!res.rows[0].busy) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  });
}

export interface DelayFigures {
  byStatus: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * processed_at − received_at over the processed events, as the database recorded them; with
 * `since`, over those received after it (the database's clock: `select now()` before the phase).
 */
export async function processingDelay(url: string, since?: Date): Promise<DelayFigures> {
  return withClient(url, async (c) => {
    const statuses = await c.query('select status, count(*)::int as n from webhook_events group by status');
    const delay = await c.query(
      `
      select percentile_cont(0.5) within group (order by ms) as p50,
             percentile_cont(0.99) within group (order by ms) as p99,
             max(ms) as max
      from (select extract(epoch from processed_at - received_at) * 1000 as ms
            from webhook_events where status = 'processed' and received_at >= $1) d`,
      [since ?? new Date(0)],
    );
    const row = delay.rows[0];
    return {
      byStatus: Object.fromEntries(statuses.rows.map((r: { status: string; n: number }) => [r.status, r.n])),
      p50Ms: Number(row.p50),
      p99Ms: Number(row.p99),
      maxMs: Number(row.max),
    };
  });
}
