import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { jobberAccounts } from '../records/tables';
import { errorMessage, type ProviderCommand, type ProviderDeps } from '../../../src/provider';
import { patiently } from '../api/patiently';
import { applyJobberChange } from '../records/appliers';
import type { JobberRecordChange } from '../records/changes';
import { enrichedChange, JOBBER_TABLES as TABLES } from './enrich';
import type { JobberFamily } from '../webhook/topics';

const MAX_WAITS = 10;

export interface SyncCounts {
  synced: number;
  notFound: number;
  stillWaiting: number;
  /** Rows this run could not sync (an API or database error, or throttled past every wait); they still wait. */
  failed: number;
}

/** A row that failed, for the operator: which one and why (never a token). */
export type SyncFailure = { family: JobberFamily; externalId: string; error: string };

type Sleep = (ms: number) => Promise<unknown>;

/**
 * Fills the rows that arrived while their account had no token (`awaiting_sync`), for every
 * connected account or just `accountId`. Each row keeps the occurred time of the event that wrote
 * it, so a newer webhook processed meanwhile is never overwritten. A row that fails is counted,
 * reported to `onFailure`, and left waiting; the run goes on with the next. `wait` sleeps through
 * Jobber's throttling (the import passes one that a stopping runner cuts short).
 */
export async function syncAwaitingRows(
  deps: ProviderDeps,
  accountId?: string,
  onFailure: (failure: SyncFailure) => void = () => {},
  wait: Sleep = sleep,
): Promise<SyncCounts> {
  const { db } = deps;
  const connected = await db
    .select({ accountId: jobberAccounts.accountId })
    .from(jobberAccounts)
    .where(and(isNotNull(jobberAccounts.accessToken), accountId ? eq(jobberAccounts.accountId, accountId) : undefined));
  const counts: SyncCounts = { synced: 0, notFound: 0, stillWaiting: 0, failed: 0 };
  if (connected.length === 0) return counts;
  for (const family of Object.keys(TABLES) as JobberFamily[]) {
    const t = TABLES[family];
    const waiting = await db
      .select({
        externalId: t.externalId,
        accountId: t.accountId,
        occurredAt: t.sourceOccurredAt,
        eventId: t.lastEventId,
        topic: t.lastTopic,
      })
      .from(t)
      .where(
        and(
          eq(t.provider, 'jobber'),
          eq(t.syncStatus, 'awaiting_sync'),
          isNull(t.deletedAt),
          inArray(
            t.accountId,
            connected.map((a) => a.accountId),
          ),
        ),
      );
    for (const row of waiting) {
      let change: JobberRecordChange;
      try {
        change = await patiently(
          () => enrichedChange(deps, { family, itemId: row.externalId, ...row }),
          wait,
          MAX_WAITS,
        );
        await db.transaction((tx) => applyJobberChange(tx, change));
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err; // stopping: the run resumes later
        // One row's failure does not stop the others; the row keeps waiting for the next run.
        counts.failed++;
        const failure = { family, externalId: row.externalId, error: errorMessage(err) };
        deps.logger.warn('jobber sync: row failed', failure);
        onFailure(failure);
        continue;
      }
      if (change.syncStatus === 'synced') counts.synced++;
      else if (change.syncStatus === 'not_found') counts.notFound++;
      else counts.stillWaiting++;
    }
  }
  return counts;
}

export const syncCommand: ProviderCommand = {
  summary: 'fetch from Jobber the clients, jobs and invoices awaiting sync [--account <id>]',
  needsDatabase: true,
  async run(args, deps, out) {
    const flag = args.indexOf('--account');
    const accountId = flag >= 0 ? args[flag + 1] : undefined;
    if (flag >= 0 && !accountId) {
      out.write('usage: hookport jobber sync [--account <Jobber account id>]\n');
      return 64;
    }
    const counts = await syncAwaitingRows(deps, accountId, (f) =>
      out.write(`failed ${f.family} ${f.externalId}: ${f.error}\n`),
    );
    out.write(
      `synced ${counts.synced}, not found in Jobber ${counts.notFound}, still waiting ${counts.stillWaiting}, failed ${counts.failed}\n`,
    );
    return counts.failed > 0 ? 1 : 0;
  },
};
