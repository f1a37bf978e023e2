import type { Db } from '../../../db/client';
import { listAudit } from '../../../audit/list';
import type { AuditView } from '../../../audit/entry';
import { InvalidCursorError } from '../../../errors/hookport-error';
import { time } from '../../../html/components';
import { html, type Html } from '../../../html/html';

const PAGE_SIZE = 50;

export interface AuditPageOptions {
  db: Db;
  root: string;
  cursor: string | undefined;
  /** Every action's meaning, shown as the action's tooltip and in the legend. */
  actions: Readonly<Record<string, string>>;
}

/** The audit log, newest first, cursor-paged like the other lists. */
export async function auditPage(o: AuditPageOptions): Promise<{ status: number; body: Html }> {
  let page: { entries: AuditView[]; nextCursor: string | null } = { entries: [], nextCursor: null };
  let problem: Html | string = '';
  try {
    page = await listAudit(o.db, { limit: PAGE_SIZE, cursor: o.cursor });
  } catch (err) {
    if (!(err instanceof InvalidCursorError)) throw err;
    problem = html`<p class="notice error">That page link is no longer valid; start from the first page.</p>`;
  }
  const body = html`<h1>Audit log</h1>
<p class="muted">What operators did, newest first: sign-ins and refused ones, replays, subscription changes, secret reveals and rotations, and what providers record. No entry holds a secret.</p>
${problem}
${auditTable(o, page.entries)}
<p class="pager">${o.cursor ? html`<a href="${o.root}/audit">First page</a> · ` : ''}${
    page.nextCursor
      ? html`<a href="${o.root}/audit?${new URLSearchParams({ cursor: page.nextCursor }).toString()}" rel="next">Older →</a>`
      : html`<span class="muted">No more.</span>`
  }</p>
<details><summary>What each action means</summary><dl>${Object.entries(o.actions).map(
    ([name, meaning]) => html`<dt class="mono">${name}</dt><dd>${meaning}</dd>`,
  )}</dl></details>`;
  return { status: problem ? 400 : 200, body };
}

function auditTable(o: AuditPageOptions, entries: readonly AuditView[]): Html {
  if (entries.length === 0) return html`<div class="card empty">No operator action recorded yet.</div>`;
  return html`<table>
<thead><tr><th>At</th><th>Actor</th><th>Address</th><th>Action</th><th>Target</th><th>Detail</th></tr></thead>
<tbody>${entries.map(
    (e) => html`<tr>
<td>${time(e.at)}</td><td>${e.actor}</td><td class="mono">${e.address ?? ''}</td>
<td class="mono" title="${o.actions[e.action] ?? ''}">${e.action}</td>
<td class="mono">${targetOf(o.root, e)}</td><td class="mono muted detail">${e.detail ? JSON.stringify(e.detail) : ''}</td></tr>`,
  )}</tbody></table>`;
}

/** The target, linked where the console has a page for it. */
function targetOf(root: string, e: AuditView): Html | string {
  if (!e.target) return '';
  if (e.action.startsWith('subscription.')) return html`<a href="${root}/subscriptions/${e.target}">${e.target}</a>`;
  if (e.action === 'event.replay') return html`<a href="${root}/events/${e.target}">${e.target}</a>`;
  return e.target;
}
