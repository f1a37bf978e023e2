import type { emails, leads, messages, reviews } from '../db/schema';
import type { JobberChange } from './jobber-changes';

type Insert<T extends { $inferInsert: unknown }> = T['$inferInsert'];
type Described<T> = Omit<T, 'id' | 'createdAt' | 'updatedAt'>;

/** A message row as a provider saw it; absent fields keep what the row already has. */
export type MessageChange = { kind: 'message' } & Described<Insert<typeof messages>>;

/** An email event; counters are deltas, the status is ranked. */
export type EmailChange = { kind: 'email' } & Omit<
  Described<Insert<typeof emails>>,
  'openCount' | 'clickCount'
> & {
    opened?: { at: Date };
    clicked?: { at: Date; link: string | null };
  };

/** A Thumbtack lead (negotiation); absent fields keep what the row already has. */
export type LeadChange = { kind: 'lead' } & Described<Insert<typeof leads>>;

/** A review; absent fields keep what the row already has. */
export type ReviewChange = { kind: 'review' } & Described<Insert<typeof reviews>>;

export type RecordChange = MessageChange | EmailChange | LeadChange | ReviewChange | JobberChange;
