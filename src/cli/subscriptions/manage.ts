import { assertTerminal, confirm } from '../confirm';
import type { CliContext } from '../context';
import type { AdminClient } from '../events/admin-client';
import { CliError, EXIT } from '../exit-codes';
import {
  eventTypesOption,
  FILTER_EXAMPLE,
  parseJsonObject,
  parseSecret,
  parseSigning,
  stateOf,
  subscriptionTable,
  uuidArg,
  type SubscriptionRow,
} from './format';

type Connect = () => AdminClient;

const BASE = '/admin/api/subscriptions';
const noSuch = (id: string) => new CliError(`no such subscription: ${id}`, EXIT.failed);

export interface CreateOptions {
  /** Where deliveries go (the positional argument). */
  destination: string;
  events?: string;
  /** A synonym of events. */
  types?: string;
  kind?: string;
  description?: string;
  signing?: string;
  secret?: string;
  /** JSON text, or @file. */
  filter?: string;
}

export interface UpdateOptions {
  destination?: string;
  events?: string;
  types?: string;
  enable?: boolean;
  disable?: boolean;
  description?: string;
  /** JSON text or @file; false with --no-filter (removes it). */
  filter?: string | false;
}

/** What each mode's receiver checks, for the lines printed after a create or a rotation. */
const VERIFIES: Record<string, string> = {
  'standard-webhooks': 'the webhook-signature header (Standard Webhooks)',
  'hmac-sha256': 'the X-Webhook-Signature header (sha256=<hex HMAC-SHA256 of the raw body>)',
  'hmac-sha256-hex': 'the X-Webhook-Signature header (the hex HMAC-SHA256 of the raw body)',
};

export async function listSubscriptions(
  ctx: CliContext,
  connect: Connect,
  options: { json?: boolean },
): Promise<number> {
  const client = connect();
  const { status, json } = await client.call('GET', BASE);
  if (status === 404)
    throw new CliError(
      `${client.origin} has no subscriptions API (answered 404): is it Hookport, and recent enough?`,
      EXIT.failed,
    );
  const rows = (json.subscriptions as SubscriptionRow[] | undefined) ?? [];
  if (options.json) ctx.out.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  else ctx.out.write(rows.length === 0 ? 'no subscriptions\n' : subscriptionTable(rows));
  return EXIT.ok;
}

