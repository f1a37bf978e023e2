/**
 * Email statuses by precedence: Resend's events arrive out of order, and a status only replaces
 * one of lower or equal rank (a late `sent` never overwrites `delivered`). Engagement outranks
 * delivery; a complaint, bounce, failure or suppression outranks everything.
 */
const RANKS: Record<string, number> = {
  scheduled: 10,
  sent: 20,
  delivery_delayed: 30,
  delivered: 40,
  received: 40,
  opened: 50,
  clicked: 60,
  complained: 80,
  bounced: 90,
  failed: 90,
  suppressed: 90,
};

export function emailStatusRank(status: string): number {
  return RANKS[status] ?? 0;
}
