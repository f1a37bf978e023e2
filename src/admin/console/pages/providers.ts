import type { Config } from '../../../config/config';
import type { Db } from '../../../db/client';
import { lastReceivedAt } from '../../../inbox/stats';
import { dashboardPaths, type ProviderRegistry } from '../../../contract/provider';
import { badge, time } from '../../../html/components';
import { html, type Html } from '../../../html/html';

export interface ProviderPageLink {
  provider: string;
  href: string;
  page: { title: string };
}

/** Each provider's setup: configured or not, what to set, the exact URL to paste, when it last sent something. */
export async function providersPage(o: {
  config: Config;
  db: Db;
  root: string;
  providers: ProviderRegistry;
  providerPages: readonly ProviderPageLink[];
}): Promise<Html> {
  const names = Object.keys(o.providers);
  const last = await lastReceivedAt(o.db, names);
  const base = o.config.publicBaseUrl?.replace(/\/+$/, '');
  return html`<h1>Providers</h1>
${base ? '' : html`<p class="notice error">Set <code>PUBLIC_BASE_URL</code> (the public origin providers call, e.g. https://hooks.example.com) to see the URLs to paste.</p>`}
<table>
<thead><tr><th>Provider</th><th>Status</th><th>Callback URL to paste into its dashboard</th><th>Last received</th><th>More</th></tr></thead>
<tbody>${Object.values(o.providers).map((p) => {
    const configured = p.createVerifier(o.config) !== null;
    const pages = o.providerPages.filter((l) => l.provider === p.name);
    return html`<tr>
<td><b>${p.name}</b></td>
<td>${configured ? badge('ok', 'configured') : html`${badge('not-configured', 'not configured')}<br><span class="muted">set ${p.requiredEnv}</span>`}</td>
<td class="mono">${dashboardPaths(p).map((path, i) => html`${i > 0 ? html`<br>` : ''}${base ? `${base}${path}` : html`<span class="muted">PUBLIC_BASE_URL${path}</span>`}`)}</td>
<td>${time(last[p.name]?.toISOString())}</td>
<td>${pages.map((l) => html`<a href="${l.href}">${l.page.title}</a> `)}</td>
</tr>`;
  })}</tbody></table>`;
}
