import { sql } from 'drizzle-orm';
import {
  audited,
  badge,
  basePath,
  type ConsolePage,
  duration,
  html,
  postForm,
  queryRows,
  time,
} from '../../src/provider';
import { CONNECT_PATH } from './oauth/routes';
import { jobberSettings } from './settings';
import { lastRunsOfAccounts, requestImport, type JobberRun } from './import/runs';
import { RUN_FAMILIES } from './import/run';

const active = (run: JobberRun | undefined) => run?.status === 'queued' || run?.status === 'running';

/** A run in a cell: its state, progress per family while it runs, and its counts. */
function runCell(run: JobberRun | undefined) {
  if (!run) return html`<span class="muted">none yet</span>`;
  const families = RUN_FAMILIES.flatMap((family) => {
    const p = run.progress[family];
    if (!p) return [];
    const of = p.total ? html` of ${p.total}` : '';
    return [html`${family}s ${p.fetched}${of}`];
  });
  const retry =
    run.status === 'queued' && run.attempts > 0
      ? html`<br><span class="muted">retrying after: ${run.lastError ?? ''}</span>`
      : '';
  const failed = run.status === 'failed' && run.lastError ? html`<br><span class="muted">${run.lastError}</span>` : '';
  const waited =
    run.waits > 0 ? html`<br><span class="muted">waited ${duration(run.waitedMs)} for Jobber's rate limit</span>` : '';
  const ended = run.status === 'done' || run.status === 'failed';
  const at = (run.finishedAt ?? run.startedAt ?? run.createdAt).toISOString();
  return html`${badge(run.status)} ${ended ? '' : run.startedAt ? 'started ' : 'queued '}${time(at)}
<br>fetched ${run.fetched}, changed ${run.changed}, unchanged ${run.unchanged}, failed ${run.failed}
${families.length > 0 && run.status !== 'done' ? html`<br><span class="muted">${families.map((f, i) => html`${i > 0 ? ', ' : ''}${f}`)}</span>` : ''}${waited}${retry}${failed}`;
}

interface AccountRow {
  account_id: string;
  name: string | null;
  connection_state: string;
  connected: boolean;
  token_expires_at: Date | string | null;
  state_at: Date | string;
}

