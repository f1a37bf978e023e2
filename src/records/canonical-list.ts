import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { DeliveryStatus } from '../db/tables/deliveries';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { InvalidCursorError } from '../errors/hookport-error';
import { legacyBody } from '../events/body';

/**
 * The pull API's reads: the canonical events Hookport emitted, newest first, each with the body
 * its deliveries carry (Stripe's `GET /v1/events`), for consumers catching up after an outage.
 */

/** One emitted event; `body` is exactly what a delivery of it sends. */
export interface CanonicalEventItem {
  id: string;
  type: string;
  createdAt: string;
  body: Record<string, unknown>;
}

export interface CanonicalEventPage {
  canonicalEvents: CanonicalEventItem[];
  nextCursor: string | null;
}

export interface CanonicalEventDeliverySummary {
  id: string;
  subscriptionId: string;
  status: DeliveryStatus;
  attempts: number;
}

export interface CanonicalEventDetail extends CanonicalEventItem {
  deliveries: CanonicalEventDeliverySummary[];
}

export interface CanonicalEventQuery {
  /** An exact type, `prefix.*`, or `*` (every type). */
  type?: string;
  /** On created_at, inclusive. */
  since?: Date;
  limit: number;
  cursor?: string;
}

interface Row {
  id: string;
  type: string;
  created_at: Date | string;
  occurred_at: Date | string | null;
  data: Record<string, unknown> | null;
  /** The json column as text: the bytes as written. */
  body_text: string | null;
  created_micros: string | number;
}

const COLUMNS = sql`id, type, created_at, occurred_at, data, body::text as body_text,
  (extract(epoch from created_at) * 1000000)::bigint::text as created_micros`;

const iso = (v: Date | string) => new Date(v).toISOString();

/**
 * The body a delivery sends: the stored text, parsed; for a row written before bodies existed,
 * `{"type","timestamp","data"}` from its columns, as the delivery code builds it (outbound.ts).
 */
function bodyOf(r: Row): Record<string, unknown> {
  if (r.body_text !== null) return JSON.parse(r.body_text) as Record<string, unknown>;
  return legacyBody(r.type, new Date(r.occurred_at ?? r.created_at), r.data);
}

const itemOf = (r: Row): CanonicalEventItem => ({
  id: r.id,
  type: r.type,
  createdAt: iso(r.created_at),
  body: bodyOf(r),
});

/** `message.*` matches every type that starts with `message.`; `*` every type; anything else exactly. */
function typeCondition(type: string | undefined): SQL | undefined {
  if (type === undefined || type === '*') return undefined;
  // starts_with, not LIKE: `_` (message.status_changed) is a LIKE wildcard.
  if (type.endsWith('.*')) return sql`starts_with(type, ${type.slice(0, -1)})`;
  return sql`type = ${type}`;
}

/**
 * Newest first (created_at desc, id desc), keyset-paged on (created_at, id) with the inbox's cursor:
 * the whole feed walks canonical_events_created_idx, one type canonical_events_type_created_idx.
 */
export async function listCanonicalEvents(db: Executor, query: CanonicalEventQuery): Promise<CanonicalEventPage> {
  const conditions: SQL[] = [];
  const byType = typeCondition(query.type);
  if (byType) conditions.push(byType);
  if (query.since !== undefined) conditions.push(sql`created_at >= ${query.since.toISOString()}::timestamptz`);
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor);
    if (!cursor) throw new InvalidCursorError('cursor is not one this server returned');
    const at = sql`('epoch'::timestamptz + ${cursor.micros}::bigint * interval '1 microsecond')`;
    // The plain bound lets an index on (type, created_at) range-scan too; the row comparison breaks ties.
    conditions.push(sql`created_at <= ${at}`, sql`(created_at, id) < (${at}, ${cursor.id}::uuid)`);
  }
  const where = conditions.length === 0 ? sql`true` : sql.join(conditions, sql` and `);
  const rows = await queryRows<Row>(
    db,
    sql`select ${COLUMNS} from canonical_events where ${where} order by created_at desc, id desc limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    canonicalEvents: page.map(itemOf),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ micros: String(last.created_micros), id: last.id }) : null,
  };
}

/** One event with its deliveries (oldest first); undefined when there is none. */
export async function getCanonicalEvent(db: Executor, id: string): Promise<CanonicalEventDetail | undefined> {
  const [row] = await queryRows<Row>(db, sql`select ${COLUMNS} from canonical_events where id = ${id}::uuid`);
  if (!row) return undefined;
  const deliveries = await queryRows<{ id: string; subscription_id: string; status: DeliveryStatus; attempts: number }>(
    db,
    sql`select id, subscription_id, status, attempts from deliveries where canonical_event_id = ${id}::uuid order by created_at, id`,
  );
  return {
    ...itemOf(row),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      subscriptionId: d.subscription_id,
      status: d.status,
      attempts: Number(d.attempts),
    })),
  };
}
