import { reviews } from '../db/schema';
import type { Db } from '../db/client';
import type { ReviewChange } from './changes';
import { upsertKeepingGiven } from './upsert';

/** Inserts or fills in one review by (provider, external_id); a replay never blanks a stored value. */
export async function upsertReview(tx: Pick<Db, 'insert'>, change: ReviewChange): Promise<void> {
  const { kind: _kind, ...values } = change;
  await upsertKeepingGiven(tx, reviews, values);
}
