import type { Applied, ApplyContext, Executor, RecordApplier, RecordAppliers } from '../../../src/provider';
import { applyJobberAccounts } from './account-upsert';
import type { JobberChange } from './changes';
import { upsertJobberClients, upsertJobberInvoices, upsertJobberJobs } from './upserts';

/** How each Jobber record kind is written; a kind left out does not compile. */
export const jobberRecordAppliers = {
  client: upsertJobberClients,
  job: upsertJobberJobs,
  invoice: upsertJobberInvoices,
  jobber_account: applyJobberAccounts,
} satisfies RecordAppliers<JobberChange['kind']>;

/** Writes one Jobber change (`hookport jobber sync` writes outside the worker). */
export function applyJobberChange(tx: Executor, change: JobberChange, context?: ApplyContext): Promise<Applied> {
  // The map holds the applier of change.kind; TypeScript cannot relate the two through the union.
  const apply = jobberRecordAppliers[change.kind] as RecordApplier<JobberChange>;
  return apply(tx, [change], context);
}
