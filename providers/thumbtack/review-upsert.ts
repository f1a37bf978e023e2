import type { Executor } from '../../src/db/client';
import { compileUpsert } from '../../src/records/compiled-upsert';
import { keepingGiven } from '../../src/records/upsert';
import type { ReviewChange } from './changes';
import { reviews } from './tables';

const upsert = compileUpsert(reviews, keepingGiven(reviews));

/** Inserts or fills in one review by (provider, external_id); a replay never blanks a stored value. */
export async function upsertReview(tx: Executor, change: ReviewChange): Promise<void> {
  const { kind: _kind, ...values } = change;
  await upsert(tx, values);
}
