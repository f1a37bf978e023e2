import { DELIVERY_STATUSES, SUBSCRIPTION_KINDS, type DeliveryStatus, type SubscriptionKind } from '../../../db/tables/deliveries';
import type { DeliveryView } from '../../../deliveries/delivery-log';
import type { SubscriptionStats } from '../../../deliveries/stats';
import type { SubscriptionView } from '../../../deliveries/subscriptions';
import type { TestSendResult } from '../../../deliveries/test-send';
import { badge, duration, postForm, time } from '../components';
import { html, type Html } from '../html';

/** What the create and edit forms hold (as typed, so a refused form comes back filled in). */
export interface SubscriptionForm {
  kind: string;
  url: string;
  eventTypes: string;
  description: string;
}

const KIND_LABELS: Record<SubscriptionKind, string> = { webhook: 'webhook (signed JSON, Standard Webhooks)', slack: 'Slack (incoming webhook)' };

const emptyForm: SubscriptionForm = { kind: 'webhook', url: '', eventTypes: '', description: '' };

export const rate = (s: SubscriptionStats) => (s.successRate === null ? '—' : `${(s.successRate * 100).toFixed(s.successRate === 1 ? 0 : 1)} %`);

const state = (s: SubscriptionView) =>
  s.enabled ? badge('enabled') : html`${badge('disabled')}${s.disabledReason ? html` <span class="muted">${s.disabledReason}</span>` : ''}`;

const types = (s: SubscriptionView) => html`${s.eventTypes.map((t, i) => html`${i > 0 ? ', ' : ''}<code>${t}</code>`)}`;

/** Every subscription with its last 24 hours, and the form that creates one. */
export function subscriptionsPage(o: {
  root: string;
  csrfField: Html;
  rows: readonly { s: SubscriptionView; stats: SubscriptionStats }[];
  form?: SubscriptionForm;
  error?: string;
}): Html {
  const f = o.form ?? emptyForm;
  return html`<h1>Subscriptions</h1>
<p class="muted">Hookport posts each canonical event (<code>lead.created</code>, <code>message.received</code>, <code>invoice.paid</code>, …) to every subscription whose event types match it: to a webhook as signed JSON (Standard Webhooks), to Slack as a message.</p>
${
  o.rows.length === 0
    ? html`<div class="card empty">No subscriptions yet.</div>`
    : html`<table>
<thead><tr><th>URL</th><th>Kind</th><th>Event types</th><th>State</th><th class="num">Attempts 24 h</th><th class="num">Success</th><th class="num">p50</th><th class="num">p95</th></tr></thead>
<tbody>${o.rows.map(
        ({ s, stats }) => html`<tr data-subscription="${s.id}">
<td><a href="${o.root}/subscriptions/${s.id}" class="mono">${s.url}</a>${s.description ? html`<br><span class="muted">${s.description}</span>` : ''}</td>
<td>${s.kind}</td><td>${types(s)}</td><td>${state(s)}</td>
<td class="num">${stats.attempted}</td><td class="num">${rate(stats)}</td><td class="num">${duration(stats.p50Ms)}</td><td class="num">${duration(stats.p95Ms)}</td></tr>`,
      )}</tbody></table>`
}
<h2 id="new">New subscription</h2>
<div class="card">
${o.error ? html`<p class="notice error" role="alert">${o.error}</p>` : ''}
<form method="post" action="${o.root}/subscriptions" class="stack">${o.csrfField}
<label>Kind<select name="kind">${SUBSCRIPTION_KINDS.map(
    (k) => html`<option value="${k}"${k === f.kind ? html` selected` : ''}>${KIND_LABELS[k]}</option>`,
  )}</select></label>
<label>URL<input name="url" value="${f.url}" required maxlength="2048" placeholder="https://app.example.com/hooks/hookport" spellcheck="false"></label>
<label>Event types, comma-separated<input name="eventTypes" value="${f.eventTypes}" required placeholder="lead.created, invoice.paid, message.*  (or * for all)" spellcheck="false"></label>
<label>Description<input name="description" value="${f.description}" maxlength="1000" placeholder="what receives these (optional)"></label>
<div><button type="submit" class="primary">Create subscription</button></div>
<p class="muted">A webhook gets a signing secret, shown once right after creating it. A Slack destination takes an incoming-webhook URL (https; the URL is its credential) and gets messages written for people, not signed.</p>
</form>
</div>`;
}

