import type { CliContext } from '../context';
import type { AdminClient } from '../events/admin-client';
import { parseLimit } from '../events/list';
import { CliError, EXIT } from '../exit-codes';
import { deliveryTable, parseJsonObject, parseStatus, PAYLOAD_EXAMPLE, uuidArg, type DeliveryRow } from './format';

type Connect = () => AdminClient;

export interface DeliveriesOptions {
  status?: string;
  limit?: string;
  json?: boolean;
}

export interface TestOptions {
  /** A catalogue type; default webhook.test. */
  type?: string;
  /** JSON text or @file: the event's data.object. */
  payload?: string;
}

/**
 * Sends a test event now (webhook.test, or --type with the catalogue example's object or --payload)
 * and prints what the receiver answered; exit 1 when it was not a 2xx.
 */
export async function testSend(
  ctx: CliContext,
  connect: Connect,
  id: string,
  options: TestOptions = {},
): Promise<number> {
  uuidArg(id, 'subscription');
  if (options.type !== undefined && options.type.trim() === '')
    throw new CliError(
      '--type needs an event type, e.g. --type lead.created (hookport event-types list shows them)',
      EXIT.usage,
    );
  const body = {
    ...(options.type !== undefined ? { eventType: options.type.trim() } : {}),
    ...(options.payload !== undefined
      ? { payload: parseJsonObject(options.payload, '--payload', PAYLOAD_EXAMPLE) }
      : {}),
  };
  const { status, json } = await connect().call('POST', `/admin/api/subscriptions/${id}/test`, body);
  if (status === 404) throw new CliError(`no such subscription: ${id}`, EXIT.failed);
  const lines = [
    `event type:      ${options.type?.trim() ?? 'webhook.test'}`,
    `status:          ${String(json.status)}`,
    `response status: ${json.responseStatus === null || json.responseStatus === undefined ? '- (no answer)' : String(json.responseStatus)}`,
    `duration:        ${Number(json.durationMs ?? 0)}ms`,
    `delivery:        ${String(json.deliveryId)}`,
  ];
  if (typeof json.error === 'string' && json.error !== '') lines.push(`error:           ${json.error}`);
  ctx.out.write(`${lines.join('\n')}\n`);
  return json.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}

/** A subscription's deliveries, newest first; pages followed only while --limit asks for more. */
export async function listDeliveries(
  ctx: CliContext,
  connect: Connect,
  id: string,
  options: DeliveriesOptions,
): Promise<number> {
  uuidArg(id, 'subscription');
  const limit = parseLimit(options.limit);
  const status = parseStatus(options.status);
  const client = connect();
  const rows: DeliveryRow[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(limit - rows.length) });
    if (status) query.set('status', status);
    if (cursor) query.set('cursor', cursor);
    const answer = await client.call('GET', `/admin/api/subscriptions/${id}/deliveries?${query}`);
    if (answer.status === 404) throw new CliError(`no such subscription: ${id}`, EXIT.failed);
    rows.push(...((answer.json.deliveries as DeliveryRow[] | undefined) ?? []));
    cursor =
      typeof answer.json.nextCursor === 'string' && answer.json.nextCursor !== '' ? answer.json.nextCursor : undefined;
  } while (cursor && rows.length < limit);
  if (options.json) ctx.out.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  else ctx.out.write(rows.length === 0 ? 'no deliveries\n' : deliveryTable(rows.slice(0, limit)));
  return EXIT.ok;
}

/** Queues a delivery (a dead one too) to be sent again now, with a fresh attempt count. */
export async function retryDelivery(ctx: CliContext, connect: Connect, deliveryId: string): Promise<number> {
  uuidArg(deliveryId, 'delivery');
  const { status } = await connect().call('POST', `/admin/api/deliveries/${deliveryId}/retry`);
  if (status === 404) throw new CliError(`no such delivery: ${deliveryId}`, EXIT.failed);
  ctx.out.write(`retrying ${deliveryId} (now pending)\n`);
  return EXIT.ok;
}
