import type { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import type { AdminClient } from '../events/admin-client';
import { nearestNames } from '../../events/type-patterns';
import { eventTypeDetail, eventTypeTable, type EventTypeRow } from './format';

/** Lines are cut to this when the output is not a terminal and COLUMNS is unset. */
const DEFAULT_WIDTH = 120;

/** The terminal's width, else COLUMNS, else DEFAULT_WIDTH. */
export function outputWidth(ctx: CliContext): number {
  const columns = (ctx.out as { columns?: unknown }).columns;
  if (typeof columns === 'number' && columns > 0) return columns;
  const env = ctx.env.COLUMNS?.trim();
  return env && /^\d+$/.test(env) && Number(env) > 0 ? Number(env) : DEFAULT_WIDTH;
}

async function catalogue(client: AdminClient): Promise<EventTypeRow[]> {
  const { status, json } = await client.call('GET', '/admin/api/event-types');
  if (status === 404)
    throw new CliError(
      `${client.origin} has no event types API (answered 404): is it Hookport, and recent enough?`,
      EXIT.failed,
    );
  return (json.eventTypes as EventTypeRow[] | undefined) ?? [];
}

/** `event-types list`: a table cut to the terminal's width, or one JSON object per line. */
export async function listEventTypes(
  ctx: CliContext,
  connect: () => AdminClient,
  options: { json?: boolean },
): Promise<number> {
  const rows = await catalogue(connect());
  if (options.json) ctx.out.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  else ctx.out.write(rows.length === 0 ? 'no event types\n' : eventTypeTable(rows, outputWidth(ctx)));
  return EXIT.ok;
}

/** `event-types show <type>`: one type in full; an unknown one fails (exit 1) naming the nearest types. */
export async function showEventType(ctx: CliContext, connect: () => AdminClient, type: string): Promise<number> {
  const client = connect();
  const { status, json } = await client.call('GET', `/admin/api/event-types/${encodeURIComponent(type)}`);
  if (status === 404) {
    const types = (await catalogue(client)).map((r) => r.type);
    const nearest = nearestNames(type, types);
    const hint = nearest.length > 0 ? `; the nearest: ${nearest.join(', ')}` : '';
    throw new CliError(
      `no event type ${JSON.stringify(type)}${hint} (hookport event-types list shows them all)`,
      EXIT.failed,
    );
  }
  ctx.out.write(eventTypeDetail(json as unknown as EventTypeRow));
  return EXIT.ok;
}
