import type { Db } from '../db/client';
import type { RecordChange } from './changes';
import { upsertEmail } from './emails';
import { upsertJobberClient, upsertJobberInvoice, upsertJobberJob } from './jobber';
import { applyJobberAccount } from './jobber-account';
import { upsertLead } from './leads';
import { upsertMessage } from './messages';
import { upsertReview } from './reviews';

export type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Applies one record change inside the worker's transaction. */
export async function applyRecordChange(tx: Transaction, change: RecordChange): Promise<void> {
  switch (change.kind) {
    case 'message':
      return upsertMessage(tx, change);
    case 'email':
      return upsertEmail(tx, change);
    case 'lead':
      return upsertLead(tx, change);
    case 'review':
      return upsertReview(tx, change);
    case 'client':
      return upsertJobberClient(tx, change);
    case 'job':
      return upsertJobberJob(tx, change);
    case 'invoice':
      return upsertJobberInvoice(tx, change);
    case 'jobber_account':
      return applyJobberAccount(tx, change);
  }
}
