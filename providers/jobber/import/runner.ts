import { setTimeout as sleep } from 'node:timers/promises';
import { type BackgroundJob, errorMessage, type ProviderDeps } from '../../../src/provider';
import { executeRun, type AttemptOutcome } from './run';
import { claimRun, queueDueRuns, releaseRun, runById, type JobberRun } from './runs';
import { jobberSettings } from '../settings';

export interface SyncRunnerOptions {
  /** How often to look for queued runs while idle (an import queued by a connect starts within it). */
  pollMs?: number;
  /** How often to queue the reconciliations that are due. */
  scheduleEveryMs?: number;
  leaseMs?: number;
}

export const SYNC_RUNNER_DEFAULTS = { pollMs: 2_000, scheduleEveryMs: 60_000, leaseMs: 60_000 };

/**
 * Runs the Jobber imports and reconciliations, one run at a time per process, in the processes
 * that run the worker. Runs live in jobber_sync_runs, claimed under a lease, so several processes
 * share them and a run cut short by a crash or a restart resumes from its cursor.
 */
export class JobberSyncRunner implements BackgroundJob {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private wakeIdle: (() => void) | null = null;
  private lastScheduled = 0;
  private readonly pollMs: number;
  private readonly scheduleEveryMs: number;
  readonly leaseMs: number;

  constructor(
    private readonly deps: ProviderDeps,
    options: SyncRunnerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? SYNC_RUNNER_DEFAULTS.pollMs;
    this.scheduleEveryMs = options.scheduleEveryMs ?? SYNC_RUNNER_DEFAULTS.scheduleEveryMs;
    this.leaseMs = options.leaseMs ?? SYNC_RUNNER_DEFAULTS.leaseMs;
  }

  start(): void {
    if (this.loop || this.abort.signal.aborted) return;
    this.loop = this.run();
  }

  /** Looks for work now instead of at the next poll. */
  wake(): void {
    this.wakeIdle?.();
  }

  /** Stops paging at the next page or wait; the run in hand is handed back with its cursor. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeIdle?.();
    await this.loop;
  }

  /** Queues what is due, then claims and executes one run; undefined when none was due. */
  async runOnce(): Promise<{ run: JobberRun; outcome: AttemptOutcome } | undefined> {
    const intervalMs = jobberSettings.of(this.deps.config).reconcileIntervalMs;
    if (intervalMs > 0 && Date.now() - this.lastScheduled >= this.scheduleEveryMs) {
      this.lastScheduled = Date.now();
      const queued = await queueDueRuns(this.deps.db, intervalMs);
      if (queued > 0) this.deps.logger.info('jobber: runs queued', { queued });
    }
    const run = await claimRun(this.deps.db, this.leaseMs);
    if (!run) return undefined;
    this.deps.logger.info('jobber run started', {
      runId: run.id,
      accountId: run.accountId,
      kind: run.kind,
      resumedAt: run.family ?? undefined,
    });
    const outcome = await executeRun(run, {
      deps: this.deps,
      leaseMs: this.leaseMs,
      sleep: (ms) => sleep(ms, undefined, { signal: this.abort.signal }),
      stopping: () => this.abort.signal.aborted,
    });
    if (outcome === 'released') await releaseRun(this.deps.db, run);
    const after = (await runById(this.deps.db, run.id)) ?? run;
    const { fetched, changed, unchanged, failed } = after;
    this.deps.logger.info('jobber run ended', {
      runId: run.id,
      accountId: run.accountId,
      kind: run.kind,
      outcome,
      fetched,
      changed,
      unchanged,
      failed,
    });
    return { run: after, outcome };
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let worked = false;
      try {
        worked = (await this.runOnce()) !== undefined;
      } catch (err) {
        // The database is down or overloaded: the next poll tries again.
        this.deps.logger.warn('jobber sync runner: pass failed', { error: errorMessage(err) });
      }
      if (!worked && !this.abort.signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wakeIdle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeIdle = null;
      }
    }
  }
}
