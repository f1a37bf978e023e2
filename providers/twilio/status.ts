/**
 * Twilio message statuses by precedence. Callbacks arrive out of order, so a status only replaces
 * one of lower or equal rank: a late `sent` never overwrites `delivered`, `read` or a failure.
 * Failures are final and rank highest.
 */
const RANKS: Record<string, number> = {
  accepted: 10,
  scheduled: 10,
  queued: 20,
  sending: 30,
  receiving: 30,
  sent: 40,
  received: 50,
  partially_delivered: 50,
  delivered: 60,
  read: 70,
  canceled: 90,
  undelivered: 90,
  failed: 90,
};

export function twilioStatusRank(status: string): number {
  return RANKS[status] ?? 0;
}

/** Short descriptions of the messaging error codes seen most (twilio.com/docs/api/errors). */
const ERROR_MESSAGES: Record<string, string> = {
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered (carrier violation)',
  '30008': 'Unknown error',
  '30009': 'Missing inbound segment',
  '30010': 'Message price exceeds max price',
  '30034': 'Message from an unregistered number (A2P 10DLC)',
};

export function twilioErrorMessage(code: string): string {
  return ERROR_MESSAGES[code] ?? `Twilio error ${code}`;
}
