import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AdminApi, CommandDeps, CommandTools, ProviderCommand } from '../../src/provider';
import { type Input, UsageError, verificationFlags, verificationOf } from './command-verification';
import type { ChangedSource } from './manage';
import { kindOf } from './manage';
import type { ShownSource } from './shown';

const USAGE = 64;
const FAILED = 1;
type Flags = Record<string, string | boolean | undefined>;
type Out = NodeJS.WritableStream;

const SECRETS_HELP =
  'secrets come from --secret-file <path> or stdin (one a line, newest first), never an argument: argv is visible to every user of the machine';
const SETTINGS = '[--event-type-path P] [--dedupe-header H] [--description D] [--secret-file PATH] [--url URL]';
const KIND =
  '(--preset github|stripe | --type standard-webhooks|hmac|basic|bearer [--header H] [--algorithm A] [--encoding E] [--prefix P] [--username U] [--tolerance-seconds N])';

const settingFlags = {
  ...verificationFlags,
  'event-type-path': { type: 'string' },
  'dedupe-header': { type: 'string' },
  description: { type: 'string' },
  url: { type: 'string' },
} as const;

const path = (name: string) => `/admin/api/sources/${encodeURIComponent(name)}`;

/** The URL to paste into the sender: the server's public one, else this server's address. */
function pasteUrl(api: AdminApi, source: ShownSource): string {
  return source.url.startsWith('/') ? `${api.origin}${source.url}` : source.url;
}

function report(api: AdminApi, what: string, source: ChangedSource, out: Out): void {
  out.write(
    `${what} source ${source.name} (${kindOf(source.verification)}, ${source.enabled ? 'enabled' : 'disabled'})\n`,
  );
  out.write(`URL to paste into the sender: ${pasteUrl(api, source)}\n`);
  if (source.url.startsWith('/'))
    out.write('(PUBLIC_BASE_URL is not set on the server: the sender needs its public address)\n');
  if (source.secret !== undefined) {
    out.write(`secret: ${source.secret}\n`);
    out.write('Store this secret in the sender now: Hookport never shows it again.\n');
  }
}

/** The fields of a create or update body the flags give (a kind's verification among them). */
async function settingsOf(flags: Flags, input: Input, out: Out): Promise<Record<string, unknown>> {
  const verification = await verificationOf(flags, input, out);
  if (flags.enable && flags.disable) throw new UsageError('pass --enable or --disable, not both');
  return {
    ...(verification ? { verification } : {}),
    ...(flags['event-type-path'] !== undefined ? { eventTypePath: flags['event-type-path'] || null } : {}),
    ...(flags['dedupe-header'] !== undefined ? { dedupeHeader: flags['dedupe-header'] || null } : {}),
    ...(flags.description !== undefined ? { description: flags.description || null } : {}),
    ...(flags.enable ? { enabled: true } : flags.disable ? { enabled: false } : {}),
  };
}

