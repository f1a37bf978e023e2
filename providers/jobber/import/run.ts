import { z } from 'zod';
import { errorMessage, type ProviderDeps } from '../../../src/provider';
import { jobberQuery } from '../api/client';
import { withEveryJob } from '../sync/enrich';
import { applyListedPage, type ListedRecord } from './page';
import { CostPacer } from '../api/pacing';
import { patiently } from '../api/patiently';
import { LIST_QUERIES } from '../api/queries';
import { syncAwaitingRows } from '../sync/awaiting-rows';
import { failAttempt, finishRun, LostLeaseError, recordPage, recordWait, type JobberRun } from './runs';
import type { JobberFamily } from '../webhook/topics';

/** Clients first: jobs and invoices name them. */
export const RUN_FAMILIES: readonly JobberFamily[] = ['client', 'job', 'invoice'];
const CONNECTION_FIELD: Record<JobberFamily, 'clients' | 'jobs' | 'invoices'> = {
  client: 'clients',
  job: 'jobs',
  invoice: 'invoices',
};
/** Throttled this many times in a row, the attempt ends (and is retried later from its cursor). */
const MAX_THROTTLES_IN_A_ROW = 20;

const connection = z.object({
  nodes: z.array(z.object({ id: z.string(), updatedAt: z.string().nullish() }).passthrough()),
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
  totalCount: z.number().int().nullish(),
});

export interface RunContext {
  deps: ProviderDeps;
  leaseMs: number;
  /** Waits, or throws once the runner stops (the run is then handed back, its cursor kept). */
  sleep(ms: number): Promise<void>;
  stopping(): boolean;
  now?: () => number;
}

/**
 * How an attempt ended: done, handed back (stopping), failed (retried later, or for good), or lost to another holder.
 */
export type AttemptOutcome = 'done' | 'released' | 'failed' | 'lost';

/** Backoff of a failed attempt: 5 s, 10 s, 20 s … at most 10 minutes. */
const runRetryDelayMs = (attempts: number) => Math.min(10 * 60_000, 5_000 * 2 ** attempts);

/**
 * Pages through the account's clients, jobs and invoices from where the run stands (its family
 * and cursor), writing each page with the run's progress in one transaction. Paced by Jobber's
 * query cost (see CostPacer). Never throws: a failure is recorded on the run.
 */
