import type { Executor } from '../../src/db/client';
import { snapshotOf } from '../../src/events/record-view';
import type { Applied } from '../../src/records/changes';
import { compileUpsert, withoutKind } from '../../src/records/compiled-upsert';
import { keepingGiven } from '../../src/records/upsert';
import type { ReviewChange } from './changes';
import { reviews } from './tables';
import { reviewView } from './views';

const upsert = compileUpsert(reviews, keepingGiven(reviews));

/** Inserts or fills in reviews by (provider, external_id); a replay never blanks a stored value. */
export async function upsertReviews(tx: Executor, changes: readonly ReviewChange[]): Promise<Applied> {
  const written = await upsert(tx, withoutKind(changes));
  return { snapshots: written.map((w) => snapshotOf(reviewView, w)) };
}
