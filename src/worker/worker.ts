import { claimEvents } from '../inbox/claim';
import { processEvent, type ProcessDeps } from './process';

/**
 * Claims due events and processes up to WORKER_CONCURRENCY at once, claiming more as soon as a slot
 * frees. Woken at once by `notify()` when the app stores an event, and by a periodic sweep that
 * retakes retries that came due and leases that expired.
 */
export class Worker {
  private running = false;
  private again = false;
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

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
    this.again = true;
    if (this.draining) return;
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
    const slots = config.worker.concurrency;
    while (this.running && (this.again || this.inFlight.size > 0)) {
      const free = slots - this.inFlight.size;
      if (this.again && free > 0) {
        this.again = false;
        try {
          const batch = await claimEvents(db, free, config.worker.leaseSeconds);
          for (const event of batch) {
            const task = processEvent(this.deps, event).finally(() => this.inFlight.delete(task));
            this.inFlight.add(task);
          }
          // A full batch may mean more is due: look again as soon as a slot frees.
          if (batch.length === free) this.again = true;
        } catch (err) {
          logger.warn('could not claim events', { error: (err as Error).message });
        }
      }
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
    }
    await Promise.all(this.inFlight);
  }
}
