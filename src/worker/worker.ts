import { claimEvents } from '../inbox/claim';
import { processEvent, type ProcessDeps } from './process';

/**
 * Claims due events and processes them. Woken at once by `notify()` when the app stores an event,
 * and by a periodic sweep that retakes retries that came due and leases that expired.
 */
export class Worker {
  private running = false;
  private again = false;
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ProcessDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => this.notify(), this.deps.config.worker.sweepMs);
    this.timer.unref();
    this.notify();
  }

  /** Ask for a pass over the queue; coalesces with one already running. */
  notify(): void {
    if (!this.running) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Stops claiming and waits for the events in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.draining;
  }

  /** Resolves when nothing is in hand (tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    const { db, config, logger } = this.deps;
    const batchSize = config.worker.concurrency;
    do {
      this.again = false;
      let batch;
      try {
        batch = await claimEvents(db, batchSize, config.worker.leaseSeconds);
      } catch (err) {
        logger.warn('could not claim events', { error: (err as Error).message });
        return;
      }
      await Promise.all(batch.map((event) => processEvent(this.deps, event)));
      if (batch.length === batchSize) this.again = true;
    } while (this.again && this.running);
  }
}
