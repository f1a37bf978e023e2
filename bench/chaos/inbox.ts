import { withClient } from '../database';
import type { Ack } from './traffic';

export interface Stuck {
  provider: string;
  id: string;
  status: string;
  lastError: string | null;
}

export interface InboxCheck {
  /** Distinct deliveries answered 200. */
  acknowledged: number;
  /** Answered 200 but not in webhook_events. */
  lost: Ack[];
  /** In webhook_events but not processed or ignored. */
  stuck: Stuck[];
  byStatus: Record<string, number>;
}

const END_STATES = new Set(['processed', 'ignored']);

/**
 * Every acknowledged delivery, found by the SHA-256 of its bytes (and its id when the answer had one), must be stored
 * and settled.
 */
export async function checkInbox(url: string, acks: readonly Ack[]): Promise<InboxCheck> {
  const rows = await withClient(
    url,
    async (c) =>
      (
        await c.query<{ sha: string; id: string; provider: string; status: string; last_error: string | null }>(
          `select encode(sha256(body), 'hex') as sha, id::text as id, provider, status, last_error from webhook_events`,
        )
      ).rows,
  );
  const bySha = new Map(rows.map((r) => [r.sha, r]));
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  // A delivery answered 200 twice (a retry after a lost answer) counts once; every id it was given must be its row's.
  const distinct = new Map<string, { ack: Ack; ids: Set<string> }>();
  for (const ack of acks) {
    const entry = distinct.get(ack.bodySha256) ?? { ack, ids: new Set<string>() };
    if (ack.id) entry.ids.add(ack.id);
    distinct.set(ack.bodySha256, entry);
  }
  const lost: Ack[] = [];
  const stuck: Stuck[] = [];
  for (const { ack, ids } of distinct.values()) {
    const row = bySha.get(ack.bodySha256);
    if (!row || [...ids].some((id) => id !== row.id)) lost.push(ack);
    else if (!END_STATES.has(row.status))
      stuck.push({ provider: row.provider, id: row.id, status: row.status, lastError: row.last_error });
  }
  return { acknowledged: distinct.size, lost, stuck, byStatus };
}
