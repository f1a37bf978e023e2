import { sql } from 'drizzle-orm';
import { type ConsolePage, html, queryRows, time } from '../../src/provider';
import { interactionPayload } from './identify';
import { slackManifest } from './manifest';
import { slackSettings } from './settings';

const PATHS = ['/slack/commands', '/slack/interactions'];
const LAST = 20;

interface Received {
  id: string;
  event_type: string;
  status: string;
  received_at: Date | string;
  body: Uint8Array;
}

/** What a person did, from a stored body: the command typed, or the button clicked. */
function whatWasDone(row: Received): { who: string; what: string } {
  const bytes = Buffer.from(row.body);
  const form = new URLSearchParams(bytes.toString('utf8'));
  if (form.has('command'))
    return { who: form.get('user_name') ?? '', what: `${form.get('command') ?? ''} ${form.get('text') ?? ''}`.trim() };
  const payload = interactionPayload(bytes);
  const user = payload?.user as { username?: unknown; name?: unknown } | undefined;
  const actions = Array.isArray(payload?.actions)
    ? (payload.actions as { action_id?: unknown; value?: unknown }[])
    : [];
  return {
    who: String(user?.username ?? user?.name ?? ''),
    what: actions.map((a) => `${String(a.action_id ?? '')} ${String(a.value ?? '')}`).join(', '),
  };
}

/** Slack's setup (the Request URLs and the app manifest to paste) and the last commands and clicks received. */
export const slackConsolePage: ConsolePage = {
  path: 'setup',
  title: 'Slack app',
  async render(c) {
    const configured = slackSettings.of(c.config).signingSecrets.length > 0;
    const base = c.config.publicBaseUrl?.replace(/\/+$/, '');
    const rows = await queryRows<Received>(
      c.db,
      sql`select id, event_type, status, received_at, body from webhook_events
        where provider = 'slack' order by received_at desc limit ${LAST}`,
    );
    const urls = PATHS.map((path) => (base ? `${base}${path}` : `https://<PUBLIC_BASE_URL>${path}`));
    return {
      body: html`<h1>Slack app</h1>
<div class="card"><p>${
        configured
          ? html`Signing secret set: commands and clicks are verified.`
          : html`Set <code>SLACK_SIGNING_SECRET</code> (the app's <em>Basic Information</em> page): until then the Slack routes answer 503.`
      }</p>
${base ? '' : html`<p class="muted">Set <code>PUBLIC_BASE_URL</code> to show the URLs Slack calls.</p>`}
<table><tbody>
<tr><th>Slash command <code>/jobber</code> Request URL</th><td class="mono" data-url="commands">${urls[0]}</td></tr>
<tr><th>Interactivity Request URL</th><td class="mono" data-url="interactions">${urls[1]}</td></tr>
</tbody></table></div>
<h2>App manifest</h2>
<p class="muted">At api.slack.com/apps: Create New App → From a manifest, then paste this.</p>
<pre class="mono" data-manifest>${JSON.stringify(slackManifest(base ?? 'https://<PUBLIC_BASE_URL>'), null, 2)}</pre>
<h2>Last commands and clicks</h2>
${
  rows.length === 0
    ? html`<div class="card empty">None received yet. Try <code>hookport send slack command "/jobber help"</code>.</div>`
    : html`<table><thead><tr><th>Received</th><th>Type</th><th>Who</th><th>What</th><th>Status</th></tr></thead><tbody>${rows.map(
        (row) => {
          const done = whatWasDone(row);
          return html`<tr data-event="${row.id}"><td>${time(new Date(row.received_at).toISOString())}</td><td>${row.event_type}</td>
<td>${done.who}</td><td class="mono">${done.what}</td><td>${row.status}</td></tr>`;
        },
      )}</tbody></table>`
}`,
    };
  },
};
