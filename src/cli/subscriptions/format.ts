import { UUID } from '../../text/uuid';
import { notValidJson } from '../../text/json-error';
import { readFileSync } from 'node:fs';
import { DELIVERY_STATUSES, SIGNING_MODES, type SigningMode } from '../../db/tables/deliveries';
import { errorMessage } from '../../errors/error-message';
import { CliError, EXIT } from '../exit-codes';
import { oneLine, table, truncate } from '../events/format';

/** A subscription as the admin API shows it (never with its secret). */
export interface SubscriptionRow {
  id: string;
  kind: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  description: string | null;
  /** null for Slack (not signed). */
  signing?: string | null;
  filter?: Record<string, unknown> | null;
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
  return table(
    header,
    rows.map((s) => [
      s.id,
      s.kind,
      s.url,
      s.eventTypes.join(','),
      truncate(stateOf(s), TEXT_WIDTH),
      truncate(oneLine(s.description), TEXT_WIDTH),
    ]),
  );
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
  if (!UUID.test(id))
    throw new CliError(`${JSON.stringify(id)} is not a ${what} id (a UUID, as ${shown} shows)`, EXIT.usage);
  return id;
}

/** `a,b,prefix.*` as a list; empty entries dropped; none at all is bad usage. */
export function parseEventTypes(value: string, option = '--events'): string[] {
  const types = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (types.length === 0)
    throw new CliError(`${option} needs at least one event type, e.g. ${option} lead.created,message.*`, EXIT.usage);
  return types;
}

/** The event types of `--events` or its synonym `--types` (both given is bad usage); undefined when neither is. */
export function eventTypesOption(options: { events?: string; types?: string }): string[] | undefined {
  if (options.events !== undefined && options.types !== undefined)
    throw new CliError('give --events or --types (the same option), not both', EXIT.usage);
  if (options.types !== undefined) return parseEventTypes(options.types, '--types');
  return options.events === undefined ? undefined : parseEventTypes(options.events);
}

export function parseSigning(value: string | undefined): SigningMode | undefined {
  if (value === undefined || (SIGNING_MODES as readonly string[]).includes(value))
    return value as SigningMode | undefined;
  throw new CliError(`--signing must be one of ${SIGNING_MODES.join(', ')}`, EXIT.usage);
}

/**
 * A JSON object option (`--filter`, `--payload`): the text itself, or `@path` for a file's. Text that
 * is not JSON, or JSON that is not an object, is bad usage, said plainly with an example.
 */
export function parseJsonObject(value: string, option: string, example: string): Record<string, unknown> {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (err) {
      throw new CliError(`${option} ${value}: cannot read the file (${errorMessage(err)})`, EXIT.usage);
    }
  }
  const hint = `give a JSON object in single quotes, e.g. ${option} '${example}', or ${option} @file.json`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${option} is ${notValidJson(err)}: ${hint}`, EXIT.usage);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(
      `${option} must be a JSON object, not ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`}: ${hint}`,
      EXIT.usage,
    );
  }
  return parsed as Record<string, unknown>;
}

export const FILTER_EXAMPLE = '{"data":{"object":{"status":{"$in":["failed","undelivered"]}}}}';
export const PAYLOAD_EXAMPLE = '{"id":"lead-1","status":"new"}';

/** A secret option as given; empty is bad usage (a shell variable that was not set). */
export function parseSecret(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '')
    throw new CliError('--secret is empty: give the secret itself (is the shell variable set?)', EXIT.usage);
  return value;
}

export function parseStatus(value: string | undefined): string | undefined {
  if (value === undefined || (DELIVERY_STATUSES as readonly string[]).includes(value)) return value;
  throw new CliError(`--status must be one of ${DELIVERY_STATUSES.join(', ')}`, EXIT.usage);
}
