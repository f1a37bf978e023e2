import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';
import { storableDeep } from '../text/storable-text';
import { storableIdentity } from './storable-key';
import type { ClaimedEvent } from './claimed-event';

export interface NewEvent {
  provider: string;
  eventType: string;
  dedupeKey: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The request's path and query as received; providers sign it, senders put their ids in it. */
  requestPath?: string;
  /** The W3C traceparent of the request's span (tracing on only). */
  traceparent?: string;
}

export interface Appended {
  id: string;
  duplicate: boolean;
  /** Stored already claimed by this process's worker (see AppendClaim): the event as the worker takes it. */
  claimed?: ClaimedEvent;
}

/**
 * Store the first `count` new events already claimed (`processing`, attempt 1, leased for
 * `leaseSeconds`), for the worker of the process that stores them: it processes them from memory,
 * sparing a claim (an update of every row and seven index entries) and reading them back. A crash
 * before they are settled leaves them to the lease, as for any claimed event.
 */
export interface AppendClaim {
  count: number;
  leaseSeconds: number;
}

interface Stored {
  id: string;
  provider: string;
  dedupe_key: string;
  claimed: boolean;
  received_at: Date | string;
}

const keyOf = (provider: string, dedupeKey: string) => `${provider}\u0000${dedupeKey}`;

/**
 * The event as it can always be stored: the identity comes from signed input and goes into indexed
 * text columns, the headers and request path into jsonb on their way in (a NUL or a 4 KB id must
 * not make a verified request unstorable, to be retried by the provider until it gives up).
 */
export const storableEvent = (e: NewEvent): NewEvent => ({
  ...storableIdentity(e),
  headers: storableDeep(e.headers),
  ...(e.requestPath === undefined ? {} : { requestPath: storableDeep(e.requestPath) }),
});

/**
 * Stores verified requests in one multi-row insert, committed before it returns, under their
 * storable identity. A provider retry of a stored delivery (same provider and dedupe key) inserts
 * nothing and gets the first row's id; so does a second copy within the same batch. Results are in
 * the order of `given`.
 */
export async function appendEvents(db: Db, given: readonly NewEvent[], claim?: AppendClaim): Promise<Appended[]> {
  const events = given.map(storableEvent);
  const claimCount = claim?.count ?? 0;
  // One jsonb parameter for the whole batch (bodies in base64): this runs for every webhook, and a
  // VALUES list of five parameters a row cost more in Drizzle's builder and PostgreSQL's planner.
  const rows = events.map((e, i) => ({
    provider: e.provider,
    event_type: e.eventType,
    dedupe_key: e.dedupeKey,
    headers: e.headers,
    body: e.body.toString('base64'),
    request_path: e.requestPath ?? null,
    traceparent: e.traceparent ?? null,
    claimed: i < claimCount,
  }));
  const inserted = await queryRows<Stored>(
    db,
    sql`insert into webhook_events (provider, event_type, dedupe_key, headers, body, request_path, traceparent, status, attempts, available_at)
      select provider, event_type, dedupe_key, headers, decode(body, 'base64'), request_path, traceparent,
        case when claimed then 'processing' else 'pending' end, case when claimed then 1 else 0 end,
        now() + case when claimed then make_interval(secs => ${claim?.leaseSeconds ?? 0}) else interval '0' end
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as e (provider text, event_type text, dedupe_key text, headers jsonb, body text, request_path text, traceparent text, claimed boolean)
      on conflict (provider, dedupe_key) do nothing
      returning id, provider, dedupe_key, status = 'processing' as claimed, received_at`,
  );
  const fresh = new Map(inserted.map((r) => [keyOf(r.provider, r.dedupe_key), r]));

  const missing = events.filter((e) => !fresh.has(keyOf(e.provider, e.dedupeKey)));
  const existing = new Map<string, string>();
  if (missing.length > 0) {
    const keys = missing.map((e) => sql`(${e.provider}, ${e.dedupeKey})`);
    const found = await queryRows<Stored>(
      db,
      sql`select id, provider, dedupe_key from webhook_events where (provider, dedupe_key) in (${sql.join(keys, sql`, `)})`,
    );
    for (const r of found) existing.set(keyOf(r.provider, r.dedupe_key), r.id);
  }

  const answered = new Set<string>();
  return events.map((e) => {
    const key = keyOf(e.provider, e.dedupeKey);
    const row = fresh.get(key);
    const id = row?.id ?? existing.get(key);
    if (!id) throw new Error('insert conflicted but no existing row was found');
    const duplicate = !row || answered.has(key);
    answered.add(key);
    return duplicate || !row.claimed ? { id, duplicate } : { id, duplicate, claimed: claimedAsStored(id, e, row) };
  });
}

/** The event as the worker would read it back after claiming it: its storable form, attempt 1. */
const claimedAsStored = (id: string, e: NewEvent, row: Stored): ClaimedEvent => ({
  id,
  provider: e.provider,
  eventType: e.eventType,
  attempts: 1,
  receivedAt: new Date(row.received_at),
  deferredSeconds: null,
  headers: e.headers,
  body: e.body,
  requestPath: e.requestPath ?? null,
  traceparent: e.traceparent ?? null,
});
