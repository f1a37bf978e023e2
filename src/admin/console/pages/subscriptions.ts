import {
  DELIVERY_STATUSES,
  SIGNING_MODES,
  SUBSCRIPTION_KINDS,
  type DeliveryStatus,
  type SigningMode,
  type SubscriptionKind,
} from '../../../db/tables/deliveries';
import type { DeliveryView } from '../../../deliveries/delivery-log';
import type { SubscriptionStats } from '../../../deliveries/stats';
import type { SubscriptionView } from '../../../deliveries/subscriptions';
import type { TestSendResult } from '../../../deliveries/test-send';
import { badge, duration, postForm, time } from '../../../html/components';
import { html, type Html } from '../../../html/html';

/**
 * What the create and edit forms hold (as typed, so a refused form comes back filled in). An own
 * secret is never among them: a refused form does not put it back in the page.
 */
export interface SubscriptionForm {
  kind: string;
  url: string;
  eventTypes: string;
  description: string;
  /** Create only. */
  signing: string;
  /** JSON text; empty: no filter. */
  filter: string;
}

/** The test-send form as typed (a refused one comes back filled in). */
export interface TestSendForm {
  eventType: string;
  payload: string;
}

const KIND_LABELS: Record<SubscriptionKind, string> = {
  webhook: 'webhook (signed JSON)',
  slack: 'Slack (incoming webhook)',
};

const SIGNING_LABELS: Record<SigningMode, string> = {
  'standard-webhooks': 'Standard Webhooks (recommended): webhook-id, webhook-timestamp, webhook-signature',
  'hmac-sha256': 'HMAC-SHA256: X-Webhook-Signature: sha256=<hex>',
  'hmac-sha256-hex': 'HMAC-SHA256, bare hex: X-Webhook-Signature: <hex>',
};

const emptyForm: SubscriptionForm = {
  kind: 'webhook',
  url: '',
  eventTypes: '',
  description: '',
  signing: 'standard-webhooks',
  filter: '',
};

const FILTER_EXAMPLE = '{"data": {"object": {"status": {"$in": ["undelivered", "failed"]}}}}';

/** A filter as the forms and the page show it. */
export const filterText = (filter: SubscriptionView['filter']): string =>
  filter === null ? '' : JSON.stringify(filter, null, 2);

const filterField = (value: string, label: string) =>
  html`<label>${label}<textarea name="filter" rows="${value === '' ? 3 : Math.min(16, value.split('\n').length + 1)}" cols="80" spellcheck="false" placeholder="${FILTER_EXAMPLE}">${value}</textarea></label>`;

export const rate = (s: SubscriptionStats) =>
  s.successRate === null ? '—' : `${(s.successRate * 100).toFixed(s.successRate === 1 ? 0 : 1)} %`;

const state = (s: SubscriptionView) =>
  s.enabled
    ? badge('enabled')
    : html`${badge('disabled')}${s.disabledReason ? html` <span class="muted">${s.disabledReason}</span>` : ''}`;

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
<label>Signing (webhook only)<select name="signing">${SIGNING_MODES.map(
    (m) => html`<option value="${m}"${m === f.signing ? html` selected` : ''}>${SIGNING_LABELS[m]}</option>`,
  )}</select></label>
<label>Own signing secret (optional, webhook only; empty generates one)<input name="secret" value="" autocomplete="off" spellcheck="false" placeholder="whsec_ + base64 of 24-64 bytes (Standard Webhooks), or 24-256 printable characters (HMAC)"></label>
${filterField(f.filter, 'Filter, as JSON (optional): only events whose body matches get a delivery')}
<div><button type="submit" class="primary">Create subscription</button></div>
<p class="muted">A webhook gets a signing secret (yours, or a generated one), shown once right after creating it. Standard Webhooks is recommended: its signature covers a timestamp (replays are refused), a rotation overlaps, and <code>webhook-id</code> is stable for deduplication; the HMAC modes are for receivers already written against a plain <code>X-Webhook-Signature</code>. A filter uses Hookdeck's syntax (<code>$eq</code>, <code>$in</code>, <code>$startsWith</code>, <code>$exist</code>, <code>$or</code>, …) on the event body; an event it does not match gets no delivery. A Slack destination takes an incoming-webhook URL (https; the URL is its credential) and gets messages written for people, not signed.</p>
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
  secret?: {
    why: 'created' | 'rotated' | 'shown';
    secret: string | null;
    previousSecret?: string | null;
    previousSecretExpiresAt?: string | null;
  };
  /** A test send's outcome (found among the deliveries after the redirect). */
  test?: Pick<TestSendResult, 'deliveryId' | 'responseStatus' | 'durationMs' | 'error'> & { status: DeliveryStatus };
  /** The edit form as typed, when it was refused. */
  edit?: SubscriptionForm;
  /** The catalogue's types, for the test send's picker. */
  eventTypes: readonly string[];
  /** The test-send form as typed (refused), or with the type last sent. */
  testForm?: TestSendForm;
}

