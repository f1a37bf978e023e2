import type { EventDetail } from '../../../inbox/event-list';
import { badge, duration, postForm, time } from '../../../html/components';
import { html, type Html } from '../../../html/html';

/** One inbox row: what was received (headers as stored, redacted; the body), what it became, a replay button. */
export function eventPage(o: { root: string; event: EventDetail; csrfField: Html }): Html {
  const e = o.event;
  const delay = e.processedAt ? new Date(e.processedAt).getTime() - new Date(e.receivedAt).getTime() : null;
  return html`<p class="muted"><a href="${o.root}/events">Events</a> / <span class="mono">${e.id}</span></p>
<div class="row"><h1 class="mono">${e.eventType}</h1> ${badge(e.status)}</div>
<div class="card">
<dl class="facts">
<dt>Provider</dt><dd>${e.provider}</dd>
<dt>Dedupe key</dt><dd class="mono">${e.dedupeKey}</dd>
${e.requestPath ? html`<dt>Request</dt><dd class="mono">POST ${e.requestPath}</dd>` : ''}
<dt>Received</dt><dd>${time(e.receivedAt)} <span class="muted mono">${e.receivedAt}</span></dd>
<dt>Processed</dt><dd>${time(e.processedAt)}${delay !== null ? html` <span class="muted">(after ${duration(delay)})</span>` : ''}</dd>
<dt>Attempts</dt><dd>${e.attempts}</dd>
${e.lastError ? html`<dt>Last error</dt><dd class="mono">${e.lastError}</dd>` : ''}
${e.note ? html`<dt>Note</dt><dd>${e.note}</dd>` : ''}
</dl>
<p>${postForm({ action: `${o.root}/events/${e.id}/replay`, csrfField: o.csrfField, button: 'Replay this event', kind: 'primary' })}
<span class="muted">Processes it again from the stored bytes; upserts converge, so nothing is duplicated.</span></p>
</div>
<h2>Canonical events (${e.canonicalEvents.length})</h2>
${
  e.canonicalEvents.length === 0
    ? html`<div class="card empty">None${e.status === 'processed' ? '' : ' yet'}.</div>`
    : html`<table><thead><tr><th>Type</th><th>Occurred</th><th>Record</th><th>External id</th></tr></thead><tbody>${e.canonicalEvents.map(
        (c) =>
          html`<tr><td class="mono">${c.type}</td><td>${time(c.occurredAt)}</td><td>${c.recordKind ?? html`<span class="muted">—</span>`}</td><td class="mono">${c.externalId ?? ''}</td></tr>`,
      )}</tbody></table>`
}
<h2>Body</h2>
${bodyView(e)}
<h2>Headers</h2>
<table><tbody>${Object.entries(e.headers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, value]) => html`<tr><th class="mono">${name}</th><td class="mono">${value}</td></tr>`,
    )}</tbody></table>`;
}

/** The body pretty-printed when it is JSON or a form; as received otherwise. */
function bodyView(e: EventDetail): Html {
  if (e.body === undefined) {
    return html`<p class="muted">Not UTF-8 text; base64 of the ${Buffer.from(e.bodyBase64 ?? '', 'base64').length} bytes received:</p><pre>${e.bodyBase64 ?? ''}</pre>`;
  }
  const contentType = (e.headers['content-type'] ?? '').toLowerCase();
  try {
    const parsed: unknown = JSON.parse(e.body);
    if (parsed !== null && typeof parsed === 'object') return html`<pre>${JSON.stringify(parsed, null, 2)}</pre>`;
  } catch {
    // not JSON
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const fields = [...new URLSearchParams(e.body)];
    return html`<p class="muted">Form fields (${fields.length}), decoded:</p><table><tbody>${fields.map(
      ([name, value]) => html`<tr><th class="mono">${name}</th><td class="mono">${value}</td></tr>`,
    )}</tbody></table>`;
  }
  return e.body === '' ? html`<p class="muted">(empty)</p>` : html`<pre>${e.body}</pre>`;
}
