import type { Db } from '../../../db/client';
import { SUPPRESSION_CHANNELS, type SuppressionChannel } from '../../../db/tables/suppressions';
import { addressFromQuery } from '../../../records/addresses';
import {
  listSuppressions,
  lookupSuppression,
  type SuppressionLookup,
  type SuppressionPage,
  type SuppressionState,
} from '../../../records/suppression-list';
import { badge, time } from '../../../html/components';
import { html, type Html } from '../../../html/html';

const PAGE_SIZE = 50;

const REASONS: Record<string, string> = {
  bounced: 'a permanent bounce',
  complained: 'a spam complaint',
  suppressed: 'the provider suppressed it',
  opted_out: 'an opt-out',
};

export interface SuppressionsPageOptions {
  db: Db;
  root: string;
  query: Readonly<Record<string, string>>;
}

const channelOf = (value: string | undefined): SuppressionChannel | undefined =>
  (SUPPRESSION_CHANNELS as readonly string[]).includes(value ?? '') ? (value as SuppressionChannel) : undefined;

/** "May I message this address?" and the list of suppressed addresses, with filters and cursor paging. */
export async function suppressionsPage(o: SuppressionsPageOptions): Promise<{ status: number; body: Html }> {
  const q = o.query;
  const problems: string[] = [];
  const lookupChannel = channelOf(q.lookup) ?? 'sms';
  const addressText = q.address?.trim() ? q.address : undefined;
  let answer: SuppressionLookup | undefined;
  if (addressText) {
    const address = addressFromQuery(lookupChannel, addressText);
    if (address === null)
      problems.push(`"${addressText}" is not ${lookupChannel === 'email' ? 'an email address' : 'a phone number'}.`);
    else answer = await lookupSuppression(o.db, lookupChannel, address);
  }
  const channel = channelOf(q.channel);
  const state: SuppressionState = q.state === 'all' ? 'all' : 'suppressed';
  let page: SuppressionPage = { suppressions: [], nextCursor: null };
  try {
    page = await listSuppressions(o.db, { channel, state, limit: PAGE_SIZE, cursor: q.cursor || undefined });
  } catch (err) {
    if ((err as Error).name !== 'InvalidCursorError') throw err;
    problems.push('That page link is no longer valid; start from the first page.');
  }
  const keep = { channel, state: state === 'all' ? 'all' : undefined };
  const body = html`<h1>Suppressions</h1>
<p class="muted">Who must not be messaged: hard bounces, complaints and suppressions from email, opt-outs (STOP) from SMS; an opt-in (START) lifts an SMS opt-out.</p>
<form class="filters" method="get" action="${o.root}/suppressions">
<label>Channel<select name="lookup">${SUPPRESSION_CHANNELS.map((c) => html`<option${c === lookupChannel ? html` selected` : ''}>${c}</option>`)}</select></label>
<label>Address<input name="address" value="${addressText ?? ''}" placeholder="+1 415 555 0100 or bob@example.com"></label>
<button type="submit">May I message?</button>
</form>
${problems.map((p) => html`<p class="notice error">${p}</p>`)}
${answer ? lookupCard(o.root, answer) : ''}
<h2>${state === 'all' ? 'Every address' : 'Suppressed now'}</h2>
<form class="filters" method="get" action="${o.root}/suppressions">
<label>Channel<select name="channel"><option value="">any</option>${SUPPRESSION_CHANNELS.map(
    (c) => html`<option${c === channel ? html` selected` : ''}>${c}</option>`,
  )}</select></label>
<label>Show<select name="state"><option value="suppressed">suppressed now</option><option value="all"${state === 'all' ? html` selected` : ''}>lifted ones too</option></select></label>
<button type="submit">Filter</button>${channel || state === 'all' ? html` <a href="${o.root}/suppressions">Clear</a>` : ''}
</form>
${suppressionTable(o.root, page.suppressions)}
<p class="pager">${q.cursor ? html`<a href="${o.root}/suppressions?${params(keep)}">First page</a> · ` : ''}${
    page.nextCursor
      ? html`<a href="${o.root}/suppressions?${params({ ...keep, cursor: page.nextCursor })}" rel="next">Older →</a>`
      : html`<span class="muted">No more.</span>`
  }</p>`;
  return { status: problems.length > 0 ? 400 : 200, body };
}

function lookupCard(root: string, a: SuppressionLookup): Html {
  const s = a.suppression;
  const event = s?.eventId ? html` (<a href="${root}/events/${s.eventId}">the event</a>)` : '';
  const detail = s?.detail ? html`: <q>${s.detail}</q>` : '';
  if (!a.mayMessage && s) {
    return html`<div class="card lookup"><p>${badge('bad', 'suppressed')} <strong class="mono">${a.address}</strong> must not be messaged: suppressed since ${time(
      s.since,
    )} because of ${REASONS[s.reason ?? ''] ?? s.reason}${detail}, reported by ${s.provider}${event}.</p></div>`;
  }
  const history =
    s && s.reason
      ? html` Suppressed ${time(s.since)} because of ${REASONS[s.reason] ?? s.reason}${detail}; lifted ${time(s.liftedAt)}${event}.`
      : s
        ? html` Opted in ${time(s.liftedAt)}${event}; never suppressed.`
        : html` Hookport has no suppression for it.`;
  return html`<div class="card lookup"><p>${badge('ok', 'may message')} <strong class="mono">${a.address}</strong> may be messaged.${history}</p></div>`;
}

function suppressionTable(root: string, rows: SuppressionPage['suppressions']): Html {
  if (rows.length === 0) return html`<div class="card empty">No suppressions match.</div>`;
  return html`<table>
<thead><tr><th>Since</th><th>Channel</th><th>Address</th><th>State</th><th>Reason</th><th>Detail</th><th>Provider</th><th>Event</th></tr></thead>
<tbody>${rows.map(
    (s) => html`<tr>
<td>${time(s.since)}</td><td>${s.channel}</td><td class="mono">${s.address}</td>
<td>${s.suppressed ? badge('bad', 'suppressed') : html`${badge('ok', 'lifted')} ${time(s.liftedAt)}`}</td>
<td>${s.reason ?? ''}</td><td class="muted">${s.detail ? truncate(s.detail, 90) : ''}</td><td>${s.provider}</td>
<td>${s.eventId ? html`<a href="${root}/events/${s.eventId}">view</a>` : ''}</td></tr>`,
  )}</tbody></table>`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function params(values: Record<string, string | undefined>): string {
  return new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1]))).toString();
}
