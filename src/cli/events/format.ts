import { UUID } from '../../text/uuid';
import { CliError, EXIT } from '../exit-codes';

/** An inbox row as the admin API lists it. */
export interface EventRow {
  id: string;
  provider: string;
  eventType: string;
  status: string;
  attempts: number;
  dedupeKey: string;
  receivedAt: string;
  processedAt: string | null;
  lastError: string | null;
}

const ERROR_WIDTH = 60;

export const oneLine = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
export const truncate = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** Columns aligned on the widest cell; the last column is not padded. */
export function table(header: string[], cells: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return (
    [header, ...cells]
      .map((c) =>
        c
          .map((cell, i) => (i === c.length - 1 ? cell : cell.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** An aligned table: id, provider, type, status, attempts, received, last error (truncated). */
export function eventTable(rows: EventRow[]): string {
  const header = ['ID', 'PROVIDER', 'TYPE', 'STATUS', 'ATTEMPTS', 'RECEIVED', 'LAST ERROR'];
  const cells = rows.map((r) => [
    r.id,
    r.provider,
    r.eventType,
    r.status,
    String(r.attempts),
    r.receivedAt,
    truncate(oneLine(r.lastError), ERROR_WIDTH),
  ]);
  return table(header, cells);
}

/** The body pretty-printed when it is JSON, as received otherwise. */
export function prettyBody(event: { body?: unknown; bodyBase64?: unknown }): string {
  if (typeof event.bodyBase64 === 'string') {
    return `(not UTF-8: ${Buffer.from(event.bodyBase64, 'base64').length} bytes, base64)\n${event.bodyBase64}\n`;
  }
  const body = typeof event.body === 'string' ? event.body : '';
  try {
    return `${JSON.stringify(JSON.parse(body), null, 2)}\n`;
  } catch {
    return body.endsWith('\n') || body === '' ? body : `${body}\n`;
  }
}

/** An event id as the admin API takes it (a UUID, as `events list` shows); anything else is bad usage. */
export function eventId(id: string): string {
  if (!UUID.test(id))
    throw new CliError(`${JSON.stringify(id)} is not an event id (a UUID, as hookport events list shows)`, EXIT.usage);
  return id;
}
