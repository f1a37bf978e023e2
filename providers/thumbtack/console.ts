import {
  audited,
  badge,
  basePath,
  type ConsoleContext,
  type ConsolePage,
  HookportError,
  html,
  type Html,
  postForm,
} from '../../src/provider';
import { DEFAULT_EVENT_TYPES } from './api';
import { configuredAuth } from './credentials';
import { CALLBACK_PATH, CONNECT_PATH } from './oauth/routes';
import { connectionStatus, disconnect } from './oauth/tokens';
import { setupReport, type SetupReport } from './setup';
import { thumbtackSettings } from './settings';
import { NO_TOKEN_MESSAGE, tokenSourceLine } from './token';
import { hookportUrl, thumbtackWebhooks, type WebhookView } from './webhooks';

/** Thumbtack business ids are long decimal numbers; anything else never reaches the API. */
const BUSINESS_ID = /^[0-9A-Za-z_-]{1,40}$/;

const businessOf = (c: ConsoleContext) => {
  const value = (c.query.business ?? c.form.business ?? '').trim();
  return BUSINESS_ID.test(value) ? value : undefined;
};

const DISCONNECT_QUESTION = 'Disconnect the Thumbtack account? Its tokens are deleted; its webhooks at Thumbtack stay.';

const pageUrl = (c: ConsoleContext, business: string) => `${c.url}?business=${encodeURIComponent(business)}`;

/** The OAuth connection: which token is used, connect or disconnect, and each business's setup. */
function connectionCard(c: ConsoleContext, connected: boolean, report: SetupReport): Html {
  const { clientId, clientSecret } = thumbtackSettings.of(c.config);
  const canConnect = clientId && clientSecret && c.config.publicBaseUrl;
  const action = connected
    ? postForm({
        action: c.url,
        csrfField: c.csrfField,
        button: 'Disconnect',
        kind: 'danger',
        fields: { op: 'disconnect' },
        confirm: DISCONNECT_QUESTION,
      })
    : canConnect
      ? html`<a class="btn primary" href="${basePath(c.config)}${CONNECT_PATH}">Connect a Thumbtack account</a>
<p class="muted">Thumbtack sends you back to <span class="mono">${c.config.publicBaseUrl}${CALLBACK_PATH}</span> (the redirect URL registered for the app).</p>`
      : html`<p class="muted">Set <code>THUMBTACK_CLIENT_ID</code>, <code>THUMBTACK_CLIENT_SECRET</code> and <code>PUBLIC_BASE_URL</code> to connect an account by OAuth.</p>`;
  const rows = report.businesses.map(
    (b) => html`<tr data-business="${b.businessId}" data-setup="${b.state}">
<td class="mono"><a href="${pageUrl(c, b.businessId)}">${b.businessId}</a></td><td>${b.name ?? ''}</td>
<td>${b.state === 'ok' ? badge('ok') : badge(b.state === 'unknown' ? 'unknown' : 'warning')}</td><td>${b.message}</td></tr>`,
  );
  return html`<div class="card"><p data-token-source>${tokenSourceLine(c.config, report.tokenSource)}</p>${action}
${
  rows.length > 0
    ? html`<table><thead><tr><th>Business</th><th>Name</th><th>Setup</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : ''
}</div>`;
}

function webhookTable(c: ConsoleContext, business: string, webhooks: WebhookView[]): Html {
  const action = pageUrl(c, business);
  if (webhooks.length === 0)
    return html`<div class="card empty">No webhooks: Thumbtack sends this business's leads and messages nowhere yet.</div>`;
  return html`<table><thead><tr><th>ID</th><th>State</th><th>URL</th><th>Events</th><th>Auth</th><th></th></tr></thead><tbody>${webhooks.map(
    (w) => html`<tr data-webhook="${w.webhookId}">
<td class="mono">${w.webhookId}</td>
<td>${w.enabled ? badge('enabled') : badge('disabled')}</td>
<td class="mono">${w.url ?? ''}${w.pointsHere ? html` <span class="muted">(points here)</span>` : ''}</td>
<td>${w.eventTypes.join(', ')}</td>
<td>${w.authType ?? 'unknown'}</td>
<td class="actions"><div class="row">${postForm({
      action,
      csrfField: c.csrfField,
      button: w.enabled ? 'Disable' : 'Enable',
      fields: { op: w.enabled ? 'disable' : 'enable', webhook: w.webhookId },
    })}${postForm({
      action,
      csrfField: c.csrfField,
      button: 'Delete',
      kind: 'danger',
      fields: { op: 'delete', webhook: w.webhookId },
      confirm: `Delete Thumbtack webhook ${w.webhookId} (${w.url ?? ''})? Thumbtack stops sending to it at once.`,
    })}</div></td></tr>`,
  )}</tbody></table>`;
}