interface SyncRow {
  account_id: string;
  family: string;
  sync_status: string;
  n: string | number;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** Connected Jobber accounts (never their tokens), how many of their rows are synced, and a connect button. */
export const jobberAccountsPage: ConsolePage = {
  path: 'accounts',
  title: 'Accounts',

  async render(c) {
    const { clientId, clientSecrets } = jobberSettings.of(c.config);
    const missing = !clientId
      ? 'JOBBER_CLIENT_ID'
      : clientSecrets.length === 0
        ? 'JOBBER_CLIENT_SECRET'
        : !c.config.publicBaseUrl
          ? 'PUBLIC_BASE_URL'
          : undefined;
    const [accounts, sync, lastRun] = await Promise.all([
      queryRows<AccountRow>(
        c.db,
        sql`select account_id, name, connection_state, access_token is not null as connected, token_expires_at, state_at
          from jobber_accounts order by name nulls last, account_id`,
      ),
      queryRows<SyncRow>(
        c.db,
        sql`select account_id, 'clients' as family, sync_status, count(*) as n from clients group by 1, 2, 3
          union all select account_id, 'jobs', sync_status, count(*) from jobs group by 1, 2, 3
          union all select account_id, 'invoices', sync_status, count(*) from invoices group by 1, 2, 3`,
      ),
      lastRunsOfAccounts(c.db),
    ]);
    const counts = (accountId: string, status: string) =>
      sync.filter((r) => r.account_id === accountId && r.sync_status === status).reduce((n, r) => n + Number(r.n), 0);
    const unknownAccounts = [...new Set(sync.map((r) => r.account_id))].filter(
      (id) => !accounts.some((a) => a.account_id === id),
    );
    const connect = missing
      ? html`<p>Set <code>${missing}</code> to connect accounts (the Jobber app's OAuth settings, and the public URL Jobber sends the operator back to).</p>`
      : html`<p><a class="btn primary" href="${basePath(c.config)}${CONNECT_PATH}">Connect a Jobber account</a></p>
<p class="muted">Opens Jobber's consent page; Jobber sends you back to <span class="mono">${c.config.publicBaseUrl}/oauth/jobber/callback</span> (the redirect URL to register in the Jobber app).</p>`;
    return {
      body: html`<h1>Jobber accounts</h1>
<div class="card">${connect}</div>
${
  accounts.length === 0
    ? html`<div class="card empty">No account connected yet. Webhooks are still stored; their rows wait (awaiting_sync) until the account is connected and <code>hookport jobber sync</code> runs.</div>`
    : html`<table><thead><tr><th>Account</th><th>State</th><th>Access token expires</th><th>Since</th><th class="num">Synced</th><th class="num">Awaiting sync</th><th class="num">Not found</th><th>Import</th><th>Last reconciliation</th></tr></thead><tbody>${accounts.map(
        (a) => html`<tr><td><b>${a.name ?? '(no name)'}</b><br><span class="mono muted">${a.account_id}</span></td>
<td>${badge(a.connection_state)}${a.connection_state === 'connected' && !a.connected ? html`<br><span class="muted">no token: connect again</span>` : ''}</td>
<td>${time(iso(a.token_expires_at))}</td><td>${time(iso(a.state_at))}</td>
<td class="num">${counts(a.account_id, 'synced')}</td><td class="num">${counts(a.account_id, 'awaiting_sync')}</td><td class="num">${counts(a.account_id, 'not_found')}</td>
<td>${runCell(lastRun(a.account_id, 'import'))}${
          a.connected && !active(lastRun(a.account_id, 'import'))
            ? html`<br>${postForm({ action: c.url, csrfField: c.csrfField, button: 'Import now', fields: { op: 'import', account: a.account_id } })}`
            : ''
        }</td><td>${runCell(lastRun(a.account_id, 'reconcile'))}</td></tr>`,
      )}</tbody></table>`
}
${
  unknownAccounts.length > 0
    ? html`<p class="notice error">Rows wait for ${unknownAccounts.length} account${unknownAccounts.length === 1 ? '' : 's'} never connected here: ${unknownAccounts.join(', ')}.</p>`
    : ''
}
<p class="muted">Connecting an account imports its clients, jobs and invoices in the background (reload to follow it); ${reconcileNote(c.config)} Rows that arrived before their account was connected are filled at the end of each pass, or by <code>hookport jobber sync</code>.</p>`,
    };
  },

  async act(c) {
    if (c.form.op !== 'import' || !c.form.account) return { error: 'Unknown action.', status: 400 };
    const account = c.form.account;
    const asked = await audited(
      c.db,
      (tx) => requestImport(tx, account),
      (a) => (a.outcome === 'queued' ? { by: c.by, action: 'jobber.import', target: account } : null),
    );
    if (asked.outcome === 'not_found') return { error: 'No Jobber account with that id has connected.', status: 404 };
    if (asked.outcome === 'not_connected')
      return { error: 'The account has no access token: connect it again first.', status: 409 };
    c.logger.info('jobber import queued from the console', { accountId: c.form.account });
    return {
      notice:
        asked.outcome === 'queued'
          ? 'Import queued: it starts within seconds.'
          : 'An import of this account is already under way.',
    };
  },
};

function reconcileNote(config: Parameters<typeof jobberSettings.of>[0]) {
  const ms = jobberSettings.of(config).reconcileIntervalMs;
  return ms > 0
    ? html`every ${duration(ms)} what changed since the last pass is fetched again (<code>JOBBER_RECONCILE_INTERVAL</code>), catching webhooks that never arrived.`
    : html`reconciliation is off (<code>JOBBER_RECONCILE_INTERVAL=0</code>).`;
}

export const jobberConsolePages: readonly ConsolePage[] = [jobberAccountsPage];
