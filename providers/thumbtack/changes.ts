import type { Described } from '../../src/provider';
import type { leads, reviews } from './tables';

/** A Thumbtack lead (negotiation); absent fields keep what the row already has. */
export type LeadChange = { kind: 'lead' } & Described<typeof leads>;

/** A review; absent fields keep what the row already has. */
export type ReviewChange = { kind: 'review' } & Described<typeof reviews>;

export type ThumbtackChange = LeadChange | ReviewChange;

declare module '../../src/provider' {
  interface RecordChanges {
    lead: LeadChange;
    review: ReviewChange;
  }
}
