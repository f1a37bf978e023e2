import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../src/provider';
import { clients, invoices, jobs, type JobberSyncStatus } from '../records/tables';
import type { JobberRecordChange } from '../records/changes';
import { jobberQuery, type JobberApiDeps, type QueryResult } from '../api/client';
import { INVOICE_JOBS_QUERY, ITEM_QUERIES, JOBS_PAGE_SIZE } from '../api/queries';
import { toColumns } from './api-to-changes';
import type { JobberFamily } from '../webhook/topics';

/** The table of each record family. */
export const JOBBER_TABLES = { client: clients, job: jobs, invoice: invoices } as const;

/** Where a Jobber record row stands before enrichment: its ids and the event that wrote it. */
export interface RecordOrigin {
  family: JobberFamily;
  accountId: string;
  itemId: string;
  occurredAt: Date;
  eventId: string | null;
  topic: string | null;
}

/**
 * Why a create or update was not fetched: `stale`, the row was written by a newer event (the upsert's
 * guard would discard this one); `deleted`, the row is already deleted (nothing left to fetch).
 */
export type SkipReason = 'stale' | 'deleted';

const base = (o: RecordOrigin) => ({
  kind: o.family,
  provider: 'jobber',
  externalId: o.itemId,
  accountId: o.accountId,
  sourceOccurredAt: o.occurredAt,
  lastEventId: o.eventId,
  lastTopic: o.topic,
});

/** A destroyed record: the row is kept, with deleted_at; there is nothing left to fetch. */
export function destroyedChange(o: RecordOrigin): JobberRecordChange {
  return { ...base(o), syncStatus: 'not_found', deletedAt: o.occurredAt } as JobberRecordChange;
}

/** The stored row's age, deletion and status, or undefined when there is no row yet. */
async function storedRow(
  db: Db,
  o: RecordOrigin,
): Promise<{ sourceOccurredAt: Date; deletedAt: Date | null; syncStatus: JobberSyncStatus } | undefined> {
  const t = JOBBER_TABLES[o.family];
  const [row] = await db
    .select({ sourceOccurredAt: t.sourceOccurredAt, deletedAt: t.deletedAt, syncStatus: t.syncStatus })
    .from(t)
    .where(and(eq(t.provider, 'jobber'), eq(t.externalId, o.itemId)));
  return row;
}

/**
 * A create or update from a webhook. One cheap select first: when the event is older than the one
 * that wrote the row, or the row is already deleted, Jobber's API is not called (the write would be
 * discarded, or the record is gone); the change then carries only the ids and the row's own sync
 * status, and the upsert's guard keeps the row's data. Otherwise the record is fetched.
 */
export async function webhookChange(
  deps: JobberApiDeps,
  o: RecordOrigin,
): Promise<{ record: JobberRecordChange; skipped?: SkipReason }> {
  const stored = await storedRow(deps.db, o);
  const skipped: SkipReason | undefined = !stored
    ? undefined
    : o.occurredAt.getTime() < stored.sourceOccurredAt.getTime()
      ? 'stale'
      : stored.deletedAt
        ? 'deleted'
        : undefined;
  if (stored && skipped)
    return { record: { ...base(o), syncStatus: stored.syncStatus } as JobberRecordChange, skipped };
  return { record: await enrichedChange(deps, o) };
}

/**
 * The row change for a created or updated record, with Jobber's current data when the account has
 * a token. Without one the row keeps its ids and waits (`awaiting_sync`) for `hookport jobber sync`.
 */
export async function enrichedChange(deps: JobberApiDeps, o: RecordOrigin): Promise<JobberRecordChange> {
  const result = await fetchItem(deps, o);
  if (result.status === 'no_token') return { ...base(o), syncStatus: 'awaiting_sync' } as JobberRecordChange;
  if (result.status === 'not_found') return { ...base(o), syncStatus: 'not_found' } as JobberRecordChange;
  return {
    ...base(o),
    ...toColumns[o.family](result.item),
    syncStatus: 'synced',
    syncedAt: new Date(),
  } as JobberRecordChange;
}

export type Fetched = { status: 'no_token' } | { status: 'not_found' } | { status: 'found'; item: unknown };

async function fetchItem(deps: JobberApiDeps, o: RecordOrigin): Promise<Fetched> {
  const result = await jobberQuery<Record<string, unknown>>(
    deps,
    o.accountId,
    ITEM_QUERIES[o.family],
    { id: o.itemId },
    { item: o.family },
  );
  if (result.status === 'no_token') return result;
  const item = result.data[o.family];
  if (item === null || item === undefined) return { status: 'not_found' };
  return o.family === 'invoice' ? withEveryJob(deps, o, item) : { status: 'found', item };
}

const jobsPage = z.object({
  nodes: z.array(z.object({ id: z.string() })),
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
});
/** Far beyond any real invoice; only stops a cursor that never ends. */
const MAX_JOB_PAGES = 100;

/** The invoice with every job link: the first page came with it, the rest are fetched page by page. */
export async function withEveryJob(
  deps: JobberApiDeps,
  o: Pick<RecordOrigin, 'accountId' | 'itemId'>,
  invoice: unknown,
): Promise<Fetched> {
  const first = (invoice as { jobs?: unknown }).jobs;
  if (first === null || first === undefined) return { status: 'found', item: invoice };
  let page = jobsPage.parse(first);
  const nodes = [...page.nodes];
  for (let pages = 1; page.pageInfo.hasNextPage; pages++) {
    const after = page.pageInfo.endCursor;
    if (!after) throw new Error('Jobber said the invoice has more jobs but gave no cursor for them');
    if (pages >= MAX_JOB_PAGES)
      throw new Error(`invoice links more than ${MAX_JOB_PAGES * JOBS_PAGE_SIZE} jobs; stopped paging`);
    const next: QueryResult<{ invoice: { jobs?: unknown } | null }> = await jobberQuery(
      deps,
      o.accountId,
      INVOICE_JOBS_QUERY,
      { id: o.itemId, after },
      { item: 'invoice' },
    );
    if (next.status === 'no_token') return next;
    // Deleted between two pages: its INVOICE_DESTROY follows.
    if (!next.data.invoice) return { status: 'not_found' };
    page = jobsPage.parse(next.data.invoice.jobs);
    nodes.push(...page.nodes);
  }
  return { status: 'found', item: { ...(invoice as object), jobs: { nodes } } };
}
