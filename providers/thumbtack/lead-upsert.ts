import { type Applied, compileUpsert, type Executor, keepingGiven, snapshotOf, withoutKind } from '../../src/provider';
import type { LeadChange } from './changes';
import { leads } from './tables';
import { leadView } from './views';

const upsert = compileUpsert(leads, keepingGiven(leads));

/**
 * Inserts or fills in leads by (provider, external_id). Thumbtack sends a lead once, at creation,
 * and has no update event, so a replay only ever fills gaps and never blanks a stored value.
 */
export async function upsertLeads(tx: Executor, changes: readonly LeadChange[]): Promise<Applied> {
  const written = await upsert(tx, withoutKind(changes));
  return { snapshots: written.map((w) => snapshotOf(leadView, w)) };
}
