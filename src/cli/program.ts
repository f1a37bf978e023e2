import { Command } from 'commander';
import type { CliContext } from './context';
import { addConfigCommands } from './config-check';
import { addEventsCommands } from './events';
import { addEventTypesCommands } from './event-types';
import { addProviderCommands } from './provider-commands';
import { addSecretsCommands } from './secrets';
import { addSendCommand } from './send';
import { addSubscriptionsCommands } from './subscriptions';

/** Every command as `hookport <path> <arguments>  <description>`, for the top-level help. */
function commandList(program: Command): string {
  const lines: string[] = [];
  const walk = (command: Command, path: string[]) => {
    const own = command.commands.filter((c) => c.name() !== 'help');
    if (own.length === 0) {
      const args = command.registeredArguments.map((a) =>
        a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`,
      );
      const usage = [...path, ...(command.options.length > 0 ? ['[options]'] : []), ...args].join(' ');
      lines.push(`  hookport ${usage}\n      ${command.description()}`);
    }
    for (const child of own) walk(child, [...path, child.name()]);
  };
  for (const child of program.commands) walk(child, [child.name()]);
  return `\nAll commands (each takes --help):\n${lines.join('\n')}\n\nExit codes: 0 done, 1 failed, 64 bad usage, 78 missing configuration.\n`;
}

/** The `hookport` program; each command's action reports its exit code through `done`. */
export function buildProgram(ctx: CliContext, done: (code: number) => void): Command {
  const program = new Command('hookport')
    .description('Hookport, the inbound webhook gateway: operator commands')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out.write(s), writeErr: (s) => ctx.err.write(s) })
    .showSuggestionAfterError();
  addSendCommand(program, ctx, done);
  addConfigCommands(program, ctx, done);
  addEventsCommands(program, ctx, done);
  addEventTypesCommands(program, ctx, done);
  addSubscriptionsCommands(program, ctx, done);
  addSecretsCommands(program, ctx, done);
  addProviderCommands(program, ctx, done);
  program.addHelpText('after', () => commandList(program));
  return program;
}
