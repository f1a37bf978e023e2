import type { Db } from '../../src/db/client';
import { upsertKeepingGiven } from '../../src/records/upsert';
import type { LeadChange } from './changes';
import { leads } from './tables';

/**
 * Inserts or fills in one lead by (provider, external_id). Thumbtack sends a lead once, at creation,
 * and has no update event, so a replay only ever fills gaps and never blanks a stored value.
 */
export async function upsertLead(tx: Pick<Db, 'insert'>, change: LeadChange): Promise<void> {
  const { kind: _kind, ...values } = change;
  await upsertKeepingGiven(tx, leads, values);
}
