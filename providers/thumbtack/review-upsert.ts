import type { Executor } from '../../src/db/client';
import { compileUpsert, withoutKind } from '../../src/records/compiled-upsert';
import { keepingGiven } from '../../src/records/upsert';
import type { ReviewChange } from './changes';
import { reviews } from './tables';

const upsert = compileUpsert(reviews, keepingGiven(reviews));

/** Inserts or fills in reviews by (provider, external_id); a replay never blanks a stored value. */
export async function upsertReviews(tx: Executor, changes: readonly ReviewChange[]): Promise<void> {
  await upsert(tx, withoutKind(changes));
}
