import type { Executor } from '../db/client';
import { markSucceeded, type AttemptResult, type SettledAs } from './settle';
import type { ClaimedDelivery } from './claim';

interface Waiting {
  d: ClaimedDelivery;
  r: AttemptResult;
  settled: (outcome: SettledAs) => void;
  failed: (err: unknown) => void;
}

/** Statements of this many rows at most (5 parameters a row, far below PostgreSQL's 65,535). */
const MAX_ROWS = 1000;

/**
 * Records successful deliveries in groups, as group commit does: the first one is written at
 * once, and those that succeed while a statement is in flight go together in the next. Under load
 * one statement settles many deliveries; when quiet, nothing waits for company.
 */
export class SuccessBatcher {
  private readonly waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly db: Executor) {}

  /** Resolves when written: 'succeeded', or 'lost' if the claim was lost meanwhile; rejects if the statement failed. */
  succeeded(d: ClaimedDelivery, r: AttemptResult): Promise<SettledAs> {
    return new Promise((settled, failed) => {
      this.waiting.push({ d, r, settled, failed });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, MAX_ROWS);
      try {
        const written = await markSucceeded(this.db, group);
        for (const w of group) w.settled(written.has(w.d.id) ? 'succeeded' : 'lost');
      } catch (err) {
        for (const w of group) w.failed(err);
      }
    }
    this.writing = false;
  }
}
