import type { CliContext } from '../context';
import { CliError, EXIT } from '../exit-codes';
import type { AdminClient } from './admin-client';
import { eventTable, type EventRow } from './format';

export interface ListOptions {
  provider?: string;
  status?: string;
  type?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

/** The admin API returns at most this many per page. */
export const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 50;

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT))
    throw new CliError(`--limit must be a whole number from 1 to ${MAX_LIMIT}`, EXIT.usage);
  return n;
}

export function parseSince(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value)))
    throw new CliError('--since must be an ISO time, e.g. 2026-05-01T00:00:00Z', EXIT.usage);
  return new Date(value).toISOString();
}

/** Newest first; pages are followed (nextCursor) only while fewer than --limit rows have come. */
export async function listEvents(ctx: CliContext, connect: () => AdminClient, options: ListOptions): Promise<number> {
  const limit = parseLimit(options.limit);
  const filters = {
    provider: options.provider,
    status: options.status,
    type: options.type,
    since: parseSince(options.since),
  };
  const client = connect();
  const rows: EventRow[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    query.set('limit', String(limit - rows.length));
    if (cursor) query.set('cursor', cursor);
    const { status, json } = await client.call('GET', `/admin/api/events?${query}`);
    if (status === 404)
      throw new CliError(
        `${client.origin} has no admin events API (answered 404): is it Hookport, and recent enough?`,
        EXIT.failed,
      );
    rows.push(...((json.events as EventRow[] | undefined) ?? []));
    cursor = typeof json.nextCursor === 'string' && json.nextCursor !== '' ? json.nextCursor : undefined;
  } while (cursor && rows.length < limit);
  if (options.json) ctx.out.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  else ctx.out.write(rows.length === 0 ? 'no events\n' : eventTable(rows.slice(0, limit)));
  return EXIT.ok;
}
