import { oneLine, table, truncate } from '../events/format';

/** One type as `GET /admin/api/event-types` gives it. */
export interface EventTypeRow {
  type: string;
  description: string;
  provider: string;
  providers?: string[];
  recordKind: string | null;
  schema: Record<string, unknown>;
  example: Record<string, unknown>;
}

/** Who emits it: its providers when several do, else its provider (`hookport` for Hookport's own). */
export const emitterOf = (row: EventTypeRow): string =>
  row.providers && row.providers.length > 1 ? row.providers.join(',') : row.provider;

const HEADER = ['TYPE', 'PROVIDER', 'RECORD KIND', 'DESCRIPTION'];
const MIN_DESCRIPTION = 20;

/**
 * An aligned table of type, provider, record kind and description, each line cut to `width` by shortening the
 * description.
 */
export function eventTypeTable(rows: readonly EventTypeRow[], width: number): string {
  const cells = rows.map((r) => [r.type, emitterOf(r), r.recordKind ?? '-', oneLine(r.description)]);
  // The widths of the first three columns and their separators: what is left is the description's.
  const before = HEADER.slice(0, 3).reduce(
    (sum, h, i) => sum + Math.max(h.length, ...cells.map((c) => c[i]!.length)) + 2,
    0,
  );
  const room = Math.max(MIN_DESCRIPTION, width - before);
  return table(
    HEADER,
    cells.map((c) => [c[0]!, c[1]!, c[2]!, truncate(c[3]!, room)]),
  );
}

/** Everything about one type: description, emitter, record kind, then its JSON Schema and example, pretty-printed. */
export function eventTypeDetail(row: EventTypeRow): string {
  return [
    `type:         ${row.type}`,
    `provider:     ${emitterOf(row).replaceAll(',', ', ')}`,
    `record kind:  ${row.recordKind ?? '-'}`,
    `description:  ${oneLine(row.description)}`,
    '',
    'schema:',
    JSON.stringify(row.schema, null, 2),
    '',
    'example:',
    JSON.stringify(row.example, null, 2),
    '',
  ].join('\n');
}
