import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts, updatedAt } from './columns';

export const SUPPRESSION_CHANNELS = ['email', 'sms'] as const;
export type SuppressionChannel = (typeof SUPPRESSION_CHANNELS)[number];

export const SUPPRESSION_REASONS = ['bounced', 'complained', 'suppressed', 'opted_out'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/**
 * Who must not be messaged: one row per (channel, normalized address), fed by hard bounces,
 * complaints, provider suppressions and SMS opt-outs, lifted by opt-ins. Shared by every provider,
 * like messages and emails. `state_at` is the time of the latest fact applied: an older fact never
 * changes the row (events arrive out of order).
 */
export const suppressions = pgTable(
  'suppressions',
  {
    channel: text('channel', { enum: SUPPRESSION_CHANNELS }).notNull(),
    /** Normalized (src/records/addresses.ts): lower-case email, or a phone number's digits with its `+`. */
    address: text('address').notNull(),
    suppressed: boolean('suppressed').notNull(),
    /** Why it was last suppressed; kept when lifted. Null for an address only ever opted in. */
    reason: text('reason', { enum: SUPPRESSION_REASONS }),
    /** Who reported the current state. */
    provider: text('provider').notNull(),
    /** When the current (or last) suppression spell began. */
    since: ts('since'),
    /** When it was lifted; null while suppressed. */
    liftedAt: ts('lifted_at'),
    /** Time of the latest fact applied: the out-of-order guard. */
    stateAt: ts('state_at').notNull(),
    /** The webhook_events row that set the current state. */
    eventId: uuid('event_id'),
    /** A short reason for people: the bounce message, the keyword (`STOP`). */
    detail: text('detail'),
    /** The state last announced by a canonical event (contact.suppressed / contact.unsuppressed). */
    announced: boolean('announced').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'suppressions_pk', columns: [t.channel, t.address] }),
    // The list: suppressed ones, newest first, keyset-paged on (since, channel, address).
    index('suppressions_suppressed_since_idx')
      .on(t.since, t.channel, t.address)
      .where(sql`suppressed`),
    // The list with lifted ones too (`state=all`): by the latest fact, newest first.
    index('suppressions_state_at_idx').on(t.stateAt, t.channel, t.address),
  ],
);
