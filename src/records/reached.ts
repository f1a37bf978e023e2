import type { WrittenRow } from './compiled-upsert';
import type { StatusReached } from '../contract/record-changes';

/**
 * Message statuses the figures know by name; any other a provider sends is counted as `other`, so
 * a signed but odd status never becomes a metric label of its own.
 */
const MESSAGE_STATUSES = new Set([
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'receiving',
  'received',
  'partially_delivered',
  'delivered',
  'read',
  'undelivered',
  'failed',
  'canceled',
]);

/** The email statuses counted (the contract's); opened and clicked come from the first open and click. */
export const EMAIL_STATUSES = [
  'sent',
  'delivered',
  'delivery_delayed',
  'bounced',
  'complained',
  'failed',
  'opened',
  'clicked',
] as const;
const COUNTED_EMAIL_STATUSES = new Set<string>(EMAIL_STATUSES);

/** Counted from their own first-time columns, whatever the status column did. */
const ENGAGEMENTS = { opened: 'first_opened_at', clicked: 'first_clicked_at' } as const;

/**
 * The status a written row reached for the first time, or null: a new row's status, or a new
 * status that outranks the one before (or replaces none). Statuses only move up in rank, so no
 * row reaches the same status twice this way; a duplicate, a late lower status, or an equal-rank
 * swap reaches nothing.
 */
export function newStatusOf(written: WrittenRow): string | null {
  const status = written.row.status;
  if (typeof status !== 'string') return null;
  if (!written.existed) return status;
  if (!Object.hasOwn(written.changed, 'status')) return null;
  if (written.changed.status === null) return status;
  const before = Number(written.changed.status_rank ?? written.row.status_rank);
  return Number(written.row.status_rank) > before ? status : null;
}

/** What a message upsert's answer reached, labelled for hookport_messages_total. */
export function messagesReached(written: readonly WrittenRow[]): StatusReached[] {
  return written.flatMap((w) => {
    const status = newStatusOf(w);
    if (status === null) return [];
    const direction = typeof w.row.direction === 'string' ? w.row.direction : 'unknown';
    return [
      {
        kind: 'message' as const,
        provider: String(w.row.provider),
        direction,
        status: MESSAGE_STATUSES.has(status) ? status : 'other',
      },
    ];
  });
}

/** A time column that was empty before this write and is set after it. */
const firstSet = (w: WrittenRow, column: string) =>
  w.row[column] != null && (!w.existed || (Object.hasOwn(w.changed, column) && w.changed[column] == null));

/** What an email upsert's answer reached: its new status, and its first open and first click (sent mail only). */
export function emailsReached(written: readonly WrittenRow[]): StatusReached[] {
  return written.flatMap((w) => {
    if (w.row.direction !== 'outbound') return [];
    const provider = String(w.row.provider);
    const status = newStatusOf(w);
    const reached = status !== null && COUNTED_EMAIL_STATUSES.has(status) && !(status in ENGAGEMENTS) ? [status] : [];
    for (const [engagement, column] of Object.entries(ENGAGEMENTS)) if (firstSet(w, column)) reached.push(engagement);
    return reached.map((s) => ({ kind: 'email' as const, provider, direction: 'outbound', status: s }));
  });
}
