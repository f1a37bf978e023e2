#!/usr/bin/env node
import { CommanderError } from 'commander';
import { ConfigError } from '../config/config';
import { errorMessage } from '../errors/error-message';
import { installedProviders } from '../installed';
import type { ProviderRegistry } from '../contract/provider';
import type { CliContext } from './context';
import { CliError, EXIT } from './exit-codes';
import { buildProgram } from './program';

export interface CliOptions {
  err?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  registry?: ProviderRegistry;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * Commander's own exits: help asked for is 0; any other (an unknown command or option, a missing argument) is bad
 * usage.
 */
function commanderExit(err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
  if (err.code === 'commander.help' && err.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}

/** `hookport <command…>`: resolves to the exit code; prints to `out` and (failures) `err`. */
export async function runCli(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  options: CliOptions = {},
): Promise<number> {
  const ctx: CliContext = {
    out,
    err: options.err ?? process.stderr,
    env: options.env ?? process.env,
    registry: options.registry ?? installedProviders,
    input: options.input ?? process.stdin,
  };
  let code: number = EXIT.ok;
  const program = buildProgram(ctx, (c) => (code = c));
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.ok;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err);
    ctx.err.write(`hookport: ${errorMessage(err)}\n`);
    if (err instanceof CliError) return err.code;
    return err instanceof ConfigError ? EXIT.config : EXIT.failed;
  }
}

if (require.main === module) {
  // Exit at once: an idle keep-alive connection or pool must not hold the shell for seconds.
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
