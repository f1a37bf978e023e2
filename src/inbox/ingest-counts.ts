import { sql } from 'drizzle-orm';
import type { Logger } from 'winston';
import type { Db } from '../db/client';
import { errorMessage } from '../error-message';

const MINUTE_MS = 60_000;

/**
 * Counts webhook answers per minute, provider and outcome in memory and adds them to
 * `ingest_counts` every few seconds: one small upsert per interval instead of one per request, and
 * the sums survive restarts and add up across instances. Counts that cannot be written (the
 * database is down) are kept and added at the next flush; at most one interval is lost in a crash.
 */
export class IngestCounts {
  private counts = new Map<string, { bucket: number; provider: string; outcome: string; count: number }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly flushMs = 5000,
  ) {}

  count(provider: string, outcome: string, at = Date.now()): void {
    const bucket = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    const key = `${bucket}\u0000${provider}\u0000${outcome}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { bucket, provider, outcome, count: 1 });
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushMs).unref();
  }

  /** Writes what was counted since the last flush; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.counts.size === 0) return;
    const taken = this.counts;
    this.counts = new Map();
    const rows = [...taken.values()].map(
      (c) => sql`(${new Date(c.bucket).toISOString()}::timestamptz, ${c.provider}, ${c.outcome}, ${c.count}::bigint)`,
    );
    try {
      await this.db.execute(
        sql`insert into ingest_counts (bucket, provider, outcome, count) values ${sql.join(rows, sql`, `)}
          on conflict (bucket, provider, outcome) do update set count = ingest_counts.count + excluded.count`,
      );
    } catch (err) {
      for (const [key, c] of taken) {
        const entry = this.counts.get(key);
        if (entry) entry.count += c.count;
        else this.counts.set(key, c);
      }
      this.logger.warn('could not write webhook counts; kept for the next try', { error: errorMessage(err) });
    }
  }
}
