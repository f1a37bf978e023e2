import type { Executor } from '../db/client';
import type { emails, messages } from '../db/schema';
import type { SuppressionChannel, SuppressionReason } from '../db/tables/suppressions';
import type { RecordSnapshot } from '../events/record-view';
import type { EventSource } from '../events/body';
import type { StatusReached } from '../activity/status-reached';

export type { StatusReached };

type Insert<T extends { $inferInsert: unknown }> = T['$inferInsert'];
/** A table's insert shape without the columns the database fills in. */
export type Described<T extends { $inferInsert: unknown }> = Omit<Insert<T>, 'id' | 'createdAt' | 'updatedAt'>;

/** A message row as a provider saw it; absent fields keep what the row already has. */
export type MessageChange = { kind: 'message' } & Described<typeof messages>;

/** An email event; counters are deltas, the status is ranked. */
export type EmailChange = { kind: 'email' } & Omit<Described<typeof emails>, 'openCount' | 'clickCount'> & {
    opened?: { at: Date };
    clicked?: { at: Date; link: string | null };
  };

/**
 * A fact about whether an address may be messaged: suppressed (a hard bounce, a complaint, an
 * opt-out) or lifted (an opt-in). `externalId` is `${channel}:${address}`, what the record
 * machinery sorts and keys on; `at` is when the fact happened, so an older one never wins.
 */
export type SuppressionChange = {
  kind: 'suppression';
  externalId: string;
  channel: SuppressionChannel;
  /** Normalized (see addresses.ts). */
  address: string;
  provider: string;
  /** The webhook_events row the fact came from. */
  eventId: string;
  at: Date;
  /** A short reason for people (the bounce message, the keyword). */
  detail?: string | null;
} & ({ suppressed: true; reason: SuppressionReason } | { suppressed: false });

/**
 * Every record kind, by name. The shared kinds are declared here; a provider with tables of its
 * own adds its kinds from its folder (`declare module '…/src/provider'`, the kit that re-exports it), so src/ never
 * names it and the applier maps below still cover every kind.
 */
export interface RecordChanges {
  message: MessageChange;
  email: EmailChange;
  suppression: SuppressionChange;
}

export type RecordKind = keyof RecordChanges;
/** The kinds of the shared tables, which every provider may feed. */
export type SharedRecordKind = 'message' | 'email' | 'suppression';
export type RecordChange = RecordChanges[RecordKind];

/**
 * Writes record changes inside the worker's transaction, as few statements as it can. The worker
 * passes changes with distinct external ids (a record's second change comes in a later call), in
 * the order of their ids, so concurrent batches take row locks in the same order. An applier that
 * writes canonical events of its own (insertCanonicalEvents) returns the deliveries they made, so
 * the delivery worker is woken at commit rather than at its next sweep, and the statuses its rows
 * reached, counted once the transaction commits.
 */
export type RecordApplier<C> = (tx: Executor, changes: readonly C[], context?: ApplyContext) => Promise<Applied>;

/** What an applier that writes canonical events of its own needs to know of their origin. */
export interface ApplyContext {
  /** `data.source` for an event caused by the inbox row `inboundEventId` of `provider`. */
  sourceOf(inboundEventId: string, provider: string): EventSource;
}

/** Outside the worker (an import, a sync command) the inbox row's receipt time is not at hand. */
export const withoutReceipts: ApplyContext = {
  sourceOf: (inboundEventId, provider) => ({ provider, inboundEventId, receivedAt: null }),
};

/**
 * What an applier leaves: each change's snapshot, in the order given (what the event's body
 * carries; null for a change it keeps no row of), and the deliveries its own events made.
 */
export interface Applied {
  snapshots: readonly (RecordSnapshot | null)[];
  deliveries?: number;
  /** The statuses its rows reached for the first time (messages and emails: the business figures). */
  reached?: readonly StatusReached[];
}

/** One applier for each of the given kinds: leaving one out does not compile. */
export type RecordAppliers<K extends RecordKind> = { readonly [P in K]: RecordApplier<RecordChanges[P]> };
