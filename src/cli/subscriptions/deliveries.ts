import type { CliContext } from '../context';
import type { AdminClient } from '../events/admin-client';
import { parseLimit } from '../events/list';
import { CliError, EXIT } from '../exit-codes';
import { deliveryTable, parseStatus, uuidArg, type DeliveryRow } from './format';

type Connect = () => AdminClient;

export interface DeliveriesOptions {
  status?: string;
  limit?: string;
  json?: boolean;
}

/** Sends webhook.test now and prints what the receiver answered; exit 1 when it was not a 2xx. */
export async function testSend(ctx: CliContext, connect: Connect, id: string): Promise<number> {
  uuidArg(id, 'subscription');
  const { status, json } = await connect().call('POST', `/admin/api/subscriptions/${id}/test`);
  if (status === 404) throw new CliError(`no such subscription: ${id}`, EXIT.failed);
  const lines = [
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
export async function listDeliveries(ctx: CliContext, connect: Connect, id: string, options: DeliveriesOptions): Promise<number> {
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
    cursor = typeof answer.json.nextCursor === 'string' && answer.json.nextCursor !== '' ? answer.json.nextCursor : undefined;
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
