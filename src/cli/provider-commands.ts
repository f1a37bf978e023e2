import type { Command } from 'commander';
import { createLogger } from '../log/logger';
import type { ProviderCommand } from '../contract/provider';
import { configOf, targetUrl, type CliContext } from './context';
import { adminClient } from './events/admin-client';
import { withDatabase } from './open-database';

/** Runs a provider's command with what it declares it needs; the database only when it says so. */
async function runProviderCommand(command: ProviderCommand, args: string[], ctx: CliContext): Promise<number> {
  const config = configOf(ctx);
  const logger = createLogger(config.logLevel);
  const adminApi = (url?: string) => adminClient(targetUrl(url, ctx.env), ctx.env);
  const input = ctx.input ?? process.stdin;
  // The embedded database admits one process (a running server): a command that does not need it leaves it alone.
  if (!command.needsDatabase) return command.run(args, { config, logger, adminApi, input }, ctx.out);
  return withDatabase(config, logger, (db) => command.run(args, { config, db, logger, adminApi, input }, ctx.out));
}

/** The command under `parent` named `name`, created (as a group) if it is not there yet. */
function group(parent: Command, name: string, description: string): Command {
  return parent.commands.find((c) => c.name() === name) ?? parent.command(name).description(description);
}

/**
 * `hookport <provider> <command…>`: the operator commands providers declare (`webhooks list` is two
 * words: a group and a command). Each parses its own flags, so they are passed on as given.
 */
export function addProviderCommands(program: Command, ctx: CliContext, done: (code: number) => void): void {
  for (const provider of Object.values(ctx.registry)) {
    const entries = Object.entries(provider.commands ?? {});
    if (entries.length === 0) continue;
    const root = group(program, provider.name, `${provider.name} commands`);
    for (const [name, command] of entries) {
      const words = name.split(' ');
      const parent = words
        .slice(0, -1)
        .reduce((at, word) => group(at, word, `${provider.name} ${word} commands`), root);
      parent
        .command(words.at(-1)!)
        .description(command.summary)
        .usage('[options]')
        .argument('[args...]')
        .allowUnknownOption()
        .allowExcessArguments()
        .action(async (args: string[]) => done(await runProviderCommand(command, args, ctx)));
    }
  }
}
