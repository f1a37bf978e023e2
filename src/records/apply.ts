import type { Db } from '../db/client';
import type { RecordChange } from './changes';
import { upsertEmail } from './emails';
import { upsertMessage } from './messages';

export type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Applies one record change inside the worker's transaction. */
export async function applyRecordChange(tx: Transaction, change: RecordChange): Promise<void> {
  switch (change.kind) {
    case 'message':
      return upsertMessage(tx, change);
    case 'email':
      return upsertEmail(tx, change);
  }
}
