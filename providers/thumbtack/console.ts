import {
  badge,
  type Config,
  type ConsoleContext,
  type ConsolePage,
  html,
  postForm,
  recordAudit,
} from '../../src/provider';
import { DEFAULT_EVENT_TYPES, ThumbtackApiError, thumbtackApi, type ThumbtackWebhook } from './api';
import { thumbtackSettings } from './settings';

/** Thumbtack business ids are long decimal numbers; anything else never reaches the API. */
const BUSINESS_ID = /^[0-9A-Za-z_-]{1,40}$/;

function apiFor(config: Config) {
  const { accessToken, apiUrl, password } = thumbtackSettings.of(config);
  return accessToken ? thumbtackApi({ baseUrl: apiUrl, accessToken, secrets: password ? [password] : [] }) : undefined;
}

const businessOf = (c: ConsoleContext) => {
  const value = (c.query.business ?? c.form.business ?? '').trim();
  return BUSINESS_ID.test(value) ? value : undefined;
};

const pageUrl = (c: ConsoleContext, business: string) => `${c.url}?business=${encodeURIComponent(business)}`;

/**
 * The Thumbtack webhooks of a business, through the Partner API (THUMBTACK_ACCESS_TOKEN): list, create, enable/disable,
 * delete.
 */
export const thumbtackWebhooksPage: ConsolePage = {
  path: 'webhooks',
  title: 'Webhooks',

  async render(c) {
    const api = apiFor(c.config);
    const heading = html`<h1>Thumbtack webhooks</h1>`;
    if (!api) {
      return {
        body: html`${heading}<div class="card"><p>Set <code>THUMBTACK_ACCESS_TOKEN</code> (an OAuth access token with the
<code>supply::webhooks.read</code> and <code>supply::webhooks.write</code> scopes) to manage webhooks here.</p></div>`,
      };
    }
    const business = businessOf(c);
    const picker = html`<form class="filters" method="get" action="${c.url}">
<label>Business ID<input name="business" value="${business ?? c.query.business ?? ''}" required pattern="[0-9A-Za-z_-]{1,40}"></label>
<button type="submit">Show webhooks</button></form>`;
    if (!business)
      return {
        body: html`${heading}${picker}<p class="muted">Thumbtack registers webhooks per business: enter its ID.</p>`,
      };
    let webhooks: ThumbtackWebhook[];
    try {
      webhooks = await api.listWebhooks(business);
    } catch (err) {
      if (!(err instanceof ThumbtackApiError)) throw err;
      return { status: 502, body: html`${heading}${picker}<p class="notice error">${err.message}</p>` };
    }
    const action = pageUrl(c, business);
    const { username, password } = thumbtackSettings.of(c.config);
    const defaultUrl = c.config.publicBaseUrl ? `${c.config.publicBaseUrl.replace(/\/+$/, '')}/webhooks/thumbtack` : '';
    return {
      body: html`${heading}${picker}
<h2>Registered for business ${business}</h2>
${
  webhooks.length === 0
    ? html`<div class="card empty">No webhooks: Thumbtack sends this business's leads and messages nowhere yet.</div>`
    : html`<table><thead><tr><th>ID</th><th>State</th><th>URL</th><th>Events</th><th>Auth</th><th></th></tr></thead><tbody>${webhooks.map(
        (w) => html`<tr data-webhook="${w.webhookID}">
<td class="mono">${w.webhookID}</td>
<td>${w.enabled === false ? badge('disabled') : badge('enabled')}</td>
<td class="mono">${w.webhookURL ?? ''}</td>
<td>${(w.eventTypes ?? []).join(', ')}</td>
<td>${w.authType ?? 'unknown'}</td>
<td class="actions"><div class="row">${postForm({
          action,
          csrfField: c.csrfField,
          button: w.enabled === false ? 'Enable' : 'Disable',
          fields: { op: w.enabled === false ? 'enable' : 'disable', webhook: w.webhookID },
        })}${postForm({
          action,
          csrfField: c.csrfField,
          button: 'Delete',
          kind: 'danger',
          fields: { op: 'delete', webhook: w.webhookID },
          confirm: `Delete Thumbtack webhook ${w.webhookID} (${w.webhookURL ?? ''})? Thumbtack stops sending to it at once.`,
        })}</div></td></tr>`,
      )}</tbody></table>`
}
<h2>Register a webhook</h2>
<div class="card">${
        username && password
          ? html`<form method="post" action="${action}">${c.csrfField}<input type="hidden" name="op" value="create">
<div class="row"><label>URL<input name="url" type="url" value="${defaultUrl}" size="48" required></label>
<label>Enabled<select name="enabled"><option value="yes">yes</option><option value="no">no</option></select></label></div>
<p class="row">${DEFAULT_EVENT_TYPES.map(
              (t) =>
                html`<label class="check"><input type="checkbox" name="event_${t}" value="yes" checked>${t}</label>`,
            )}</p>
<button type="submit" class="primary">Create webhook</button>
<p class="muted">Thumbtack will send HTTP Basic with THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD, as Hookport checks.</p></form>`
          : html`<p>Set <code>THUMBTACK_WEBHOOK_USERNAME</code> and <code>THUMBTACK_WEBHOOK_PASSWORD</code> first: Hookport refuses Thumbtack deliveries without them.</p>`
      }</div>`,
    };
  },

  async act(c) {
    const api = apiFor(c.config);
    const business = businessOf(c);
    if (!api) return { error: 'Set THUMBTACK_ACCESS_TOKEN first.', status: 503 };
    if (!business) return { error: 'Enter a business ID.', status: 400 };
    const { username, password } = thumbtackSettings.of(c.config);
    const auth = username && password ? { username, password } : undefined;
    const webhookID = c.form.webhook ?? '';
    try {
      switch (c.form.op) {
        case 'create': {
          if (!auth)
            return { error: 'Set THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD first.', status: 503 };
          const eventTypes = DEFAULT_EVENT_TYPES.filter((t) => c.form[`event_${t}`] === 'yes');
          if (eventTypes.length === 0) return { error: 'Choose at least one event type.', status: 400 };
          const created = await api.createWebhook(business, {
            webhookURL: (c.form.url ?? '').trim(),
            eventTypes: [...eventTypes],
            enabled: c.form.enabled !== 'no',
            auth,
          });
          c.logger.info('thumbtack webhook created from the console', { business, webhookID: created.webhookID });
          // Right after: the change is Thumbtack's, not a row to join.
          await recordAudit(c.db, {
            by: c.by,
            action: 'thumbtack.webhook_create',
            target: created.webhookID,
            detail: { businessId: business, eventTypes, enabled: c.form.enabled !== 'no' },
          });
          return { notice: `Created webhook ${created.webhookID}.` };
        }
        case 'enable':
        case 'disable': {
          if (!auth)
            return { error: 'Set THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD first.', status: 503 };
          // An update replaces the settings: start from Thumbtack's, and send the credentials again (never returned).
          const current = await api.getWebhook(business, webhookID);
          await api.updateWebhook(business, webhookID, {
            webhookURL: current.webhookURL ?? '',
            eventTypes: current.eventTypes ?? [],
            enabled: c.form.op === 'enable',
            auth,
          });
          c.logger.info(`thumbtack webhook ${c.form.op}d from the console`, { business, webhookID });
          const detail = { businessId: business, enabled: c.form.op === 'enable' };
          await recordAudit(c.db, { by: c.by, action: 'thumbtack.webhook_update', target: webhookID, detail });
          return { notice: `Webhook ${webhookID} ${c.form.op}d.` };
        }
        case 'delete': {
          if (c.form.confirmed !== 'yes')
            return { confirm: `Delete Thumbtack webhook ${webhookID}? Thumbtack stops sending to it at once.` };
          await api.deleteWebhook(business, webhookID);
          c.logger.info('thumbtack webhook deleted from the console', { business, webhookID });
          const detail = { businessId: business };
          await recordAudit(c.db, { by: c.by, action: 'thumbtack.webhook_delete', target: webhookID, detail });
          return { notice: `Deleted webhook ${webhookID}.` };
        }
        default:
          return { error: 'Unknown action.', status: 400 };
      }
    } catch (err) {
      if (err instanceof ThumbtackApiError) return { error: err.message, status: 502 };
      throw err;
    }
  },
};

export const thumbtackConsolePages: readonly ConsolePage[] = [thumbtackWebhooksPage];
