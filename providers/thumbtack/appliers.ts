import type { RecordAppliers } from '../../src/records/changes';
import type { ThumbtackChange } from './changes';
import { upsertLead } from './lead-upsert';
import { upsertReview } from './review-upsert';

/** How each Thumbtack record kind is written; a kind left out does not compile. */
export const thumbtackRecordAppliers = {
  lead: upsertLead,
  review: upsertReview,
} satisfies RecordAppliers<ThumbtackChange['kind']>;
