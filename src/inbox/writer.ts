import type { Db } from '../db/client';
import { appendEvents, type Appended, type NewEvent } from './append';

interface Waiting {
  event: NewEvent;
  resolve(result: Appended): void;
  reject(err: unknown): void;
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

  constructor(
    private readonly db: Db,
    private readonly maxInFlight: number,
    /** Called once per committed insert that stored a new event (workers elsewhere are told by NOTIFY). */
    private readonly onCommitted?: () => void,
    private readonly maxBatch = 200,
  ) {}

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
    try {
      const results = await appendEvents(
        this.db,
        batch.map((w) => w.event),
      );
      if (results.some((r) => !r.duplicate)) this.onCommitted?.();
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One row the database refuses must not fail the others: write each on its own.
      await Promise.all(
        batch.map((w) =>
          appendEvents(this.db, [w.event]).then(
            ([result]) => {
              if (!result!.duplicate) this.onCommitted?.();
              w.resolve(result!);
            },
            (e: unknown) => w.reject(e),
          ),
        ),
      );
    }
  }
}