function table(api: AdminApi, sources: ShownSource[]): string {
  const rows = [
    ['NAME', 'KIND', 'STATE', 'URL'],
    ...sources.map((s) => [s.name, kindOf(s.verification), s.enabled ? 'enabled' : 'disabled', pasteUrl(api, s)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') +
    '\n'
  );
}

/** Asks on a terminal; without one (a script) refuses, naming --yes. */
async function confirmed(input: Input, out: Out, question: string): Promise<boolean> {
  if (!input.isTTY) throw new UsageError('not deleted: stdin is not a terminal, so nothing can confirm; add --yes');
  out.write(`${question} [y/N] `);
  let answer = '';
  for await (const chunk of input) {
    answer += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (answer.includes('\n')) break;
  }
  return /^y(es)?$/i.test(answer.split('\n')[0]!.trim());
}

type Action = (api: AdminApi, name: string | undefined, flags: Flags, out: Out, input: Input) => Promise<number>;

/** Parses the flags and the name, runs the action; a usage mistake is one line and exit 64. */
function command(usage: string, flags: ParseArgsConfig['options'], named: boolean, action: Action): ProviderCommand {
  return {
    summary: usage,
    async run(args: string[], deps: CommandDeps & CommandTools, out: Out) {
      try {
        let parsed;
        try {
          parsed = parseArgs({ args, options: flags, strict: true, allowPositionals: true });
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        const [name, ...rest] = parsed.positionals;
        if (named ? name === undefined || rest.length > 0 : parsed.positionals.length > 0)
          throw new UsageError(named ? 'name one source' : 'this command takes no arguments');
        const values = parsed.values as Flags;
        return await action(deps.adminApi(values.url as string | undefined), name, values, out, deps.input);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        out.write(`hookport: ${err.message}\nusage: hookport sources ${usage}\n`);
        return USAGE;
      }
    },
  };
}

function notFound(name: string, status: number, out: Out): number | undefined {
  if (status !== 404) return undefined;
  out.write(`hookport: no source named "${name}" (hookport sources list shows them)\n`);
  return FAILED;
}

/**
 * `hookport sources list|create|update|delete`: the run-time sources, through the running
 * server's admin API; secrets and confirmations are read from the CLI's input (stdin).
 */
export const sourceCommands: Record<string, ProviderCommand> = {
  list: command('list [--url URL]', { url: { type: 'string' } }, false, async (api, _name, _flags, out) => {
    const { json } = await api.call('GET', '/admin/api/sources');
    const sources = json.sources as ShownSource[];
    out.write(sources.length === 0 ? 'no sources: hookport sources create <name> … adds one\n' : table(api, sources));
    return 0;
  }),

  create: command(
    `create <name> ${KIND} ${SETTINGS} [--disable]; ${SECRETS_HELP}`,
    { ...settingFlags, disable: { type: 'boolean' } },
    true,
    async (api, name, flags, out, input) => {
      // An empty value clears a setting on update; a new source simply has none.
      const settings = Object.fromEntries(
        Object.entries(await settingsOf(flags, input, out)).filter(([, v]) => v !== null),
      );
      if (!settings.verification) throw new UsageError('choose how requests are verified: --preset or --type');
      const { status, json } = await api.call('POST', '/admin/api/sources', { name, ...settings });
      if (status !== 201) {
        out.write(`hookport: the server answered ${status} ${String(json.message ?? json.error ?? '')}\n`);
        return FAILED;
      }
      report(api, 'created', json as unknown as ChangedSource, out);
      return 0;
    },
  ),

  update: command(
    `update <name> [${KIND}] ${SETTINGS} [--enable|--disable]; a new kind replaces the secrets; ${SECRETS_HELP}`,
    { ...settingFlags, enable: { type: 'boolean' }, disable: { type: 'boolean' } },
    true,
    async (api, name, flags, out, input) => {
      const settings = await settingsOf(flags, input, out);
      if (Object.keys(settings).length === 0) throw new UsageError('nothing to change: give a setting to change');
      const { status, json } = await api.call('PATCH', path(name!), settings);
      const missing = notFound(name!, status, out);
      if (missing !== undefined) return missing;
      report(api, 'updated', json as unknown as ChangedSource, out);
      return 0;
    },
  ),

  delete: command(
    'delete <name> [--yes] [--url URL]',
    { yes: { type: 'boolean' }, url: { type: 'string' } },
    true,
    async (api, name, flags, out, input) => {
      const question = `Delete source ${name}? Its URL answers 404 from now on; the events it sent stay.`;
      if (!flags.yes && !(await confirmed(input, out, question))) {
        out.write('not deleted\n');
        return FAILED;
      }
      const { status } = await api.call('DELETE', path(name!));
      const missing = notFound(name!, status, out);
      if (missing !== undefined) return missing;
      out.write(`deleted source ${name}\n`);
      return 0;
    },
  ),
};
