import type { QueryCost } from './throttle';

/** The largest page asked for; Jobber's connections page in the tens. */
export const MAX_PAGE_SIZE = 100;
/** The first page, before Jobber has said what a record costs. */
export const FIRST_PAGE_SIZE = 20;
/** A page may cost at most this share of the bucket, so one query never empties it. */
const PAGE_SHARE = 0.25;
/** Points left in the bucket for the worker: a webhook's fetch must not wait behind the import. */
const RESERVE_SHARE = 0.2;

interface Bucket {
  maximum: number;
  available: number;
  restoreRate: number;
  at: number;
}

/**
 * Page sizes and waits for paging through Jobber, from the query-cost extension of each answer
 * (a leaky bucket: `maximumAvailable` points, refilled at `restoreRate` a second, each query
 * charged up to its `requestedQueryCost` first). A page is sized so it costs at most a quarter of
 * the bucket, and is sent only once the bucket would still hold a fifth after it: the import
 * takes what the bucket restores and leaves the webhooks' fetches room. Pure; time is passed in.
 */
export class CostPacer {
  /** Per query (a family's list): the page size, and the points a record cost in its last answer. */
  private readonly queries = new Map<string, { size: number; perRecord?: number }>();
  /** One bucket per app and account, whatever the query. */
  private bucket: Bucket | undefined;

  private of(query: string) {
    let q = this.queries.get(query);
    if (!q) this.queries.set(query, (q = { size: FIRST_PAGE_SIZE }));
    return q;
  }

  /** How many records of `query` to ask for next. */
  pageSize(query: string): number {
    return this.of(query).size;
  }

  /** The points the next page of `query` is expected to cost (unknown before its first answer). */
  expectedCost(query: string): number | undefined {
    const q = this.of(query);
    return q.perRecord === undefined ? undefined : Math.ceil(q.perRecord * q.size);
  }

  /** How long to wait, at `now`, before sending the next page of `query`. */
  waitMs(query: string, now: number): number {
    const cost = this.expectedCost(query);
    const b = this.bucket;
    if (cost === undefined || !b || b.restoreRate <= 0) return 0;
    const availableNow = Math.min(b.maximum, b.available + (b.restoreRate * (now - b.at)) / 1000);
    const needed = cost + b.maximum * RESERVE_SHARE;
    return availableNow >= needed ? 0 : Math.ceil(((needed - availableNow) / b.restoreRate) * 1000);
  }

  /** Learns from an answer to `query` for `first` records at `now`: the cost of a record and the bucket's level. */
  observe(query: string, cost: QueryCost | undefined, first: number, now: number): void {
    const q = this.of(query);
    const requested = cost?.requestedQueryCost;
    const status = cost?.throttleStatus;
    if (typeof requested === 'number' && requested > 0 && first > 0) q.perRecord = requested / first;
    if (
      status &&
      typeof status.maximumAvailable === 'number' &&
      typeof status.currentlyAvailable === 'number' &&
      typeof status.restoreRate === 'number'
    ) {
      this.bucket = {
        maximum: status.maximumAvailable,
        available: status.currentlyAvailable,
        restoreRate: status.restoreRate,
        at: now,
      };
    }
    if (q.perRecord !== undefined && this.bucket) {
      const fits = Math.floor((this.bucket.maximum * PAGE_SHARE) / q.perRecord);
      q.size = Math.max(1, Math.min(MAX_PAGE_SIZE, fits));
    }
  }

  /** Jobber throttled a page of `query` anyway (someone else spent the points): ask for half as much. */
  throttled(query: string): void {
    const q = this.of(query);
    q.size = Math.max(1, Math.floor(q.size / 2));
  }
}
