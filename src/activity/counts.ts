import { sql } from 'drizzle-orm';
import type { Logger } from 'winston';
import type { Db } from '../db/client';
import { errorMessage } from '../errors/error-message';
import { delayBucket } from './delay-sketch';
import type { ActivityObserver } from './observer';

/** The granularity of activity_counts: windows and charts are exact to this. */
export const BUCKET_MS = 5 * 60_000;

/** Rows per insert: 4 parameters each, well under PostgreSQL's limit of 65,535 a statement. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Counts webhook answers, worker outcomes and processing delays per 5-minute bucket and provider
 * in memory, and adds them to `activity_counts` every few seconds: one small upsert per interval
 * instead of a write per request, and the sums survive restarts and add up across instances.
 * Counts that cannot be written (the database is down) are kept for the next flush; a crash
 * loses at most one interval of counts, never an event.
 */
export class ActivityCounts implements ActivityObserver {
  private counts = new Map<string, { bucket: number; provider: string; metric: string; count: number }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly flushMs = 5000,
  ) {}

  webhookAnswered(provider: string, outcome: string): void {
    this.add(provider, `answer:${outcome}`);
  }

  eventSettled(provider: string, outcome: string, receivedAt: Date): void {
    if (outcome === 'lost') return; // the worker that retook it reports it
    this.add(provider, `settled:${outcome}`);
    if (outcome === 'processed') this.add(provider, `delay:${delayBucket(Date.now() - receivedAt.getTime())}`);
  }

  /**
   * Per subscription, under `provider` = `subscription:<id>` (per-subscription stats read them):
   * `delivery:<outcome>` and a sketch of attempt durations, `delivery_ms:<i>`.
   */
  deliverySettled(subscriptionId: string, outcome: string, ms: number): void {
    const key = `subscription:${subscriptionId}`;
    this.add(key, `delivery:${outcome}`);
    this.add(key, `delivery_ms:${delayBucket(ms)}`);
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

  private add(provider: string, metric: string, at = Date.now()): void {
    const bucket = Math.floor(at / BUCKET_MS) * BUCKET_MS;
    const key = `${bucket}\u0000${provider}\u0000${metric}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { bucket, provider, metric, count: 1 });
  }

  private async write(): Promise<void> {
    if (this.counts.size === 0) return;
    const taken = this.counts;
    this.counts = new Map();
    const entries = [...taken];
    try {
      // In slices: after a long outage the backlog can pass PostgreSQL's 65,535 parameters a statement.
      while (entries.length > 0) {
        const slice = entries.slice(0, ROWS_PER_STATEMENT);
        const rows = slice.map(
          ([, c]) =>
            sql`(${new Date(c.bucket).toISOString()}::timestamptz, ${c.provider}, ${c.metric}, ${c.count}::bigint)`,
        );
        await this.db.execute(
          sql`insert into activity_counts (bucket, provider, metric, count) values ${sql.join(rows, sql`, `)}
            on conflict (bucket, provider, metric) do update set count = activity_counts.count + excluded.count`,
        );
        entries.splice(0, slice.length);
      }
    } catch (err) {
      // What was not written is kept for the next flush (slices already written are not repeated).
      for (const [key, c] of entries) {
        const entry = this.counts.get(key);
        if (entry) entry.count += c.count;
        else this.counts.set(key, c);
      }
      this.logger.warn('could not write activity counts; kept for the next try', { error: errorMessage(err) });
    }
  }
}