export async function executeRun(run: JobberRun, ctx: RunContext): Promise<AttemptOutcome> {
  const { deps } = ctx;
  const now = ctx.now ?? Date.now;
  const pacer = new CostPacer();
  const since = run.since;
  let family: JobberFamily | undefined;
  try {
    const start = Math.max(0, RUN_FAMILIES.indexOf(run.family as JobberFamily));
    for (const current of RUN_FAMILIES.slice(start)) {
      family = current;
      let after = family === run.family ? run.cursor : null;
      let familyFetched = family === run.family ? (run.progress[family]?.fetched ?? 0) : 0;
      for (;;) {
        if (ctx.stopping()) return 'released';
        const wait = pacer.waitMs(family, now());
        if (wait > 0) {
          await recordWait(deps.db, run, wait, false, ctx.leaseMs);
          await ctx.sleep(wait);
        }
        // A throttled page is asked again, smaller (the pacer halves it), once Jobber's wait is over.
        let first = 0;
        const result = await patiently(
          () => {
            first = pacer.pageSize(current);
            const variables: Record<string, unknown> = { first, after };
            if (family !== 'job') variables.filter = since ? { updatedAt: { after: since.toISOString() } } : null;
            return jobberQuery<Record<string, unknown>>(deps, run.accountId, LIST_QUERIES[current], variables);
          },
          (delayMs) => {
            pacer.throttled(current);
            return waitOutThrottle(ctx, run, delayMs);
          },
          MAX_THROTTLES_IN_A_ROW,
        );
        if (result.status === 'no_token') {
          await failAttempt(
            deps.db,
            run,
            'the account has no access token: connect it again at /oauth/jobber/connect',
            0,
            true,
          );
          return 'failed';
        }
        pacer.observe(family, result.cost, first, now());
        const page = connection.parse(result.data[CONNECTION_FIELD[family]]);
        // Jobs come newest-updated first: a reconciliation stops at the first one older than its window.
        const inWindow =
          since && family === 'job'
            ? page.nodes.filter((n) => n.updatedAt && new Date(n.updatedAt) >= since)
            : page.nodes;
        const done = !page.pageInfo.hasNextPage || inWindow.length < page.nodes.length;
        if (!done && !page.pageInfo.endCursor)
          throw new Error(`Jobber said there are more ${CONNECTION_FIELD[family]} but gave no cursor`);
        const records = family === 'invoice' ? await withJobs(ctx, run, inWindow) : inWindow;
        familyFetched += records.length;
        await deps.db.transaction(async (tx) => {
          const counts = await applyListedPage(tx, current, run.accountId, run.kind, records);
          if (counts.failures.length > 0)
            deps.logger.warn('jobber import: records not read', { runId: run.id, failures: counts.failures });
          await recordPage(
            tx,
            run,
            {
              family: current,
              cursor: page.pageInfo.endCursor ?? after,
              fetched: records.length,
              ...counts,
              familyFetched,
              familyTotal: since ? null : (page.totalCount ?? null),
            },
            ctx.leaseMs,
          );
        });
        if (done) break;
        after = page.pageInfo.endCursor!;
      }
    }
    // Rows a webhook wrote while the account had no token, newer than the copy listed: fetched one by one.
    const awaiting = await syncAwaitingRows(deps, run.accountId, undefined, ctx.sleep);
    await finishRun(deps.db, run, {
      changed: awaiting.synced + awaiting.notFound,
      failed: awaiting.failed + awaiting.stillWaiting,
    });
    return 'done';
  } catch (err) {
    if (err instanceof LostLeaseError) {
      deps.logger.warn('jobber run taken over by another process: this one stops', { runId: run.id });
      return 'lost';
    }
    if (ctx.stopping()) return 'released';
    const error = `${family ?? 'run'}: ${errorMessage(err)}`;
    deps.logger.warn('jobber import attempt failed', {
      runId: run.id,
      accountId: run.accountId,
      kind: run.kind,
      error,
    });
    await failAttempt(deps.db, run, error, runRetryDelayMs(run.attempts)).catch(() => {});
    return 'failed';
  }
}

/** A throttle, recorded on the run (with its lease stretched over the wait), then waited out. */
async function waitOutThrottle(ctx: RunContext, run: JobberRun, delayMs: number): Promise<void> {
  await recordWait(ctx.deps.db, run, delayMs, true, ctx.leaseMs);
  await ctx.sleep(delayMs);
}

/**
 * Invoices with every job link (a page lists the first few of each; more are fetched one invoice at
 * a time, waiting out Jobber's throttling like a page does).
 */
async function withJobs(ctx: RunContext, run: JobberRun, invoices: ListedRecord[]): Promise<ListedRecord[]> {
  const out: ListedRecord[] = [];
  for (const invoice of invoices) {
    const jobs = invoice.jobs as { pageInfo?: { hasNextPage?: boolean } } | null | undefined;
    if (!jobs?.pageInfo?.hasNextPage) {
      out.push(invoice);
      continue;
    }
    const full = await patiently(
      () => withEveryJob(ctx.deps, { accountId: run.accountId, itemId: invoice.id }, invoice),
      (delayMs) => waitOutThrottle(ctx, run, delayMs),
      MAX_THROTTLES_IN_A_ROW,
    );
    // Deleted meanwhile (its INVOICE_DESTROY follows) or the token is gone (the next page says so): skipped.
    if (full.status === 'found') out.push(full.item as ListedRecord);
  }
  return out;
}