export interface SubscriptionPageOptions {
  root: string;
  csrfField: Html;
  s: SubscriptionView;
  stats: SubscriptionStats;
  deliveries: { deliveries: DeliveryView[]; nextCursor: string | null };
  /** The deliveries' filter and page, from the query. */
  status?: DeliveryStatus;
  cursor?: string;
  /** DELIVERY_SECRET_OVERLAP, as text. */
  overlap: string;
  /** Left by a POST (created, rotated, or asked for) in the session's one-time flash: shown on one GET only. */
  secret?: { why: 'created' | 'rotated' | 'shown'; secret: string | null; previousSecret?: string | null; previousSecretExpiresAt?: string | null };
  /** A test send's outcome (found among the deliveries after the redirect). */
  test?: Pick<TestSendResult, 'deliveryId' | 'responseStatus' | 'durationMs' | 'error'> & { status: DeliveryStatus };
  /** The edit form as typed, when it was refused. */
  edit?: SubscriptionForm;
}

/** One subscription: settings, actions, its figures, and its deliveries newest first. */
export function subscriptionPage(o: SubscriptionPageOptions): Html {
  const { s, root } = o;
  const self = `${root}/subscriptions/${s.id}`;
  const edit = o.edit ?? { kind: s.kind, url: s.url, eventTypes: s.eventTypes.join(', '), description: s.description ?? '' };
  // A Slack URL is a credential: the form never carries it; left empty, the stored one is kept.
  const slack = s.kind === 'slack';
  return html`<p class="muted"><a href="${root}/subscriptions">Subscriptions</a> / <span class="mono">${s.id}</span></p>
<div class="row"><h1 class="mono">${s.url}</h1> ${state(s)}</div>
${o.secret ? secretCard(o.secret, o.overlap) : ''}
${o.test ? testCard(o.test) : ''}
<div class="card">
<dl class="facts">
<dt>Kind</dt><dd>${s.kind}</dd>
<dt>Event types</dt><dd>${types(s)}</dd>
<dt>Description</dt><dd>${s.description ?? html`<span class="muted">—</span>`}</dd>
<dt>Created</dt><dd>${time(s.createdAt)}</dd>
<dt>Changed</dt><dd>${time(s.updatedAt)}</dd>
${s.previousSecretExpiresAt ? html`<dt>Rotation</dt><dd>the previous secret also signs until ${time(s.previousSecretExpiresAt)}</dd>` : ''}
</dl>
<p class="row actions">
${postForm({ action: `${self}/test`, csrfField: o.csrfField, button: 'Send test', kind: 'primary' })}
${
  s.enabled
    ? postForm({ action: `${self}/disable`, csrfField: o.csrfField, button: 'Disable' })
    : postForm({ action: `${self}/enable`, csrfField: o.csrfField, button: 'Enable' })
}
${s.kind === 'webhook' ? postForm({ action: `${self}/secret`, csrfField: o.csrfField, button: 'Show secret' }) : ''}
${
  s.kind === 'webhook'
    ? postForm({
        action: `${self}/rotate-secret`,
        csrfField: o.csrfField,
        button: 'Rotate secret',
        confirm: rotateQuestion(o.overlap),
      })
    : ''
}
${postForm({ action: `${self}/delete`, csrfField: o.csrfField, button: 'Delete', kind: 'danger', confirm: deleteQuestion(s.url) })}
</p>
<p class="muted">A test sends a <code>webhook.test</code> event now, once, even while disabled. Disabled subscriptions keep their deliveries waiting and send them when enabled again.</p>
</div>
<h2>Last 24 hours</h2>
<div class="grid">
<div class="stat"><b id="stat-attempted">${o.stats.attempted}</b><span>attempted</span></div>
<div class="stat"><b>${o.stats.succeeded}</b><span>succeeded</span></div>
<div class="stat"><b>${o.stats.failed}</b><span>failed</span></div>
<div class="stat"><b>${rate(o.stats)}</b><span>success rate</span></div>
<div class="stat"><b>${duration(o.stats.p50Ms)}</b><span>p50 attempt</span></div>
<div class="stat"><b>${duration(o.stats.p95Ms)}</b><span>p95 attempt</span></div>
</div>
<p class="muted">Test sends are not counted here.</p>
<h2>Deliveries</h2>
<form class="filters" method="get" action="${self}">
<label>Status<select name="status"><option value="">any</option>${DELIVERY_STATUSES.map(
    (st) => html`<option${st === o.status ? html` selected` : ''}>${st}</option>`,
  )}</select></label>
<button type="submit">Filter</button>${o.status ? html` <a href="${self}">Clear</a>` : ''}
</form>
${deliveryTable(root, s.id, o.deliveries.deliveries, o.csrfField)}
${o.deliveries.deliveries.length === 0 && !o.cursor ? '' : html`<p class="pager">${o.cursor ? html`<a href="${self}${o.status ? `?status=${o.status}` : ''}">Newest</a> · ` : ''}${
    o.deliveries.nextCursor
      ? html`<a href="${self}?${new URLSearchParams({ ...(o.status ? { status: o.status } : {}), cursor: o.deliveries.nextCursor }).toString()}" rel="next">Older deliveries →</a>`
      : html`<span class="muted">No older deliveries.</span>`
  }</p>`}
<h2>Edit</h2>
<div class="card">
<form method="post" action="${self}/edit" class="stack">${o.csrfField}
${
  slack
    ? html`<label>New incoming-webhook URL<input name="url" value="" maxlength="2048" spellcheck="false" autocomplete="off" placeholder="leave empty to keep ${s.url}"></label>`
    : html`<label>URL<input name="url" value="${edit.url}" required maxlength="2048" spellcheck="false"></label>`
}
<label>Event types, comma-separated<input name="eventTypes" value="${edit.eventTypes}" required spellcheck="false"></label>
<label>Description<input name="description" value="${edit.description}" maxlength="1000"></label>
<div><button type="submit">Save changes</button></div>
${slack ? html`<p class="muted">The URL is the Slack destination's credential, so it is never shown whole after it is set.</p>` : ''}
</form>
</div>`;
}

export const rotateQuestion = (overlap: string) =>
  `Rotate the signing secret? A new secret signs from now on; for ${overlap} every delivery also carries a signature with the current one, so update the receiver within that time.`;
export const deleteQuestion = (url: string) => `Delete the subscription to ${url}? It stops at once and its unsent deliveries are never sent.`;

function secretCard(secret: NonNullable<SubscriptionPageOptions['secret']>, overlap: string): Html {
  const heading = { created: 'Subscription created: its signing secret', rotated: 'The new signing secret', shown: 'The signing secret' }[secret.why];
  return html`<div class="card secret" id="secret">
<h2>${heading}</h2>
<pre class="secret-value">${secret.secret ?? '(none: this kind is not signed)'}</pre>
${
  secret.why === 'shown'
    ? html`<p class="muted">Keep it in the receiver's secret store; it verifies the <code>webhook-signature</code> header.</p>`
    : html`<p><b>Store it now</b> in the receiver's secret store: it is not shown again unless you ask for it with <b>Show secret</b>.</p>`
}
${
  secret.why === 'rotated'
    ? html`<p class="muted">For ${overlap} (until ${time(secret.previousSecretExpiresAt)}), each delivery carries two signatures, one with each secret, so the receiver keeps verifying while you update it.</p>`
    : ''
}
${
  secret.why === 'shown' && secret.previousSecret
    ? html`<p class="muted">The previous secret still signs until ${time(secret.previousSecretExpiresAt)}:</p><pre class="secret-value">${secret.previousSecret}</pre>`
    : ''
}
</div>`;
}

function testCard(t: NonNullable<SubscriptionPageOptions['test']>): Html {
  const ok = t.status === 'succeeded';
  return html`<p class="notice${ok ? '' : ' error'}" role="status" id="test-result">Test ${ok ? 'delivered' : 'failed'}: ${
    t.responseStatus !== null ? `the receiver answered ${t.responseStatus}` : 'no answer'
  } in ${duration(t.durationMs)}${t.error ? ` (${t.error})` : ''}.</p>`;
}

function deliveryTable(root: string, subscriptionId: string, deliveries: readonly DeliveryView[], csrfField: Html): Html {
  if (deliveries.length === 0) return html`<div class="card empty">No deliveries.</div>`;
  return html`<table class="deliveries">
<thead><tr><th>Created</th><th>Event type</th><th>Status</th><th class="num">Attempts</th><th class="num">Answer</th><th class="num">Duration</th><th>Last error</th><th>Next attempt</th><th></th></tr></thead>
<tbody>${deliveries.map(
    (d) => html`<tr data-delivery="${d.id}">
<td>${time(d.createdAt)}</td><td class="mono">${d.eventType}</td><td>${badge(d.status)}</td><td class="num">${d.attempts}</td>
<td class="num">${d.responseStatus ?? html`<span class="muted">—</span>`}</td><td class="num">${duration(d.durationMs)}</td>
<td class="muted"${d.lastError ? html` title="${d.lastError}"` : ''}>${d.lastError ? truncate(d.lastError, 80) : ''}</td>
<td>${d.status === 'succeeded' || d.status === 'dead' ? '' : time(d.nextAttemptAt)}</td>
<td class="actions">${
      d.status === 'delivering'
        ? html`<span class="muted">sending</span>`
        : postForm({ action: `${root}/subscriptions/${subscriptionId}/deliveries/${d.id}/retry`, csrfField, button: 'Retry now' })
    }</td></tr>`,
  )}</tbody></table>`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
