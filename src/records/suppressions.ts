import { and, ne, sql } from 'drizzle-orm';
import { suppressions } from '../db/schema';
import type { Executor } from '../db/client';
import { withoutReceipts, type Applied, type ApplyContext, type SuppressionChange } from '../contract/record-changes';
import { eventBody } from '../events/body';
import { snapshotOf } from '../events/record-view';
import { suppressionView } from '../events/shared-views';
import { insertCanonicalEvents, type CanonicalEventRow } from './canonical';
import { compileUpsert } from './compiled-upsert';
import { refs } from './sql';

const s = suppressions;
const { excluded, current } = refs;

/** The incoming fact keeps the row's state (a STOP while suppressed, a START while lifted). */
const same = sql`${current(s, s.suppressed)} = ${excluded(s.suppressed)}`;
/** The incoming fact starts a suppression spell. */
const starts = sql`(${excluded(s.suppressed)} and not ${current(s, s.suppressed)})`;
const onStart = (column: typeof s.reason | typeof s.since | typeof s.detail) =>
  sql`case when ${starts} then ${excluded(column)} else ${current(s, column)} end`;
const onChange = (column: typeof s.liftedAt | typeof s.eventId | typeof s.provider) =>
  sql`case when ${same} then ${current(s, column)} else ${excluded(column)} end`;

const upsert = compileUpsert(suppressions, {
  target: [s.channel, s.address],
  set: {
    suppressed: sql`${excluded(s.suppressed)}`,
    // A spell keeps the facts of its start: a second STOP or bounce changes nothing but state_at.
    reason: onStart(s.reason),
    since: onStart(s.since),
    detail: onStart(s.detail),
    liftedAt: onChange(s.liftedAt),
    eventId: onChange(s.eventId),
    provider: onChange(s.provider),
    stateAt: sql`${excluded(s.stateAt)}`,
    updatedAt: sql`now()`,
  },
  // Events arrive out of order: an older opt-in never lifts a newer opt-out, nor the reverse.
  setWhere: sql`${current(s, s.stateAt)} <= ${excluded(s.stateAt)}`,
});

const externalId = (channel: string, address: string) => `${channel}:${address}`;

/**
 * Applies suppression facts, then announces each address whose state changed: one conditional
 * UPDATE of `announced`, so concurrent workers serialize on the row lock and only the first sees
 * the change (as invoice.paid does). A lift of an unknown address writes a row (so a late, older
 * opt-out cannot win over it) but announces nothing: it was never suppressed.
 */
export async function upsertSuppressions(
  tx: Executor,
  changes: readonly SuppressionChange[],
  context: ApplyContext = withoutReceipts,
): Promise<Applied> {
  if (changes.length === 0) return { snapshots: [] };
  const written = await upsert(
    tx,
    changes.map((c) => ({
      channel: c.channel,
      address: c.address,
      suppressed: c.suppressed,
      reason: c.suppressed ? c.reason : null,
      provider: c.provider,
      since: c.suppressed ? c.at : null,
      liftedAt: c.suppressed ? null : c.at,
      stateAt: c.at,
      eventId: c.eventId,
      detail: c.suppressed ? (c.detail ?? null) : null,
    })),
  );
  const keys = changes.map((c) => sql`(${c.channel}, ${c.address})`);
  const changed = await tx
    .update(suppressions)
    .set({ announced: sql`${s.suppressed}`, updatedAt: sql`now()` })
    .where(and(sql`(${s.channel}, ${s.address}) in (${sql.join(keys, sql`, `)})`, ne(s.announced, s.suppressed)))
    .returning();
  const snapshots = written.map((w) => snapshotOf(suppressionView, w));
  const previousByKey = new Map(changes.map((c, i) => [c.externalId, snapshots[i]?.previous]));
  const rows = changed.flatMap((row): CanonicalEventRow[] => {
    if (!row.eventId) return [];
    const key = externalId(row.channel, row.address);
    const type = row.suppressed ? 'contact.suppressed' : 'contact.unsuppressed';
    const occurredAt = row.suppressed ? row.since : row.liftedAt;
    const base = {
      channel: row.channel,
      address: row.address,
      reason: row.reason,
      since: row.since?.toISOString() ?? null,
      detail: row.detail,
    };
    const data = row.suppressed ? base : { ...base, liftedAt: row.liftedAt?.toISOString() ?? null };
    const body = eventBody({
      type,
      at: occurredAt ?? new Date(),
      object: suppressionView.fromSelect(row),
      previous: previousByKey.get(key),
      source: context.sourceOf(row.eventId, row.provider),
      fields: data,
    });
    return [
      {
        webhookEventId: row.eventId,
        provider: row.provider,
        type,
        recordKind: 'suppression',
        externalId: key,
        occurredAt,
        data,
        body,
      },
    ];
  });
  return { snapshots, deliveries: await insertCanonicalEvents(tx, rows) };
}

/** A suppression change without the fields derived from the others. */
export type SuppressionFact = SuppressionChange extends infer C
  ? C extends SuppressionChange
    ? Omit<C, 'kind' | 'externalId'>
    : never
  : never;

/** The change that suppresses or lifts `fact.address` on `fact.channel`. */
export function suppressionChange(fact: SuppressionFact): SuppressionChange {
  return { ...fact, kind: 'suppression', externalId: externalId(fact.channel, fact.address) };
}
