import type { Db } from '../../../db/client';
import { EVENT_STATUSES, type EventStatus } from '../../../db/tables/inbox';
import type { EventPage, listEvents as ListEvents } from '../../../inbox/event-list';
import { badge, time } from '../../../html/components';
import { html, type Html } from '../../../html/html';

const PAGE_SIZE = 50;

export interface EventsPageOptions {
  db: Db;
  root: string;
  providers: readonly string[];
  query: Readonly<Record<string, string>>;
  listEvents: typeof ListEvents;
}

/** Inbox rows with filters (provider, status, type, since) and cursor paging. */
export async function eventsPage(o: EventsPageOptions): Promise<{ status: number; body: Html }> {
  const q = o.query;
  const provider = q.provider && o.providers.includes(q.provider) ? q.provider : undefined;
  const status =
    q.status && (EVENT_STATUSES as readonly string[]).includes(q.status) ? (q.status as EventStatus) : undefined;
  const type = q.type?.trim() || undefined;
  const sinceText = q.since?.trim() || undefined;
  const limit = /^\d{1,3}$/.test(q.limit ?? '') ? Math.min(Math.max(Number(q.limit), 1), 500) : PAGE_SIZE;
  const since = sinceText ? new Date(sinceText) : undefined;
  const problems: string[] = [];
  if (since && Number.isNaN(since.getTime())) problems.push('"since" is not a date and time (e.g. 2026-12-01T08:00).');
  let page: EventPage = { events: [], nextCursor: null };
  if (problems.length === 0) {
    try {
      page = await o.listEvents(o.db, { provider, status, type, since, limit, cursor: q.cursor || undefined });
    } catch (err) {
      if ((err as Error).name !== 'InvalidCursorError') throw err;
      problems.push('That page link is no longer valid; start from the first page.');
    }
  }
  const keep = { provider, status, type, since: sinceText, limit: limit === PAGE_SIZE ? undefined : String(limit) };
  const nextHref = page.nextCursor ? `${o.root}/events?${params({ ...keep, cursor: page.nextCursor })}` : undefined;
  const body = html`<h1>Events</h1>
<form class="filters" method="get" action="${o.root}/events">
<label>Provider<select name="provider"><option value="">any</option>${o.providers.map(
    (p) => html`<option${p === provider ? html` selected` : ''}>${p}</option>`,
  )}</select></label>
<label>Status<select name="status"><option value="">any</option>${EVENT_STATUSES.map(
    (s) => html`<option${s === status ? html` selected` : ''}>${s}</option>`,
  )}</select></label>
<label>Type<input name="type" value="${type ?? ''}" placeholder="e.g. CLIENT_CREATE"></label>
<label>Since<input name="since" value="${sinceText ?? ''}" placeholder="2026-12-01T08:00Z"></label>
<button type="submit">Filter</button>${provider || status || type || sinceText ? html` <a href="${o.root}/events">Clear</a>` : ''}
</form>
${problems.map((p) => html`<p class="notice error">${p}</p>`)}
${eventTable(o.root, page.events)}
<p class="pager">${q.cursor ? html`<a href="${o.root}/events?${params(keep)}">First page</a> · ` : ''}${
    nextHref
      ? html`<a href="${nextHref}" rel="next">Older events →</a>`
      : html`<span class="muted">No older events.</span>`
  }</p>`;
  return { status: problems.length > 0 ? 400 : 200, body };
}

export function eventTable(root: string, events: EventPage['events']): Html {
  if (events.length === 0) return html`<div class="card empty">No events match.</div>`;
  return html`<table>
<thead><tr><th>Received</th><th>Provider</th><th>Type</th><th>Status</th><th class="num">Attempts</th><th>Last error</th></tr></thead>
<tbody>${events.map(
    (e) => html`<tr>
<td>${time(e.receivedAt)}</td><td>${e.provider}</td>
<td><a href="${root}/events/${e.id}" class="mono">${e.eventType}</a></td>
<td>${badge(e.status)}</td><td class="num">${e.attempts}</td>
<td class="muted">${e.lastError ? truncate(e.lastError, 90) : ''}</td></tr>`,
  )}</tbody></table>`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function params(values: Record<string, string | undefined>): string {
  return new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1]))).toString();
}
