import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { ClaimedEvent } from '../inbox/claimed-event';
import type { CanonicalEvent } from '../contract/provider';
import { deliveriesFor, insertDeliveries, liveSubscriptions } from '../deliveries/fan-out';
import { eventBody, type EventBody } from '../events/body';
import type { RecordSnapshot } from '../events/record-view';
import type { RecordChange } from '../contract/record-changes';
import { canonicalEventId } from './stable-id';
import { CANONICAL_TYPE, shownType } from '../events/canonical-type';

/** A claimed event and the canonical events it normalized to: what the worker applies. */
export interface NormalizedEvent {
  event: ClaimedEvent;
  events: CanonicalEvent[];
}

/** One canonical_events row. */
export interface CanonicalEventRow {
  webhookEventId: string;
  provider: string;
  type: string;
  recordKind: string | null;
  externalId: string | null;
  occurredAt: Date | null;
  /** The type-specific fields (also in `body.data`). */
  data: Record<string, unknown> | null;
  /** What every delivery of it sends; fixed from here on. */
  body: EventBody;
}

/**
 * Stable ids for rows, in order: the n-th row with the same (webhook event, type, external id)
 * gets occurrence n, so the same rows always get the same ids.
 */
export function canonicalIds(
  rows: readonly Pick<CanonicalEventRow, 'webhookEventId' | 'type' | 'externalId'>[],
): string[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const key = `${r.webhookEventId}\u0000${r.type}\u0000${r.externalId ?? '\u0001'}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return canonicalEventId(r.webhookEventId, r.type, r.externalId, occurrence);
  });
}

/**
 * The one writer of canonical_events, and with them their deliveries (the transactional outbox:
 * the caller's transaction holds both, so an event is never delivered unrecorded nor recorded and
 * forgotten). Ids are derived from (webhook event, type, external id), so writing a row again (a
 * retried batch, a replay, a second worker) changes nothing in canonical_events, its body
 * included, and a replay resets the event's deliveries to pending under the same `webhook-id`
 * (see fan-out.ts). Which subscriptions get a delivery (types and content filters) is decided
 * here from the bodies, against the subscriptions as this transaction sees them. Returns the
 * number of deliveries written.
 */
export async function insertCanonicalEvents(tx: Executor, rows: readonly CanonicalEventRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  // The last guard before a type is stored and sent: an applier's own types are checked here too.
  const malformed = rows.find((r) => !CANONICAL_TYPE.test(r.type));
  if (malformed) throw new Error(`canonical event refused: ${shownType(malformed.type)} is not a canonical type`);
  const ids = canonicalIds(rows);
  const subscriptions = await liveSubscriptions(tx);
  // One json parameter for all rows (json, not jsonb: a body's text is stored as written). A
  // VALUES list of parameters a row cost more to build and to plan than the insert itself.
  const values = rows.map((r, i) => ({
    id: ids[i],
    webhook_event_id: r.webhookEventId,
    provider: r.provider,
    type: r.type,
    record_kind: r.recordKind,
    external_id: r.externalId,
    occurred_at: r.occurredAt?.toISOString() ?? null,
    data: r.data,
    body: r.body,
  }));
  const deliveries = deliveriesFor(
    subscriptions,
    rows.map((r, i) => ({ id: ids[i]!, type: r.type, body: r.body })),
  );
  const written = await queryRows<{ one: number }>(
    tx,
    sql`with e as (
        select * from json_to_recordset(${JSON.stringify(values)}::json) as e (id uuid, webhook_event_id uuid,
          provider text, type text, record_kind text, external_id text, occurred_at timestamptz, data jsonb, body json)
      ), written as (
        insert into canonical_events (id, webhook_event_id, provider, type, record_kind, external_id, occurred_at, data, body)
        select * from e on conflict do nothing
      )
      ${insertDeliveries(deliveries)} returning 1 as one`,
  );
  return written.length;
}

/** The body of a canonical event the worker normalized: its record's snapshot, where it came from, its own fields. */
function bodyOf(event: ClaimedEvent, e: CanonicalEvent, snapshot: RecordSnapshot | null | undefined): EventBody {
  return eventBody({
    type: e.type,
    at: e.occurredAt ?? event.receivedAt,
    object: snapshot?.object ?? e.object ?? {},
    previous: snapshot?.previous,
    source: { provider: event.provider, inboundEventId: event.id, receivedAt: event.receivedAt.toISOString() },
    fields: e.data,
  });
}

/**
 * Writes the canonical events of a batch in the worker's transaction (so each is written once),
 * each with its body built from the snapshot its record change left. Returns how many
 * deliveries that wrote (or reset, on a replay).
 */
export async function recordCanonicalEvents(
  tx: Executor,
  batch: readonly NormalizedEvent[],
  snapshots: ReadonlyMap<RecordChange, RecordSnapshot | null>,
): Promise<number> {
  const rows = batch.flatMap(({ event, events }) =>
    events.map((e): CanonicalEventRow => ({
      webhookEventId: event.id,
      provider: event.provider,
      type: e.type,
      recordKind: e.record?.kind ?? null,
      externalId: e.record?.externalId ?? null,
      occurredAt: e.occurredAt,
      data: e.data ?? null,
      body: bodyOf(event, e, e.record ? snapshots.get(e.record) : undefined),
    })),
  );
  return insertCanonicalEvents(tx, rows);
}
