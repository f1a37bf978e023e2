import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { SuppressionChannel, SuppressionReason } from '../db/tables/suppressions';
import { decodeKeyset, encodeKeyset } from '../db/cursor';
import { InvalidCursorError } from '../errors/hookport-error';

/** One row of the suppression list, as the admin API and the console show it. */
export interface SuppressionEntry {
  channel: SuppressionChannel;
  address: string;
  suppressed: boolean;
  /** Why it was (last) suppressed; null for an address only ever opted in. */
  reason: SuppressionReason | null;
  provider: string;
  since: string | null;
  liftedAt: string | null;
  stateAt: string;
  eventId: string | null;
  detail: string | null;
}

/** The answer to "may I message this address, and if not, since when and why". */
export interface SuppressionLookup {
  channel: SuppressionChannel;
  address: string;
  mayMessage: boolean;
  /** The address's row (lifted ones too: `liftedAt` says when); null when Hookport never heard of it. */
  suppression: Omit<SuppressionEntry, 'channel' | 'address' | 'suppressed'> | null;
}

export interface SuppressionPage {
  suppressions: SuppressionEntry[];
  nextCursor: string | null;
}

export type SuppressionState = 'suppressed' | 'all';

interface Row {
  channel: SuppressionChannel;
  address: string;
  suppressed: boolean;
  reason: SuppressionReason | null;
  provider: string;
  since: Date | string | null;
  lifted_at: Date | string | null;
  state_at: Date | string;
  event_id: string | null;
  detail: string | null;
  key_micros: string | number;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

const toEntry = (r: Row): SuppressionEntry => ({
  channel: r.channel,
  address: r.address,
  suppressed: r.suppressed,
  reason: r.reason,
  provider: r.provider,
  since: iso(r.since),
  liftedAt: iso(r.lifted_at),
  stateAt: iso(r.state_at)!,
  eventId: r.event_id,
  detail: r.detail,
});

/** The suppressed list is ordered by when each spell began; with lifted ones too, by the latest fact. */
const ORDER_COLUMN: Record<SuppressionState, SQL> = { suppressed: sql`since`, all: sql`state_at` };

const columns = (
  state: SuppressionState,
) => sql`channel, address, suppressed, reason, provider, since, lifted_at, state_at, event_id, detail,
  (extract(epoch from ${ORDER_COLUMN[state]}) * 1000000)::bigint::text as key_micros`;

/** The row of an address (already normalized), as the lookup answers it. */
export async function lookupSuppression(
  db: Executor,
  channel: SuppressionChannel,
  address: string,
): Promise<SuppressionLookup> {
  const [row] = await queryRows<Row>(
    db,
    sql`select ${columns('all')} from suppressions where channel = ${channel} and address = ${address}`,
  );
  if (!row) return { channel, address, mayMessage: true, suppression: null };
  const { channel: _c, address: _a, suppressed, ...rest } = toEntry(row);
  return { channel, address, mayMessage: !suppressed, suppression: rest };
}

/** The last row's position, with the list it belongs to: a cursor of one list is refused by the other. */
const encodeCursor = (state: SuppressionState, r: Row) =>
  encodeKeyset({ micros: String(r.key_micros), keys: [state, r.channel, r.address] });

function decodeCursor(state: SuppressionState, text: string): { micros: string; channel: string; address: string } {
  const keyset = decodeKeyset(text, 3);
  if (!keyset || keyset.keys[0] !== state)
    throw new InvalidCursorError('cursor is not one this server returned for this list');
  const [, channel, address] = keyset.keys;
  return { micros: keyset.micros, channel: channel!, address: address! };
}

/**
 * Suppressed addresses (or, with state `all`, every address Hookport knows), newest first,
 * keyset-paged so every page is one range of suppressions_suppressed_since_idx (or _state_at_idx).
 */
export async function listSuppressions(
  db: Executor,
  query: { channel?: SuppressionChannel; state: SuppressionState; limit: number; cursor?: string },
): Promise<SuppressionPage> {
  const order = ORDER_COLUMN[query.state];
  // Written as the partial index's own predicate, so the planner uses it.
  const conditions: SQL[] = query.state === 'suppressed' ? [sql`suppressed`] : [];
  if (query.channel !== undefined) conditions.push(sql`channel = ${query.channel}`);
  if (query.cursor !== undefined) {
    const c = decodeCursor(query.state, query.cursor);
    conditions.push(
      sql`(${order}, channel, address) < ('epoch'::timestamptz + ${c.micros}::bigint * interval '1 microsecond', ${c.channel}, ${c.address})`,
    );
  }
  const where = conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`;
  const rows = await queryRows<Row>(
    db,
    sql`select ${columns(query.state)} from suppressions where ${where}
      order by ${order} desc, channel desc, address desc limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    suppressions: page.map(toEntry),
    nextCursor: rows.length > query.limit && last ? encodeCursor(query.state, last) : null,
  };
}
