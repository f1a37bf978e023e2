import type { JobberRecordChange } from '../../src/records/jobber-changes';
import { jobberQuery, type JobberApiDeps } from './api';
import { ITEM_QUERIES } from './queries';
import { toColumns } from './records';
import type { JobberFamily } from './topics';

/** Where a Jobber record row stands before enrichment: its ids and the event that wrote it. */
export interface RecordOrigin {
  family: JobberFamily;
  accountId: string;
  itemId: string;
  occurredAt: Date;
  eventId: string | null;
  topic: string | null;
}

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

/**
 * The row change for a created or updated record, with Jobber's current data when the account has
 * a token. Without one the row keeps its ids and waits (`awaiting_sync`) for `hookport jobber sync`.
 */
export async function enrichedChange(deps: JobberApiDeps, o: RecordOrigin): Promise<JobberRecordChange> {
  const result = await jobberQuery<Record<JobberFamily, unknown>>(deps, o.accountId, ITEM_QUERIES[o.family], { id: o.itemId });
  if (result.status === 'no_token') return { ...base(o), syncStatus: 'awaiting_sync' } as JobberRecordChange;
  const item = result.data[o.family];
  if (item === null || item === undefined) return { ...base(o), syncStatus: 'not_found' } as JobberRecordChange;
  return { ...base(o), ...toColumns[o.family](item), syncStatus: 'synced', syncedAt: new Date() } as JobberRecordChange;
}
