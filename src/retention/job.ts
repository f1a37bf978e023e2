import type { Logger } from 'winston';
import type { Db } from '../db/client';
import { errorMessage } from '../errors/error-message';
import { deleteBatch, type Cursor } from './batch';
import { RETENTION_TARGETS, type RetentionTarget } from './targets';

export interface RetentionOptions {
  db: Db;
  logger: Logger;
  /** RETENTION_DAYS; 0 keeps everything (the job deletes nothing and start() does nothing). */
  days: number;
  /** RETENTION_INTERVAL_MS: the pause from the end of one pass to the start of the next. */
  intervalMs: number;
  /** Rows per delete statement (default 1000). */
  batchSize?: number;
  /** Pause between two statements, so the job never holds the database for long (default 20 ms). */
  pauseMs?: number;
  /** From start() to the first pass (default 10 s: after start-up, not during it). */
  startDelayMs?: number;
  targets?: readonly RetentionTarget[];
}

export interface TableResult {
  deleted: number;
  /** Delete statements run (each its own short transaction). */
  statements: number;
  largestBatch: number;
  longestBatchMs: number;
}

export interface PassResult {
  tables: Record<string, TableResult>;
  deleted: number;
  durationMs: number;
}

export const RETENTION_DEFAULTS = { batchSize: 1000, pauseMs: 20, startDelayMs: 10_000 };

/**
 * Deletes old rows in small batches, soon after start() and then every intervalMs. Each batch is one
 * statement (its own transaction) that locks only the rows it deletes, with SKIP LOCKED, so ingest
 * never waits on it and several instances may run it at once. Never throws out of its timer: a
 * failed pass is logged at warn and the next interval tries again. stop() lets the batch in flight
 * finish, then resolves; nothing is left scheduled.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private passing: Promise<unknown> | null = null;
  private started = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly batchSize: number;
  private readonly pauseMs: number;
  private readonly startDelayMs: number;
  private readonly targets: readonly RetentionTarget[];

  constructor(private readonly options: RetentionOptions) {
    this.batchSize = options.batchSize ?? RETENTION_DEFAULTS.batchSize;
    this.pauseMs = options.pauseMs ?? RETENTION_DEFAULTS.pauseMs;
    this.startDelayMs = options.startDelayMs ?? RETENTION_DEFAULTS.startDelayMs;
    this.targets = options.targets ?? RETENTION_TARGETS;
  }

  /** Whether a pass is scheduled or running (never with RETENTION_DAYS=0, nor once stop() has resolved). */
  get active(): boolean {
    return this.timer !== null || this.passing !== null;
  }

  start(): void {
    if (this.started || this.stopped || this.options.days <= 0) return;
    this.started = true;
    this.schedule(this.startDelayMs);
  }

  /** No further pass; the batch in flight (if any) finishes, the rest of its pass is abandoned. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wake?.();
    await this.passing;
  }

  /** One pass over every table, until each has no expired rows left (or stop()). */
  async runPass(): Promise<PassResult> {
    const began = performance.now();
    const tables: Record<string, TableResult> = {};
    if (this.options.days > 0) {
      for (const target of this.targets) {
        if (this.stopped) break;
        tables[target.table] = await this.drainTable(target);
      }
    }
    const deleted = Object.values(tables).reduce((n, t) => n + t.deleted, 0);
    return { tables, deleted, durationMs: Math.round(performance.now() - began) };
  }

  private async drainTable(target: RetentionTarget): Promise<TableResult> {
    const result: TableResult = { deleted: 0, statements: 0, largestBatch: 0, longestBatchMs: 0 };
    let after: Cursor | null = null;
    while (!this.stopped) {
      const began = performance.now();
      const batch = await deleteBatch(this.options.db, target, this.options.days, this.batchSize, after);
      result.longestBatchMs = Math.max(result.longestBatchMs, Math.round(performance.now() - began));
      result.statements += 1;
      result.deleted += batch.deleted;
      result.largestBatch = Math.max(result.largestBatch, batch.deleted);
      // A short batch is the end: the select found fewer expired rows than it asked for.
      if (batch.deleted < this.batchSize || !batch.last) break;
      after = batch.last;
      await this.pause();
    }
    return result;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.passing = this.timedPass().finally(() => {
        this.passing = null;
        this.schedule(this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async timedPass(): Promise<void> {
    const { logger } = this.options;
    try {
      const pass = await this.runPass();
      if (pass.deleted === 0) return;
      const deleted = Object.fromEntries(Object.entries(pass.tables).map(([table, t]) => [table, t.deleted]));
      const statements = Object.values(pass.tables).reduce((n, t) => n + t.statements, 0);
      const longestBatchMs = Math.max(...Object.values(pass.tables).map((t) => t.longestBatchMs));
      logger.info('retention pass', { deleted, statements, longestBatchMs, durationMs: pass.durationMs });
    } catch (err) {
      logger.warn('retention pass failed; trying again next interval', { error: errorMessage(err) });
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.pauseMs);
      this.wake = done;
    });
  }
}
