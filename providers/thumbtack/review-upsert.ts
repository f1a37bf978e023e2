import type { Db } from '../../src/db/client';
import { upsertKeepingGiven } from '../../src/records/upsert';
import type { ReviewChange } from './changes';
import { reviews } from './tables';

/** Inserts or fills in one review by (provider, external_id); a replay never blanks a stored value. */
export async function upsertReview(tx: Pick<Db, 'insert'>, change: ReviewChange): Promise<void> {
  const { kind: _kind, ...values } = change;
  await upsertKeepingGiven(tx, reviews, values);
}
