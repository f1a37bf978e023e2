import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueOf, HOOKPORT, type Catalogue, type CatalogueEntry, type EventTypeSources } from './catalogue';

/**
 * docs/events.md, written from the catalogue (`npm run docs:events`): every type grouped by its
 * first word, each with its description, provider, record kind, JSON Schema and example. A test
 * fails when the committed file is not what this writes.
 */

/** A type's group: its first word (`message.received` → `message`). */
export const groupOf = (type: string): string => type.split('.')[0]!;

/** The types by group, groups in order, types in catalogue (sorted) order. */
export function groupsOf(entries: readonly CatalogueEntry[]): [string, CatalogueEntry[]][] {
  const groups = new Map<string, CatalogueEntry[]>();
  for (const entry of entries) {
    const group = groupOf(entry.type);
    groups.set(group, [...(groups.get(group) ?? []), entry]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** An anchor GitHub and every other renderer keep as written: letters, digits and dashes. */
const anchor = (type: string) => `type-${type.replace(/[^a-z0-9]+/gi, '-')}`;

const json = (value: unknown) => ['```json', JSON.stringify(value, null, 2), '```'].join('\n');

function emitterOf(entry: CatalogueEntry): string {
  if (entry.providers.length > 1) return entry.providers.map((p) => `\`${p}\``).join(', ');
  return entry.provider === HOOKPORT ? 'Hookport itself' : `\`${entry.provider}\``;
}

function section(entry: CatalogueEntry): string {
  return [
    `<a id="${anchor(entry.type)}"></a>`,
    `### \`${entry.type}\``,
    '',
    entry.description,
    '',
    `- Emitted by: ${emitterOf(entry)}`,
    `- Record kind: ${entry.recordKind ? `\`${entry.recordKind}\` (\`data.object\` is the row as its table holds it just after the event)` : 'none (`data.object` holds the fields the sender sent)'}`,
    '',
    '<details>',
    `<summary>JSON Schema of the whole body (draft 2020-12)</summary>`,
    '',
    json(entry.schema),
    '',
    '</details>',
    '',
    'Example:',
    '',
    json(entry.example),
  ].join('\n');
}

/** The whole of docs/events.md. */
export function eventsMarkdown(catalogue: Pick<Catalogue, 'entries'>): string {
  const groups = groupsOf(catalogue.entries);
  const contents = groups.map(
    ([group, entries]) => `- **${group}**: ${entries.map((e) => `[\`${e.type}\`](#${anchor(e.type)})`).join(', ')}`,
  );
  const body = groups.map(([group, entries]) =>
    [`## ${group}`, '', ...entries.map(section).join('\n\n').split('\n')].join('\n'),
  );
  return [
    '# Event types',
    '',
    '<!-- Written by `npm run docs:events` from the event catalogue (src/events/catalogue.ts): do not edit by hand. -->',
    '',
    `Every event Hookport can emit: ${catalogue.entries.length} types, grouped by their first word. Each is delivered to the`,
    'subscriptions whose `eventTypes` match it (a type, `prefix.*` or `*`) as a JSON body',
    '`{"type","timestamp","data"}`: `data.object` is the record just after the event, `data.previous` the',
    'earlier values of what it changed (absent on a create), `data.source` where it came from, and a',
    "type's own fields sit beside them. The body is written once, when the event is created; every",
    'attempt, and the pull API, give the same one.',
    '',
    'The same catalogue is served as `GET /admin/api/event-types` (and `/admin/api/event-types/{type}`),',
    "under `webhooks` in `GET /admin/api/openapi.json`, on the console's Event types page, and by",
    '`hookport event-types list|show`. What was emitted can be read back, newest first, from',
    '`GET /admin/api/canonical-events?type=&since=&limit=&cursor=`.',
    '',
    ...contents,
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
}

/** Writes docs/events.md (or `path`) for these providers; returns the path. */
export function writeEventsDoc(providers: EventTypeSources, path = join(process.cwd(), 'docs', 'events.md')): string {
  writeFileSync(path, eventsMarkdown(catalogueOf(providers)));
  return path;
}
