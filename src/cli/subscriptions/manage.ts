import { assertTerminal, confirm } from '../confirm';
import type { CliContext } from '../context';
import type { AdminClient } from '../events/admin-client';
import { CliError, EXIT } from '../exit-codes';
import { parseEventTypes, stateOf, subscriptionTable, uuidArg, type SubscriptionRow } from './format';

type Connect = () => AdminClient;

const BASE = '/admin/api/subscriptions';
const noSuch = (id: string) => new CliError(`no such subscription: ${id}`, EXIT.failed);

export interface CreateOptions {
  /** Where deliveries go (the positional argument). */
  destination: string;
  events: string;
  kind?: string;
  description?: string;
}

export interface UpdateOptions {
  destination?: string;
  events?: string;
  enable?: boolean;
  disable?: boolean;
  description?: string;
}

export async function listSubscriptions(ctx: CliContext, connect: Connect, options: { json?: boolean }): Promise<number> {
  const client = connect();
  const { status, json } = await client.call('GET', BASE);
  if (status === 404) throw new CliError(`${client.origin} has no subscriptions API (answered 404): is it Hookport, and recent enough?`, EXIT.failed);
  const rows = (json.subscriptions as SubscriptionRow[] | undefined) ?? [];
  if (options.json) ctx.out.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  else ctx.out.write(rows.length === 0 ? 'no subscriptions\n' : subscriptionTable(rows));
  return EXIT.ok;
}

/** Creates one and prints its id and signing secret (the secret is not printed by any other listing). */
export async function createSubscription(ctx: CliContext, connect: Connect, options: CreateOptions): Promise<number> {
  const kind = options.kind ?? 'webhook';
  if (kind !== 'webhook' && kind !== 'slack') throw new CliError('--kind must be webhook or slack', EXIT.usage);
  const body = { url: options.destination, eventTypes: parseEventTypes(options.events), kind, ...(options.description !== undefined ? { description: options.description } : {}) };
  const { json } = await connect().call('POST', BASE, body);
  const id = String(json.id);
  const lines = [`created subscription ${id}`];
  if (typeof json.secret === 'string') {
    lines.push(
      `signing secret: ${json.secret}`,
      'Store this secret now, where your receiver can read it: it verifies every delivery (Standard Webhooks).',
      `It is not shown by list; \`hookport subscriptions secret ${id}\` prints it again.`,
    );
  }
  ctx.out.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function updateSubscription(ctx: CliContext, connect: Connect, id: string, options: UpdateOptions): Promise<number> {
  uuidArg(id, 'subscription');
  if (options.enable && options.disable) throw new CliError('give --enable or --disable, not both', EXIT.usage);
  const body = {
    ...(options.destination !== undefined ? { url: options.destination } : {}),
    ...(options.events !== undefined ? { eventTypes: parseEventTypes(options.events) } : {}),
    ...(options.enable ? { enabled: true } : options.disable ? { enabled: false } : {}),
    // An empty --description "" clears it.
    ...(options.description !== undefined ? { description: options.description === '' ? null : options.description } : {}),
  };
  if (Object.keys(body).length === 0) throw new CliError('nothing to change: give --destination, --events, --enable, --disable or --description', EXIT.usage);
  const { status, json } = await connect().call('PATCH', `${BASE}/${id}`, body);
  if (status === 404) throw noSuch(id);
  const s = json as unknown as SubscriptionRow;
  ctx.out.write(`updated ${s.id}: ${stateOf(s)}, ${s.url}, ${s.eventTypes.join(',')}\n`);
  return EXIT.ok;
}

/** Deletes after a confirmation on a terminal; `--yes` skips it (and is required without a terminal). */
export async function deleteSubscription(ctx: CliContext, connect: Connect, id: string, options: { yes?: boolean }): Promise<number> {
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
  if (typeof json.previousSecret === 'string') lines.push(`previous secret: ${json.previousSecret} (also signs until ${String(json.previousSecretExpiresAt)})`);
  ctx.out.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function rotateSecret(ctx: CliContext, connect: Connect, id: string): Promise<number> {
  uuidArg(id, 'subscription');
  const { status, json } = await connect().call('POST', `${BASE}/${id}/rotate-secret`);
  if (status === 404) throw noSuch(id);
  ctx.out.write(
    `new signing secret: ${String(json.secret)}\n` +
      `Store it now where your receiver reads it. Until ${String(json.previousSecretExpiresAt)} deliveries carry signatures with both the old and the new secret.\n`,
  );
  return EXIT.ok;
}
