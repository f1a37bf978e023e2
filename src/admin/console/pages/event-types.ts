import { HOOKPORT, type Catalogue, type CatalogueEntry } from '../../../events/catalogue';
import { html, type Html } from '../../../html/html';

export interface EventTypesPageOptions {
  root: string;
  catalogue: Pick<Catalogue, 'entries'>;
  query: Readonly<Record<string, string>>;
}

const groupOf = (type: string) => type.split('.')[0]!;

/** An id for links within the page: letters, digits and dashes. */
const anchor = (prefix: string, name: string) => `${prefix}-${name.replace(/[^a-z0-9]+/gi, '-')}`;

/** A description's `code spans` as <code>; everything else as text (escaped). */
function prose(text: string): Html {
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

/** Which types the filter keeps: `prefix.*`, else every type whose name or description contains the text. */
function matches(entry: CatalogueEntry, filter: string): boolean {
  if (filter === '' || filter === '*') return true;
  if (filter.endsWith('.*')) return entry.type.startsWith(filter.slice(0, -1));
  const text = filter.toLowerCase();
  return entry.type.toLowerCase().includes(text) || entry.description.toLowerCase().includes(text);
}

function emitter(entry: CatalogueEntry): Html | string {
  if (entry.providers.length > 1) return entry.providers.join(', ');
  return entry.provider === HOOKPORT ? html`<span class="muted">Hookport itself</span>` : entry.provider;
}

function typeCard(entry: CatalogueEntry): Html {
  return html`<div class="card" id="${anchor('type', entry.type)}">
<h3 class="mono">${entry.type}</h3>
<p>${prose(entry.description)}</p>
<dl class="facts">
<dt>Emitted by</dt><dd>${emitter(entry)}</dd>
<dt>Record kind</dt><dd>${entry.recordKind ? html`<code>${entry.recordKind}</code> <span class="muted">(data.object is its row just after the event)</span>` : html`<span class="muted">none: data.object holds the fields the sender sent</span>`}</dd>
<dt>Schema</dt><dd><details><summary>JSON Schema of the whole body</summary><pre>${JSON.stringify(entry.schema, null, 2)}</pre></details></dd>
<dt>Example</dt><dd><details><summary>A whole body</summary><pre>${JSON.stringify(entry.example, null, 2)}</pre></details></dd>
</dl>
</div>`;
}

/**
 * The event catalogue: every type Hookport can emit, grouped by its first word, each with its
 * description, emitter, record kind, JSON Schema and example (all escaped), filterable by name.
 */
export function eventTypesPage(o: EventTypesPageOptions): Html {
  const filter = (o.query.type ?? '').trim();
  const shown = o.catalogue.entries.filter((e) => matches(e, filter));
  const groups = new Map<string, CatalogueEntry[]>();
  for (const entry of shown) groups.set(groupOf(entry.type), [...(groups.get(groupOf(entry.type)) ?? []), entry]);
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return html`<h1>Event types</h1>
<p class="muted">Every event Hookport can emit (${o.catalogue.entries.length} types). Each is delivered as <code>{"type","timestamp","data"}</code>:
<code>data.object</code> is the record just after the event, <code>data.previous</code> the earlier values of what it changed, <code>data.source</code> where it came from.
The same catalogue is at <code>GET /admin/api/event-types</code> and under <code>webhooks</code> in <a href="${o.root}/api/openapi.json">the OpenAPI document</a>.</p>
<form class="filters" method="get" action="${o.root}/event-types">
<label>Type<input name="type" value="${filter}" placeholder="message.* or a word"></label>
<button type="submit">Filter</button>${filter ? html` <a class="btn" href="${o.root}/event-types">All types</a>` : ''}
</form>
${
  shown.length === 0
    ? html`<div class="card empty">No event type matches “${filter}”.</div>`
    : html`<div class="card"><dl class="facts">${sorted.map(
        ([group, entries]) =>
          html`<dt><a href="#${anchor('group', group)}">${group}</a></dt><dd>${entries.map(
            (e, i) => html`${i > 0 ? ', ' : ''}<a class="mono" href="#${anchor('type', e.type)}">${e.type}</a>`,
          )}</dd>`,
      )}</dl></div>
${sorted.map(
  ([
    group,
    entries,
  ]) => html`<h2 id="${anchor('group', group)}">${group} <span class="muted">(${entries.length})</span></h2>
${entries.map(typeCard)}`,
)}`
}`;
}