/** One subscription: settings, actions, its figures, and its deliveries newest first. */
export function subscriptionPage(o: SubscriptionPageOptions): Html {
  const { s, root } = o;
  const self = `${root}/subscriptions/${s.id}`;
  const edit = o.edit ?? {
    kind: s.kind,
    url: s.url,
    eventTypes: s.eventTypes.join(', '),
    description: s.description ?? '',
    signing: s.signing ?? '',
    filter: filterText(s.filter),
  };
  const testForm = o.testForm ?? { eventType: 'webhook.test', payload: '' };
  // A Slack URL is a credential: the form never carries it; left empty, the stored one is kept.
  const slack = s.kind === 'slack';
  return html`<p class="muted"><a href="${root}/subscriptions">Subscriptions</a> / <span class="mono">${s.id}</span></p>
<div class="row"><h1 class="mono">${s.url}</h1> ${state(s)}</div>
${o.secret ? secretCard(o.secret, o.overlap, s.signing ?? 'standard-webhooks') : ''}
${o.test ? testCard(o.test) : ''}
<div class="card">
<dl class="facts">
<dt>Kind</dt><dd>${s.kind}</dd>
${s.signing ? html`<dt>Signing</dt><dd><code>${s.signing}</code></dd>` : ''}
<dt>Event types</dt><dd>${types(s)}</dd>
<dt>Filter</dt><dd>${s.filter === null ? html`<span class="muted">none: every event of its types</span>` : html`<pre class="filter">${filterText(s.filter)}</pre>`}</dd>
<dt>Description</dt><dd>${s.description ?? html`<span class="muted">—</span>`}</dd>
<dt>Created</dt><dd>${time(s.createdAt)}</dd>
<dt>Changed</dt><dd>${time(s.updatedAt)}</dd>
${s.previousSecretExpiresAt ? html`<dt>Rotation</dt><dd>the previous secret also signs until ${time(s.previousSecretExpiresAt)}</dd>` : ''}
</dl>
<p class="row actions">
${
  s.enabled
    ? postForm({ action: `${self}/disable`, csrfField: o.csrfField, button: 'Disable' })
    : postForm({ action: `${self}/enable`, csrfField: o.csrfField, button: 'Enable' })
}
${s.kind === 'webhook' ? postForm({ action: `${self}/secret`, csrfField: o.csrfField, button: 'Show secret' }) : ''}
${postForm({ action: `${self}/delete`, csrfField: o.csrfField, button: 'Delete', kind: 'danger', confirm: deleteQuestion(s.url) })}
</p>
<p class="muted">Disabled subscriptions keep their deliveries waiting and send them when enabled again.</p>
</div>
<h2 id="test">Test send</h2>
<div class="card">
<form method="post" action="${self}/test" class="stack">${o.csrfField}
<label>Event type<select name="eventType">${o.eventTypes.map(
    (t) => html`<option value="${t}"${t === testForm.eventType ? html` selected` : ''}>${t}</option>`,
  )}</select></label>
<label><span>Payload: the event's <code>data.object</code>, as a JSON object (optional; empty sends the catalogue example's)</span><textarea name="payload" rows="4" cols="80" spellcheck="false" placeholder='{"id": "…", "status": "delivered"}'>${testForm.payload}</textarea></label>
<div><button type="submit" class="primary">Send test</button></div>
<p class="muted">Sends one event of that type now, once (no retries), even while disabled, ${s.signing ? html`signed in this subscription's mode (<code>${s.signing}</code>)` : 'as a Slack message'}: the catalogue's example body of the type, with your payload as its <code>data.object</code> when you give one.</p>
</form>
</div>
${s.signing ? rotateCard(self, o.csrfField, s.signing, o.overlap) : ''}
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
${
  o.deliveries.deliveries.length === 0 && !o.cursor
    ? ''
    : html`<p class="pager">${o.cursor ? html`<a href="${self}${o.status ? `?status=${o.status}` : ''}">Newest</a> · ` : ''}${
        o.deliveries.nextCursor
          ? html`<a href="${self}?${new URLSearchParams({ ...(o.status ? { status: o.status } : {}), cursor: o.deliveries.nextCursor }).toString()}" rel="next">Older deliveries →</a>`
          : html`<span class="muted">No older deliveries.</span>`
      }</p>`
}
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
${filterField(edit.filter, 'Filter, as JSON (empty: no filter, every event of its types)')}
<div><button type="submit">Save changes</button></div>
${slack ? html`<p class="muted">The URL is the Slack destination's credential, so it is never shown whole after it is set.</p>` : ''}
</form>
</div>`;
}

export const rotateQuestion = (overlap: string, signing: SigningMode = 'standard-webhooks') =>
  signing === 'standard-webhooks'
    ? `Rotate the signing secret? A new secret signs from now on; for ${overlap} every delivery also carries a signature with the current one, so update the receiver within that time.`
    : `Rotate the signing secret? In ${signing} mode a delivery carries one signature: the new secret signs alone from now on, so the receiver must switch to it at once.`;

/** Rotating the secret, with the caller's own new secret when given. */
function rotateCard(self: string, csrfField: Html, signing: SigningMode, overlap: string): Html {
  return html`<h2 id="rotate">Rotate the signing secret</h2>
<div class="card">
<form method="post" action="${self}/rotate-secret" class="stack" data-confirm="${rotateQuestion(overlap, signing)}">${csrfField}<input type="hidden" name="confirmed" value="">
<label>Your own new secret (optional; empty generates one)<input name="secret" value="" autocomplete="off" spellcheck="false" placeholder="${
    signing === 'standard-webhooks' ? 'whsec_ + base64 of 24-64 bytes' : '24-256 printable ASCII characters'
  }"></label>
