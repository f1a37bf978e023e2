import type { Command } from 'commander';
import { targetUrl, type CliContext } from '../context';
import { adminClient } from '../events/admin-client';
import { listEventTypes, showEventType } from './commands';

const URL_HELP = 'the running Hookport (default http://127.0.0.1:$PORT)';
const EXIT_HELP =
  '\nUses the admin API with ADMIN_TOKEN from the environment.\n' +
  'Exit codes: 0 done, 1 failed (no answer, wrong token, no such event type), 64 bad usage, 78 ADMIN_TOKEN not set.';

/** `hookport event-types list|show`: the event catalogue, through a running Hookport's admin API. */
export function addEventTypesCommands(program: Command, ctx: CliContext, done: (code: number) => void): void {
  const group = program
    .command('event-types')
    .description(
      'the catalogue of event types Hookport emits: descriptions, JSON Schemas, examples (through the admin API)',
    );
  const client = (url: string | undefined) => () => adminClient(targetUrl(url, ctx.env), ctx.env);

  group
    .command('list')
    .description(
      'every event type: a table (type, provider, record kind, description cut to the terminal width), or JSON lines with --json',
    )
    .option('--json', 'one JSON object per line, schema and example included')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (options: { json?: boolean; url?: string }) =>
      done(await listEventTypes(ctx, client(options.url), options)),
    );

  group
    .command('show')
    .description('one event type: its description, provider, record kind, JSON Schema and example (pretty JSON)')
    .argument('<type>', 'the event type, e.g. message.received')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', `\nExample:\n  hookport event-types show contact.suppressed\n${EXIT_HELP}`)
    .action(async (type: string, options: { url?: string }) =>
      done(await showEventType(ctx, client(options.url), type)),
    );
}
