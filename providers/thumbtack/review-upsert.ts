import { type Applied, compileUpsert, type Executor, keepingGiven, snapshotOf, withoutKind } from '../../src/provider';
import type { ReviewChange } from './changes';
import { reviews } from './tables';
import { reviewView } from './views';

const upsert = compileUpsert(reviews, keepingGiven(reviews));

/** Inserts or fills in reviews by (provider, external_id); a replay never blanks a stored value. */
export async function upsertReviews(tx: Executor, changes: readonly ReviewChange[]): Promise<Applied> {
  const written = await upsert(tx, withoutKind(changes));
  return { snapshots: written.map((w) => snapshotOf(reviewView, w)) };
}
