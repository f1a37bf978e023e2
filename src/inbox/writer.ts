import type { Db } from '../db/client';
import { appendEvents, type Appended, type NewEvent } from './append';
import type { ClaimedEvent } from './claimed-event';

interface Waiting {
  event: NewEvent;
  resolve(result: Appended): void;
  reject(err: unknown): void;
}

/**
 * This process's worker, which takes the events it has room for as they are stored (see
 * AppendClaim). Every reserve() is followed by exactly one take(), whether the insert committed or not.
 */
export interface LocalClaims {
  readonly leaseSeconds: number;
  /** Room for up to `n` events: how many the next insert may store claimed for this worker. */
  reserve(n: number): number;
  /** The events the insert stored claimed (committed), and what reserve() gave it: the rest is freed. */
  take(events: ClaimedEvent[], reserved: number): void;
}

export interface InboxWriterOptions {
  /**
   * Called once per committed insert that stored an event left for any worker (not claimed here):
   * workers elsewhere are told by NOTIFY.
   */
  onCommitted?: () => void;
  /** This process's worker, when it runs. */
  claims?: LocalClaims;
  maxBatch?: number;
}

/**
 * Group commit for the request path. Up to `maxInFlight` inserts run at once; requests that arrive
 * meanwhile queue and go out together in the next multi-row insert: one round trip and one commit
 * (one WAL flush) for many webhooks under load, and no added wait when idle. Each caller still
 * resolves only after its own row is committed.
 */
export class InboxWriter {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;

  constructor(
    private readonly db: Db,
    private readonly maxInFlight: number,
    private readonly options: InboxWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
  }

  append(event: NewEvent): Promise<Appended> {
    return new Promise<Appended>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      // Flush once the event loop has handled the other requests that arrived with this one, so
      // they share its insert; idle, this costs no measurable wait (no timer).
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    const { claims, onCommitted } = this.options;
    const reserved = claims?.reserve(batch.length) ?? 0;
    let results: Appended[];
    try {
      results = await appendEvents(
        this.db,
        batch.map((w) => w.event),
        reserved > 0 ? { count: reserved, leaseSeconds: claims!.leaseSeconds } : undefined,
      );
    } catch (err) {
      claims?.take([], reserved);
      return this.writeOneByOne(batch, err);
    }
    // Handed over before any caller answers: the worker has them by the time the sender has its 200.
    claims?.take(
      results.flatMap((r) => (r.claimed ? [r.claimed] : [])),
      reserved,
    );
    if (results.some((r) => !r.duplicate && !r.claimed)) onCommitted?.();
    batch.forEach((w, i) => w.resolve(results[i]!));
  }

  /**
   * One row the database refuses must not fail the others: write each on its own, left for the
   * worker to claim (the rare case need not be quick).
   */
  private async writeOneByOne(batch: Waiting[], err: unknown): Promise<void> {
    if (batch.length === 1) return batch[0]!.reject(err);
    await Promise.all(
      batch.map((w) =>
        appendEvents(this.db, [w.event]).then(
          ([result]) => {
            if (!result!.duplicate) this.options.onCommitted?.();
            w.resolve(result!);
          },
          (e: unknown) => w.reject(e),
        ),
      ),
    );
  }
}
