import { and, eq, inArray } from 'drizzle-orm';
import { errorMessage, type Executor, type RecordApplier } from '../../../src/provider';
import { jobberRecordAppliers } from '../records/appliers';
import { toColumns } from '../sync/api-to-changes';
import type { JobberRecordChange } from '../records/changes';
import { JOBBER_TABLES } from '../sync/enrich';
import type { JobberRunKind } from '../records/tables';
import type { JobberFamily } from '../webhook/topics';

/** A record as a page listed it: its id, Jobber's updatedAt, and the rest for toColumns. */
export interface ListedRecord {
  id: string;
  updatedAt?: string | null;
  [field: string]: unknown;
}

export interface PageCounts {
  changed: number;
  unchanged: number;
  failed: number;
  /** Why records failed (the first few), for the run's last_error and the log. */
  failures: string[];
}

/**
 * A listed record as a row change. Its version is Jobber's `updatedAt`, the clock webhooks'
 * `occurredAt` is also on, so the upsert's guard lets a webhook newer than the copy win, whatever
 * order the two are written in. A record without `updatedAt` gets the oldest time: it fills a
 * missing row and never overwrites one.
 */
export function listedChange(
  family: JobberFamily,
  accountId: string,
  kind: JobberRunKind,
  record: ListedRecord,
): JobberRecordChange {
  const change = {
    kind: family,
    provider: 'jobber',
    externalId: record.id,
    accountId,
    sourceOccurredAt: record.updatedAt ? new Date(record.updatedAt) : new Date(0),
    lastTopic: kind,
    ...toColumns[family](record),
    syncStatus: 'synced',
    syncedAt: new Date(),
  } as JobberRecordChange;
  // A time Jobber sent that is not one would fail the whole page's statement: this record fails alone.
  for (const [field, value] of Object.entries(change)) {
    if (value instanceof Date && Number.isNaN(value.getTime())) throw new Error(`${field} is not a time`);
  }
  return change;
}

/**
 * Writes a page of listed records and counts them: `changed` when the row was missing or held
 * another version, `unchanged` when it already held this one or a newer one (a webhook won), and
 * `failed` for a record Hookport could not read (the rest of the page is still written).
 */
export async function applyListedPage(
  tx: Executor,
  family: JobberFamily,
  accountId: string,
  kind: JobberRunKind,
  records: readonly ListedRecord[],
): Promise<PageCounts> {
  const counts: PageCounts = { changed: 0, unchanged: 0, failed: 0, failures: [] };
  const changes: JobberRecordChange[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    // A page lists each record once; should one repeat, one statement cannot write it twice.
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    try {
      changes.push(listedChange(family, accountId, kind, record));
    } catch (err) {
      counts.failed++;
      if (counts.failures.length < 3)
        counts.failures.push(`${family} ${String(record.id)}: ${errorMessage(err).slice(0, 200)}`);
    }
  }
  if (changes.length === 0) return counts;
  const t = JOBBER_TABLES[family];
  const stored = await tx
    .select({
      externalId: t.externalId,
      sourceOccurredAt: t.sourceOccurredAt,
      jobberUpdatedAt: t.jobberUpdatedAt,
      syncStatus: t.syncStatus,
    })
    .from(t)
    .where(
      and(
        eq(t.provider, 'jobber'),
        inArray(
          t.externalId,
          changes.map((c) => c.externalId),
        ),
      ),
    );
  const byId = new Map(stored.map((row) => [row.externalId, row]));
  const writes = changes.filter((c) => {
    const row = byId.get(c.externalId);
    const fresh =
      !row ||
      (row.sourceOccurredAt.getTime() <= c.sourceOccurredAt.getTime() &&
        (row.syncStatus !== 'synced' || row.jobberUpdatedAt?.getTime() !== c.jobberUpdatedAt?.getTime()));
    counts[fresh ? 'changed' : 'unchanged']++;
    return fresh;
  });
  // Distinct ids in id order: one statement, row locks in the order every writer takes them.
  writes.sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  const apply = jobberRecordAppliers[family] as RecordApplier<JobberRecordChange>;
  await apply(tx, writes);
  return counts;
}
