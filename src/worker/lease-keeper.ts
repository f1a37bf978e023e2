import type { Logger } from 'winston';
import type { Db } from '../db/client';
import type { ClaimedEvent } from '../inbox/claim';
import { renewLeases } from '../inbox/renew';
import { errorMessage } from '../errors/error-message';

/**
 * Renews the lease of every event a worker holds, every third of the lease, so a slow batch never
 * loses its claim while a crashed worker's events (no longer renewed) are retaken after one lease.
 * Up to two renewals in a row may fail (the database briefly away) without losing a claim.
 */
export class LeaseKeeper {
  private readonly held = new Set<ClaimedEvent>();
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly leaseSeconds: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), (this.leaseSeconds * 1000) / 3);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
  }

  hold(events: readonly ClaimedEvent[]): void {
    for (const event of events) this.held.add(event);
  }

  release(events: readonly ClaimedEvent[]): void {
    for (const event of events) this.held.delete(event);
  }

  private tick(): void {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = renewLeases(this.db, [...this.held], this.leaseSeconds)
      .then(
        () => undefined,
        (err: unknown) => {
          this.logger.warn('could not renew event leases', { error: errorMessage(err) });
        },
      )
      .finally(() => {
        this.renewing = null;
      });
  }
}
