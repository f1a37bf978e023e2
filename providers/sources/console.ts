import {
  badge,
  type ConsoleContext,
  type ConsolePage,
  HookportError,
  html,
  type Html,
  postForm,
} from '../../src/provider';
import { createBodyOf, createForm } from './console-form';
import { kindOf, sourceManager } from './manage';
import { shownSource, type ShownSource } from './shown';
import { listSources } from './store';

const deleteQuestion = (name: string) =>
  `Delete source ${name}? Its URL answers 404 from now on; the events it sent stay.`;

function sourceRow(c: ConsoleContext, s: ShownSource): Html {
  return html`<tr data-source="${s.name}">
<td class="mono">${s.name}</td>
<td class="mono" data-url>${s.url}</td>
<td>${kindOf(s.verification)}</td>
<td>${s.enabled ? badge('enabled') : badge('disabled')}</td>
<td data-secrets>${s.secretCount}</td>
<td>${s.description ?? ''}</td>
<td class="actions"><div class="row">${postForm({
    action: c.url,
    csrfField: c.csrfField,
    button: s.enabled ? 'Disable' : 'Enable',
    fields: { op: s.enabled ? 'disable' : 'enable', name: s.name },
  })}${postForm({
    action: c.url,
    csrfField: c.csrfField,
    button: 'Delete',
    kind: 'danger',
    fields: { op: 'delete', name: s.name },
    confirm: deleteQuestion(s.name),
  })}</div></td></tr>`;
}

/** The run-time sources: each one's URL to paste into its sender, create, enable/disable, delete. */
export const sourcesPage: ConsolePage = {
  path: 'list',
  title: 'Sources',

  async render(c) {
    const sources = (await listSources(c.config, c.db)).map((s) => shownSource(s, c.config.publicBaseUrl));
    const table =
      sources.length === 0
        ? html`<div class="card empty">No sources yet: create one below for a sender Hookport has no provider for.</div>`
        : html`<table><thead><tr><th>Name</th><th>URL to paste into the sender</th><th>Verification</th><th>State</th><th>Secrets</th><th>Description</th><th></th></tr></thead><tbody>${sources.map(
            (s) => sourceRow(c, s),
          )}</tbody></table>`;
    return {
      body: html`<h1>Sources</h1>
${c.config.publicBaseUrl ? '' : html`<p class="muted">Set <code>PUBLIC_BASE_URL</code> to show the full URLs senders post to.</p>`}
${table}
<h2>Add a source</h2>
<div class="card">${createForm(c.url, c.csrfField)}</div>`,
    };
  },

  async act(c) {
    const manager = sourceManager(c);
    const name = c.form.name ?? '';
    try {
      switch (c.form.op) {
        case 'create': {
          const body = createBodyOf(c.form);
          if ('refused' in body) return { error: body.refused, status: 400 };
          const created = await manager.create(body, c.by);
          c.logger.info('source created from the console', { source: created.name });
          const secret =
            created.secret === undefined
              ? ''
              : ` Its secret, shown this once (store it in the sender now): ${created.secret}`;
          return { notice: `Created source ${created.name}: paste ${created.url} into the sender.${secret}` };
        }
        case 'enable':
        case 'disable': {
          await manager.update(name, { enabled: c.form.op === 'enable' }, c.by);
          return { notice: `Source ${name} ${c.form.op}d.` };
        }
        case 'delete': {
          if (c.form.confirmed !== 'yes') return { confirm: deleteQuestion(name) };
          await manager.remove(name, c.by);
          return { notice: `Deleted source ${name}.` };
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

export const sourceConsolePages: readonly ConsolePage[] = [sourcesPage];