function createForm(c: ConsoleContext, business: string): Html {
  if (!configuredAuth(c.config))
    return html`<p>Set <code>THUMBTACK_WEBHOOK_USERNAME</code> and <code>THUMBTACK_WEBHOOK_PASSWORD</code> first: Hookport refuses Thumbtack deliveries without them.</p>`;
  return html`<form method="post" action="${pageUrl(c, business)}">${c.csrfField}<input type="hidden" name="op" value="create">
<div class="row"><label>URL<input name="url" type="url" value="${hookportUrl(c.config) ?? ''}" size="48" required></label>
<label>Enabled<select name="enabled"><option value="yes">yes</option><option value="no">no</option></select></label></div>
<p class="row">${DEFAULT_EVENT_TYPES.map(
    (t) => html`<label class="check"><input type="checkbox" name="event_${t}" value="yes" checked>${t}</label>`,
  )}</p>
<button type="submit" class="primary">Create webhook</button>
<p class="muted">Thumbtack will send HTTP Basic with THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD, as Hookport checks.</p></form>`;
}

/**
 * The Thumbtack connection and the webhooks of a business, through the shared webhook service (the
 * admin API's): list, create, enable/disable, delete.
 */
export const thumbtackWebhooksPage: ConsolePage = {
  path: 'webhooks',
  title: 'Webhooks',

  async render(c) {
    const heading = html`<h1>Thumbtack webhooks</h1>`;
    const [connection, report] = await Promise.all([connectionStatus(c.db), setupReport(c.config, c.db)]);
    const card = connectionCard(c, connection.connected, report);
    if (!report.tokenSource) {
      return {
        body: html`${heading}${card}<div class="card"><p>To manage webhooks here, ${NO_TOKEN_MESSAGE}.</p></div>`,
      };
    }
    const business = businessOf(c);
    const picker = html`<form class="filters" method="get" action="${c.url}">
<label>Business ID<input name="business" value="${business ?? c.query.business ?? ''}" required pattern="[0-9A-Za-z_-]{1,40}"></label>
<button type="submit">Show webhooks</button></form>`;
    if (!business)
      return {
        body: html`${heading}${card}${picker}<p class="muted">Thumbtack registers webhooks per business: enter its ID.</p>`,
      };
    let webhooks: WebhookView[];
    try {
      webhooks = await thumbtackWebhooks(c.config, c.db).list(business);
    } catch (err) {
      if (!(err instanceof HookportError)) throw err;
      return { status: err.status, body: html`${heading}${card}${picker}<p class="notice error">${err.message}</p>` };
    }
    return {
      body: html`${heading}${card}${picker}
<h2>Registered for business ${business}</h2>
${webhookTable(c, business, webhooks)}
<h2>Register a webhook</h2>
<div class="card">${createForm(c, business)}</div>`,
    };
  },

  async act(c) {
    if (c.form.op === 'disconnect') {
      if (c.form.confirmed !== 'yes') return { confirm: DISCONNECT_QUESTION };
      const done = await audited(c.db, disconnect, (d) => (d ? { by: c.by, action: 'thumbtack.disconnect' } : null));
      return done
        ? { notice: 'Disconnected the Thumbtack account.' }
        : { error: 'No account is connected.', status: 409 };
    }
    const business = businessOf(c);
    if (!business) return { error: 'Enter a business ID.', status: 400 };
    const webhooks = thumbtackWebhooks(c.config, c.db);
    const webhookID = c.form.webhook ?? '';
    try {
      switch (c.form.op) {
        case 'create': {
          const eventTypes = DEFAULT_EVENT_TYPES.filter((t) => c.form[`event_${t}`] === 'yes');
          if (eventTypes.length === 0) return { error: 'Choose at least one event type.', status: 400 };
          const created = await webhooks.create(
            business,
            { url: (c.form.url ?? '').trim(), eventTypes: [...eventTypes], enabled: c.form.enabled !== 'no' },
            c.by,
          );
          c.logger.info('thumbtack webhook created from the console', { business, webhookID: created.webhookId });
          return { notice: `Created webhook ${created.webhookId}.` };
        }
        case 'enable':
        case 'disable': {
          await webhooks.update(business, webhookID, { enabled: c.form.op === 'enable' }, c.by);
          c.logger.info(`thumbtack webhook ${c.form.op}d from the console`, { business, webhookID });
          return { notice: `Webhook ${webhookID} ${c.form.op}d.` };
        }
        case 'delete': {
          if (c.form.confirmed !== 'yes')
            return { confirm: `Delete Thumbtack webhook ${webhookID}? Thumbtack stops sending to it at once.` };
          await webhooks.remove(business, webhookID, c.by);
          c.logger.info('thumbtack webhook deleted from the console', { business, webhookID });
          return { notice: `Deleted webhook ${webhookID}.` };
        }
        default:
          return { error: 'Unknown action.', status: 400 };
      }
    } catch (err) {
      if (err instanceof HookportError) return { error: err.message, status: err.status };
      throw err;
    }
  },
};

export const thumbtackConsolePages: readonly ConsolePage[] = [thumbtackWebhooksPage];
