import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdminApi, CommandDeps, CommandTools, ProviderCommand } from '../../../src/provider';
import type { runView } from './admin-routes';
import { RUN_FAMILIES } from './run';

type Run = ReturnType<typeof runView>;
type Out = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

const USAGE = 'usage: hookport jobber import [--account <Jobber account id>] [--url <Hookport URL>] [--no-wait]\n';
const BAR_WIDTH = 20;
const ENDED = new Set(['done', 'failed']);

/** `clients 231 ✓  jobs ██████░░░░ 120/171`: the families done, then the one being paged, with a bar. */
export function bar(run: Run): string {
  const parts = RUN_FAMILIES.flatMap((family) => {
    const p = run.progress[family];
    if (!p) return [];
    if (family !== run.family || p.total === null || p.total === 0)
      return [`${family}s ${p.fetched}${family === run.family ? '' : ' ✓'}`];
    const filled = Math.min(BAR_WIDTH, Math.round((p.fetched / p.total) * BAR_WIDTH));
    return [`${family}s ${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${p.fetched}/${p.total}`];
  });
  const retrying =
    run.status === 'queued' && run.attempts > 0 ? `  (retrying after: ${run.lastError ?? 'an error'})` : '';
  if (parts.length > 0) return parts.join('  ') + retrying;
  return run.status === 'queued' ? `queued: waiting for a Hookport worker${retrying}` : 'starting';
}

/** The report of a run: what was fetched and what it changed, and how Jobber paced it. */
export function report(run: Run): string {
  const waited =
    run.waits > 0
      ? `, waited ${(run.waitedMs / 1000).toFixed(1)} s for Jobber's rate limit (${run.waits}×, throttled ${run.throttled}×)`
      : '';
  return `${run.kind} of ${run.accountId} ${run.status}: fetched ${run.fetched}, changed ${run.changed}, unchanged ${run.unchanged}, failed ${run.failed} in ${run.pages} pages${waited}${run.lastError ? `; last error: ${run.lastError}` : ''}`;
}

/** Follows a run until it ends: a redrawn bar on a terminal, else a line whenever its family or status changes. */
async function follow(api: AdminApi, id: string, out: Out, pollMs: number): Promise<Run> {
  let shown = '';
  for (;;) {
    const run = (await api.call('GET', `/admin/api/jobber/runs/${encodeURIComponent(id)}`)).json as unknown as Run;
    if (out.isTTY) {
      // One line, never wider than the terminal: a wrapped line could not be redrawn in place.
      out.write(`\r\x1b[2K${[...bar(run)].slice(0, Math.max(20, (out.columns ?? 80) - 1)).join('')}`);
    } else {
      const line = `${run.status}${run.family ? ` ${run.family}s` : ''}${run.status === 'queued' && run.lastError ? ` (retrying after: ${run.lastError})` : ''}`;
      if (line !== shown) out.write(`${run.accountId}: ${line}\n`);
      shown = line;
    }
    if (ENDED.has(run.status)) {
      if (out.isTTY) out.write('\n');
      return run;
    }
    await sleep(pollMs);
  }
}

/**
 * `hookport jobber import`: asks the running Hookport to import every client, job and invoice of
 * one account (or of every connected one), then follows the import to its end. The import runs in
 * the server and resumes after a restart; stopping this command stops only the watching.
 */
export const importCommand = {
  summary: 'import every client, job and invoice of connected accounts from Jobber [--account <id>] [--no-wait]',
  async run(args: string[], deps: CommandDeps & CommandTools, out: Out): Promise<number> {
    let options;
    try {
      options = parseArgs({
        args,
        options: {
          account: { type: 'string' },
          url: { type: 'string' },
          'no-wait': { type: 'boolean' },
          'poll-ms': { type: 'string' },
        },
      }).values;
    } catch (err) {
      out.write(`${(err as Error).message}\n${USAGE}`);
      return 64;
    }
    const pollMs = options['poll-ms'] === undefined ? 1000 : Number(options['poll-ms']);
    if (!Number.isInteger(pollMs) || pollMs < 1) {
      out.write(`--poll-ms must be a whole number of milliseconds\n${USAGE}`);
      return 64;
    }
    const api = deps.adminApi(options.url);
    let accounts: string[];
    if (options.account) {
      accounts = [options.account];
    } else {
      const listed = (await api.call('GET', '/admin/api/jobber/accounts')).json.accounts as {
        accountId: string;
        connected: boolean;
      }[];
      accounts = listed.filter((a) => a.connected).map((a) => a.accountId);
      if (accounts.length === 0) {
        out.write('no Jobber account is connected: connect one at /oauth/jobber/connect (or from the console)\n');
        return 1;
      }
    }
    const runs: Run[] = [];
    for (const accountId of accounts) {
      const answer = await api.call('POST', `/admin/api/jobber/accounts/${encodeURIComponent(accountId)}/import`);
      if (answer.status !== 202) {
        out.write(`${accountId}: ${String(answer.json.message ?? answer.json.error)}\n`);
        return 1;
      }
      const run = answer.json.run as Run;
      out.write(`${accountId}: import ${answer.json.queued ? 'queued' : 'already under way'} (run ${run.id})\n`);
      runs.push(run);
    }
    if (options['no-wait']) return 0;
    out.write('the import runs in Hookport; stopping this command stops only the watching\n');
    let failed = false;
    for (const queued of runs) {
      const run = await follow(api, queued.id, out, pollMs);
      out.write(`${report(run)}\n`);
      failed ||= run.status === 'failed' || run.failed > 0;
    }
    return failed ? 1 : 0;
  },
} satisfies ProviderCommand;
