import { DELIVERY_STATUSES } from '../../db/tables/deliveries';
import { CliError, EXIT } from '../exit-codes';
import { oneLine, table, truncate, UUID } from '../events/format';

/** A subscription as the admin API shows it (never with its secret). */
export interface SubscriptionRow {
  id: string;
  kind: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  description: string | null;
}

/** A delivery as `GET …/:id/deliveries` lists it. */
export interface DeliveryRow {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  durationMs: number | null;
  createdAt: string;
  nextAttemptAt: string | null;
  lastError: string | null;
}

const TEXT_WIDTH = 60;

/** `enabled`, or `disabled` with the reason the server recorded (a 410, sustained failure, an operator). */
export function stateOf(s: SubscriptionRow): string {
  if (s.enabled) return 'enabled';
  // The server's reasons read "disabled by an operator", "… answered 410 Gone": not "disabled: disabled by …".
  const reason = oneLine(s.disabledReason).replace(/^disabled\s+/i, '');
  return reason ? `disabled (${reason})` : 'disabled';
}

/** id, kind, url, event types, enabled or disabled (with its reason), description. */
export function subscriptionTable(rows: SubscriptionRow[]): string {
  const header = ['ID', 'KIND', 'URL', 'EVENT TYPES', 'STATE', 'DESCRIPTION'];
  return table(header, rows.map((s) => [s.id, s.kind, s.url, s.eventTypes.join(','), truncate(stateOf(s), TEXT_WIDTH), truncate(oneLine(s.description), TEXT_WIDTH)]));
}

/** id, type, status, attempts, answer status, duration, created, next attempt, last error (truncated). */
export function deliveryTable(rows: DeliveryRow[]): string {
  const header = ['ID', 'TYPE', 'STATUS', 'ATTEMPTS', 'RESPONSE', 'DURATION', 'CREATED', 'NEXT ATTEMPT', 'LAST ERROR'];
  const cells = rows.map((d) => [
    d.id,
    d.eventType,
    d.status,
    String(d.attempts),
    d.responseStatus === null ? '-' : String(d.responseStatus),
    d.durationMs === null ? '-' : `${d.durationMs}ms`,
    d.createdAt,
    d.nextAttemptAt ?? '-',
    truncate(oneLine(d.lastError), TEXT_WIDTH),
  ]);
  return table(header, cells);
}

/** A subscription or delivery id (a UUID, as `subscriptions list` shows); anything else is bad usage. */
export function uuidArg(id: string, what: 'subscription' | 'delivery'): string {
  const shown = what === 'subscription' ? 'hookport subscriptions list' : 'hookport subscriptions deliveries <id>';
  if (!UUID.test(id)) throw new CliError(`${JSON.stringify(id)} is not a ${what} id (a UUID, as ${shown} shows)`, EXIT.usage);
  return id;
}

/** `a,b,prefix.*` as a list; empty entries dropped; none at all is bad usage. */
export function parseEventTypes(value: string): string[] {
  const types = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (types.length === 0) throw new CliError('--events needs at least one event type, e.g. --events lead.created,message.*', EXIT.usage);
  return types;
}

export function parseStatus(value: string | undefined): string | undefined {
  if (value === undefined || (DELIVERY_STATUSES as readonly string[]).includes(value)) return value;
  throw new CliError(`--status must be one of ${DELIVERY_STATUSES.join(', ')}`, EXIT.usage);
}
