import type { Executor } from '../db/client';
import type { AnyProvider, ProviderRegistry } from '../provider';
import type { RecordApplier, RecordAppliers, RecordChange, SharedRecordKind } from './changes';
import { upsertEmail } from './emails';
import { upsertMessage } from './messages';

/** The kinds every provider may feed: the shared tables. */
export const sharedRecordAppliers = {
  message: upsertMessage,
  email: upsertEmail,
} satisfies RecordAppliers<SharedRecordKind>;

/** Applies one record change inside the worker's transaction. */
export type ApplyRecordChange = (tx: Executor, change: RecordChange) => Promise<void>;

/**
 * The shared appliers plus those of every installed provider, by kind. A kind with no applier is
 * an error (the event fails and is retried, then dead), never an event marked processed with no row.
 */
export function recordApplier(providers: ProviderRegistry): ApplyRecordChange {
  const byKind = new Map<string, RecordApplier<never>>(Object.entries(sharedRecordAppliers));
  for (const [name, provider] of Object.entries(providers)) {
    // AnyProvider hides which kinds; each value is the applier of its key.
    const own = (provider.records ?? {}) as Readonly<Record<string, RecordApplier<never>>>;
    for (const [kind, apply] of Object.entries(own)) {
      if (byKind.has(kind)) throw new Error(`record kind "${kind}" of provider "${name}" is already taken`);
      byKind.set(kind, apply);
    }
  }
  return (tx, change) => {
    const apply = byKind.get(change.kind) as RecordApplier<RecordChange> | undefined;
    if (!apply) throw new Error(`no applier for record kind "${change.kind}"`);
    return apply(tx, change);
  };
}
