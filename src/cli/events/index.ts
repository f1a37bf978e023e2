import type { Command } from 'commander';
import { targetUrl, type CliContext } from '../context';
import { adminClient } from './admin-client';
import { listEvents, MAX_LIMIT, type ListOptions } from './list';
import { replayEvents, type ReplayOptions } from './replay';
import { showEvent } from './show';

const URL_HELP = 'the running Hookport (default http://127.0.0.1:$PORT)';
const EXIT_HELP =
  '\nUses the admin API with ADMIN_TOKEN from the environment.\n' +
  'Exit codes: 0 done, 1 failed (no answer, wrong token, no such event), 64 bad usage, 78 ADMIN_TOKEN not set.';

/** `hookport events list|show|replay`: the inbox, through a running Hookport's admin API. */
export function addEventsCommands(program: Command, ctx: CliContext, done: (code: number) => void): void {
  const events = program
    .command('events')
    .description('list, show and replay received webhooks (through the admin API)');
  const client = (url: string | undefined) => () => adminClient(targetUrl(url, ctx.env), ctx.env);

  events
    .command('list')
    .description('inbox rows, newest first: a table, or JSON lines with --json')
    .option('--provider <name>', 'only this provider')
    .option('--status <status>', 'pending, processing, processed, ignored, failed or dead')
    .option('--type <type>', 'only this event type')
    .option('--since <iso>', 'received at or after this time')
    .option('--limit <n>', `how many (1-${MAX_LIMIT}, default 50)`)
    .option('--json', 'one JSON object per line')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (options: ListOptions & { url?: string }) =>
      done(await listEvents(ctx, client(options.url), options)),
    );

  events
    .command('show')
    .description('one event: summary, headers, canonical events, and the body (pretty-printed when JSON)')
    .argument('<id>', 'the event id')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: { url?: string }) => done(await showEvent(ctx, client(options.url), id)));

  events
    .command('replay')
    .description('process an event again from its stored bytes, or every event that matches the filters')
    .argument('[id]', 'the event id (or give filters instead)')
    .option('--status <status>', 'e.g. dead')
    .option('--provider <name>', 'only this provider')
    .option('--type <type>', 'only this event type')
    .option('--since <iso>', 'received at or after this time')
    .option('--dry-run', 'count what matches; replay nothing')
    .option('--url <url>', URL_HELP)
    .addHelpText(
      'after',
      `\nExamples:\n  hookport events replay <id>\n  hookport events replay --status dead --provider <name> --dry-run\n${EXIT_HELP}`,
    )
    .action(async (id: string | undefined, options: ReplayOptions & { url?: string }) =>
      done(await replayEvents(ctx, client(options.url), id, options)),
    );
}
