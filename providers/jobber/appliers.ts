import type { Executor } from '../../src/db/client';
import type { RecordApplier, RecordAppliers } from '../../src/records/changes';
import { applyJobberAccount } from './account-upsert';
import type { JobberChange } from './changes';
import { upsertJobberClient, upsertJobberInvoice, upsertJobberJob } from './upserts';

/** How each Jobber record kind is written; a kind left out does not compile. */
export const jobberRecordAppliers = {
  client: upsertJobberClient,
  job: upsertJobberJob,
  invoice: upsertJobberInvoice,
  jobber_account: applyJobberAccount,
} satisfies RecordAppliers<JobberChange['kind']>;

/** Writes one Jobber change (`hookport jobber sync` writes outside the worker). */
export function applyJobberChange(tx: Executor, change: JobberChange): Promise<void> {
  // The map holds the applier of change.kind; TypeScript cannot relate the two through the union.
  const apply = jobberRecordAppliers[change.kind] as RecordApplier<JobberChange>;
  return apply(tx, change);
}
