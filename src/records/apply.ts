import type { Executor } from '../db/client';
import type { CanonicalEvent, ProviderRegistry } from '../contract/provider';
import {
  withoutReceipts,
  type ApplyContext,
  type RecordApplier,
  type RecordAppliers,
  type RecordChange,
  type SharedRecordKind,
  type StatusReached,
} from '../contract/record-changes';
import type { RecordSnapshot } from '../events/record-view';
import { upsertEmails } from './emails';
import { upsertMessages } from './messages';
import { upsertSuppressions } from './suppressions';

/** The kinds every provider may feed: the shared tables. */
export const sharedRecordAppliers = {
  message: upsertMessages,
  email: upsertEmails,
  suppression: upsertSuppressions,
} satisfies RecordAppliers<SharedRecordKind>;

/** Every record change an event implies: its record, then the further ones it carries (`also`). */
export const recordChangesOf = (event: CanonicalEvent): RecordChange[] => [
  ...(event.record ? [event.record] : []),
  ...(event.also ?? []),
];

/**
 * What applying a batch's record changes left: each change's snapshot (by identity), the deliveries the appliers'
 * own events made, and the statuses rows reached (to count after the commit).
 */
export interface AppliedChanges {
  snapshots: Map<RecordChange, RecordSnapshot | null>;
  deliveries: number;
  reached: StatusReached[];
}

/** Applies record changes inside the worker's transaction. */
export type ApplyRecordChanges = (
  tx: Executor,
  changes: readonly RecordChange[],
  context?: ApplyContext,
) => Promise<AppliedChanges>;

/**
 * Statements for a set of changes, in lock order: by kind, then external id, and a record's changes
 * in the order given. Each statement holds changes of one kind with distinct ids (PostgreSQL
 * refuses to update a row twice in one statement), so a record's n-th change goes in its kind's
 * n-th statement. Row locks are therefore taken in (kind, id) order, whatever the batch: two
 * batches that touch the same rows cannot deadlock.
 */
export function statementsInLockOrder(changes: readonly RecordChange[]): RecordChange[][] {
  const keyed = changes.map((change, i) => ({ change, kind: change.kind as string, id: change.externalId, i }));
  keyed.sort((a, b) => compare(a.kind, b.kind) || compare(a.id, b.id) || a.i - b.i);
  const statements: RecordChange[][] = [];
  let kindStart = 0; // where the current kind's statements begin
  let occurrence = 0; // how many changes of the current record came before
  keyed.forEach(({ change, kind, id }, n) => {
    const previous = keyed[n - 1];
    if (previous?.kind !== kind) kindStart = statements.length;
    occurrence = previous?.kind === kind && previous.id === id ? occurrence + 1 : 0;
    (statements[kindStart + occurrence] ??= []).push(change);
  });
  return statements;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The shared appliers plus those of every installed provider, by kind. A kind with no applier is
 * an error (the event fails and is retried, then dead), never an event marked processed with no row.
 */
export function recordApplier(providers: ProviderRegistry): ApplyRecordChanges {
  const byKind = new Map<string, RecordApplier<never>>(Object.entries(sharedRecordAppliers));
  for (const [name, provider] of Object.entries(providers)) {
    // AnyProvider hides which kinds; each value is the applier of its key.
    const own = (provider.records ?? {}) as Readonly<Record<string, RecordApplier<never>>>;
    for (const [kind, apply] of Object.entries(own)) {
      if (byKind.has(kind)) throw new Error(`record kind "${kind}" of provider "${name}" is already taken`);
      byKind.set(kind, apply);
    }
  }
  return async (tx, changes, context = withoutReceipts) => {
    const applied: AppliedChanges = { snapshots: new Map(), deliveries: 0, reached: [] };
    for (const statement of statementsInLockOrder(changes)) {
      const kind = statement[0]!.kind;
      const apply = byKind.get(kind) as RecordApplier<RecordChange> | undefined;
      if (!apply) throw new Error(`no applier for record kind "${kind}"`);
      const { snapshots, deliveries, reached } = await apply(tx, statement, context);
      statement.forEach((change, i) => applied.snapshots.set(change, snapshots[i] ?? null));
      applied.deliveries += deliveries ?? 0;
      applied.reached.push(...(reached ?? []));
    }
    return applied;
  };
}