<div><button type="submit">Rotate secret</button></div>
<p class="muted">${
    signing === 'standard-webhooks'
      ? `For ${overlap} after a rotation every delivery carries two signatures, one with each secret.`
      : `In ${signing} mode the new secret takes effect at once: there is no overlap.`
  }</p>
</form>
</div>`;
}
export const deleteQuestion = (url: string) =>
  `Delete the subscription to ${url}? It stops at once and its unsent deliveries are never sent.`;

function secretCard(
  secret: NonNullable<SubscriptionPageOptions['secret']>,
  overlap: string,
  signing: SigningMode,
): Html {
  const header = signing === 'standard-webhooks' ? 'webhook-signature' : 'X-Webhook-Signature';
  const heading = {
    created: 'Subscription created: its signing secret',
    rotated: 'The new signing secret',
    shown: 'The signing secret',
  }[secret.why];
  return html`<div class="card secret" id="secret">
<h2>${heading}</h2>
<pre class="secret-value">${secret.secret ?? '(none: this kind is not signed)'}</pre>
${
  secret.why === 'shown'
    ? html`<p class="muted">Keep it in the receiver's secret store; it verifies the <code>${header}</code> header.</p>`
    : html`<p><b>Store it now</b> in the receiver's secret store: it is not shown again unless you ask for it with <b>Show secret</b>.</p>`
}
${
  secret.why === 'rotated'
    ? secret.previousSecretExpiresAt
      ? html`<p class="muted">For ${overlap} (until ${time(secret.previousSecretExpiresAt)}), each delivery carries two signatures, one with each secret, so the receiver keeps verifying while you update it.</p>`
      : html`<p class="muted">In ${signing} mode a delivery carries one signature: this secret signs alone from now on, so switch the receiver to it now.</p>`
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

function deliveryTable(
  root: string,
  subscriptionId: string,
  deliveries: readonly DeliveryView[],
  csrfField: Html,
): Html {
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
        : d.test
          ? html`<span class="muted">test send</span>`
          : postForm({
              action: `${root}/subscriptions/${subscriptionId}/deliveries/${d.id}/retry`,
              csrfField,
              button: 'Retry now',
            })
    }</td></tr>`,
  )}</tbody></table>`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