/** Creates one and prints its id and signing secret (the secret is not printed by any other listing). */
export async function createSubscription(ctx: CliContext, connect: Connect, options: CreateOptions): Promise<number> {
  const kind = options.kind ?? 'webhook';
  if (kind !== 'webhook' && kind !== 'slack') throw new CliError('--kind must be webhook or slack', EXIT.usage);
  const eventTypes = eventTypesOption(options);
  if (eventTypes === undefined)
    throw new CliError('give the event types: --events lead.created,message.* (or --types)', EXIT.usage);
  const signing = parseSigning(options.signing);
  const secret = parseSecret(options.secret);
  if (kind === 'slack' && (signing !== undefined || secret !== undefined))
    throw new CliError(
      '--signing and --secret are for webhook subscriptions: Slack messages are not signed',
      EXIT.usage,
    );
  const body = {
    url: options.destination,
    eventTypes,
    kind,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(signing !== undefined ? { signing } : {}),
    ...(secret !== undefined ? { secret } : {}),
    ...(options.filter !== undefined ? { filter: parseJsonObject(options.filter, '--filter', FILTER_EXAMPLE) } : {}),
  };
  const { json } = await connect().call('POST', BASE, body);
  const id = String(json.id);
  const lines = [`created subscription ${id}`];
  const verifies = VERIFIES[String(json.signing)] ?? VERIFIES['standard-webhooks'];
  if (typeof json.secret === 'string' && secret !== undefined) {
    // The caller's own: not printed back (it is in their shell already).
    lines.push(`signing secret: the one given with --secret; it verifies ${verifies}.`);
  } else if (typeof json.secret === 'string') {
    lines.push(
      `signing secret: ${json.secret}`,
      `Store this secret now, where your receiver can read it: it verifies every delivery, in ${verifies}.`,
      `It is not shown by list; \`hookport subscriptions secret ${id}\` prints it again.`,
    );
  }
  if (json.filter) lines.push(`filter: ${JSON.stringify(json.filter)} (only events whose body matches get a delivery)`);
  ctx.out.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function updateSubscription(
  ctx: CliContext,
  connect: Connect,
  id: string,
  options: UpdateOptions,
): Promise<number> {
  uuidArg(id, 'subscription');
  if (options.enable && options.disable) throw new CliError('give --enable or --disable, not both', EXIT.usage);
  const eventTypes = eventTypesOption(options);
  const body = {
    ...(options.destination !== undefined ? { url: options.destination } : {}),
    ...(eventTypes !== undefined ? { eventTypes } : {}),
    // --no-filter removes it.
    ...(options.filter === false
      ? { filter: null }
      : options.filter !== undefined
        ? { filter: parseJsonObject(options.filter, '--filter', FILTER_EXAMPLE) }
        : {}),
    ...(options.enable ? { enabled: true } : options.disable ? { enabled: false } : {}),
    // An empty --description "" clears it.
    ...(options.description !== undefined
      ? { description: options.description === '' ? null : options.description }
      : {}),
  };
  if (Object.keys(body).length === 0) {
    throw new CliError(
      'nothing to change: give --destination, --events (or --types), --filter, --no-filter, --enable, --disable or --description',
      EXIT.usage,
    );
  }
  const { status, json } = await connect().call('PATCH', `${BASE}/${id}`, body);
  if (status === 404) throw noSuch(id);
  const s = json as unknown as SubscriptionRow;
  ctx.out.write(
    `updated ${s.id}: ${stateOf(s)}, ${s.url}, ${s.eventTypes.join(',')}${s.filter ? `, filter ${JSON.stringify(s.filter)}` : ''}\n`,
  );
  return EXIT.ok;
}

/** Deletes after a confirmation on a terminal; `--yes` skips it (and is required without a terminal). */
export async function deleteSubscription(
  ctx: CliContext,
  connect: Connect,
  id: string,
  options: { yes?: boolean },
): Promise<number> {
  uuidArg(id, 'subscription');
  const client = connect();
  if (!options.yes) {
    // Refused before any request: a script without --yes is a usage error whatever the id.
    assertTerminal(ctx, `delete subscription ${id}`, '--yes');
    const { status, json } = await client.call('GET', `${BASE}/${id}`);
    if (status === 404) throw noSuch(id);
    const question = `Delete subscription ${id} (${String(json.url)}), whose unsent deliveries will then never be sent?`;
    if (!(await confirm(ctx, question, '--yes'))) {
      ctx.err.write('not deleted\n');
      return EXIT.failed;
    }
  }
  const { status } = await client.call('DELETE', `${BASE}/${id}`);
  if (status === 404) throw noSuch(id);
  ctx.out.write(`deleted ${id}\n`);
  return EXIT.ok;
}

/** The current signing secret, and the previous one while a rotation's overlap lasts. */
export async function showSecret(ctx: CliContext, connect: Connect, id: string): Promise<number> {
  uuidArg(id, 'subscription');
  const { status, json } = await connect().call('GET', `${BASE}/${id}/secret`);
  if (status === 404) throw noSuch(id);
  const lines = [`secret: ${json.secret === null ? '- (Slack: unsigned)' : String(json.secret)}`];
  if (typeof json.previousSecret === 'string')
    lines.push(`previous secret: ${json.previousSecret} (also signs until ${String(json.previousSecretExpiresAt)})`);
  ctx.out.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/**
 * A new secret (the caller's own with --secret); says whether the old one still signs for a while (standard-webhooks)
 * or not (HMAC).
 */
export async function rotateSecret(
  ctx: CliContext,
  connect: Connect,
  id: string,
  options: { secret?: string } = {},
): Promise<number> {
  uuidArg(id, 'subscription');
  const secret = parseSecret(options.secret);
  const { status, json } = await connect().call(
    'POST',
    `${BASE}/${id}/rotate-secret`,
    secret === undefined ? undefined : { secret },
  );
  if (status === 404) throw noSuch(id);
  const first =
    secret === undefined
      ? `new signing secret: ${String(json.secret)}\nStore it now where your receiver reads it.`
      : 'new signing secret: the one given with --secret.';
  const overlap =
    typeof json.previousSecretExpiresAt === 'string'
      ? `Until ${json.previousSecretExpiresAt} deliveries carry signatures with both the old and the new secret.`
      : 'It signs alone from now on (this signing mode carries one signature): switch your receiver to it now.';
  ctx.out.write(`${first} ${overlap}\n`);
  return EXIT.ok;
}
