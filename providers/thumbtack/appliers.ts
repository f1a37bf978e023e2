import type { RecordAppliers } from '../../src/provider';
import type { ThumbtackChange } from './changes';
import { upsertLeads } from './lead-upsert';
import { upsertReviews } from './review-upsert';

/** How each Thumbtack record kind is written; a kind left out does not compile. */
export const thumbtackRecordAppliers = {
  lead: upsertLeads,
  review: upsertReviews,
} satisfies RecordAppliers<ThumbtackChange['kind']>;
