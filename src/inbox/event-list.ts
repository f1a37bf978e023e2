import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { EventStatus } from '../db/tables/inbox';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { InvalidCursorError } from '../errors/hookport-error';
import { filterConditions, whereAll, type EventFilter } from './event-filter';

export type { EventFilter } from './event-filter';

/** One inbox row as the admin API and the console list it. */
export interface EventSummary {
  id: string;
  provider: string;
  eventType: string;
  status: EventStatus;
  attempts: number;
  dedupeKey: string;
  receivedAt: string;
  processedAt: string | null;
  lastError: string | null;
}

export interface CanonicalEventSummary {
  id: string;
  type: string;
  occurredAt: string | null;
  /** The record the event touched: its kind (table) and external id. */
  recordKind: string | null;
  externalId: string | null;
}

/** One inbox row with what was received and what it became. */
export interface EventDetail extends EventSummary {
  note: string | null;
  /** The path and query the request came to (`/webhooks/<provider>?ref=order-123`); null for rows older than it. */
  requestPath: string | null;
  headers: Record<string, string>;
  /** The body as text when its bytes are valid UTF-8; else `bodyBase64`. */
  body?: string;
  bodyBase64?: string;
  canonicalEvents: CanonicalEventSummary[];
}

export interface EventPage {
  events: EventSummary[];
  nextCursor: string | null;
}

interface SummaryRow {
  id: string;
  provider: string;
  event_type: string;
  status: EventStatus;
  attempts: number;
  dedupe_key: string;
  received_at: Date | string;
  processed_at: Date | string | null;
  last_error: string | null;
  received_micros: string | number;
}

const SUMMARY_COLUMNS = sql`id, provider, event_type, status, attempts, dedupe_key, received_at, processed_at, last_error,
  (extract(epoch from received_at) * 1000000)::bigint::text as received_micros`;

const iso = (v: Date | string) => new Date(v).toISOString();

const toSummary = (r: SummaryRow): EventSummary => ({
  id: r.id,
  provider: r.provider,
  eventType: r.event_type,
  status: r.status,
  attempts: Number(r.attempts),
  dedupeKey: r.dedupe_key,
  receivedAt: iso(r.received_at),
  processedAt: r.processed_at === null ? null : iso(r.processed_at),
  lastError: r.last_error,
});

/** Inbox rows newest first, `limit` at a time; keyset-paged on (received_at, id) so every page is an index range. */
export async function listEvents(
  db: Executor,
  query: EventFilter & { limit: number; cursor?: string },
): Promise<EventPage> {
  const conditions = filterConditions(query);
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor);
    if (!cursor) throw new InvalidCursorError('cursor is not one this server returned');
    conditions.push(
      sql`(received_at, id) < ('epoch'::timestamptz + ${cursor.micros}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`,
    );
  }
  const rows = await queryRows<SummaryRow>(
    db,
    sql`select ${SUMMARY_COLUMNS} from webhook_events where ${whereAll(conditions)}
      order by received_at desc, id desc limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: page.map(toSummary),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ micros: String(last.received_micros), id: last.id }) : null,
  };
}

const validUtf8 = (bytes: Buffer): string | undefined => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
};

/** One inbox row with its headers, body and canonical events; undefined when there is none. */
export async function getEvent(db: Executor, id: string): Promise<EventDetail | undefined> {
  const [row] = await queryRows<
    SummaryRow & {
      note: string | null;
      request_path: string | null;
      headers: Record<string, string>;
      body: Buffer | Uint8Array;
    }
  >(db, sql`select ${SUMMARY_COLUMNS}, note, request_path, headers, body from webhook_events where id = ${id}::uuid`);
  if (!row) return undefined;
  const canonical = await queryRows<{
    id: string;
    type: string;
    occurred_at: Date | string | null;
    record_kind: string | null;
    external_id: string | null;
  }>(
    db,
    sql`select id, type, occurred_at, record_kind, external_id from canonical_events
      where webhook_event_id = ${id}::uuid order by created_at, id`,
  );
  const bytes = Buffer.isBuffer(row.body) ? row.body : Buffer.from(row.body);
  const text = validUtf8(bytes);
  return {
    ...toSummary(row),
    note: row.note,
    requestPath: row.request_path,
    headers: row.headers,
    ...(text !== undefined ? { body: text } : { bodyBase64: bytes.toString('base64') }),
    canonicalEvents: canonical.map((c) => ({
      id: c.id,
      type: c.type,
      occurredAt: c.occurred_at === null ? null : iso(c.occurred_at),
      recordKind: c.record_kind,
      externalId: c.external_id,
    })),
  };
}
