#!/usr/bin/env node
import { ConfigError } from './config';
import { loadConfig } from './load-config';
import { openDatabase } from './db/client';
import { migrate } from './db/migrate';
import { createLogger } from './logger';
import { installedProviders } from './installed';
import { errorMessage } from './error-message';

const registry = installedProviders;

function usage(): string {
  const lines = ['usage: hookport <provider> <command> [args…]', '', 'commands:'];
  for (const provider of Object.values(registry)) {
    for (const [name, command] of Object.entries(provider.commands ?? {})) {
      lines.push(`  hookport ${provider.name} ${name.padEnd(24)} ${command.summary}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** `hookport <provider> <command…>`: operator commands that providers declare. */
export async function runCli(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const [providerName, ...rest] = argv;
  const provider = providerName && Object.hasOwn(registry, providerName) ? registry[providerName] : undefined;
  const commands = provider?.commands ?? {};
  // Commands may be one word or two (`webhooks list`): take the longest that exists.
  const two = rest.slice(0, 2).join(' ');
  const name = Object.hasOwn(commands, two) ? two : rest[0];
  const command = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!provider || !command) {
    out.write(usage());
    return providerName === 'help' || providerName === undefined ? 0 : 64;
  }
  const args = rest.slice(name!.split(' ').length);
  const config = loadConfig(process.env, registry);
  const logger = createLogger(config.logLevel);
  // The embedded database admits one process: a command that does not need it leaves it alone.
  if (!command.needsDatabase) return command.run(args, { config, logger }, out);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    timeoutMs: config.database.timeoutMs,
    logger,
  });
  try {
    await migrate(database.db);
    return await command.run(args, { config, db: database.db, logger }, out);
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`hookport: ${errorMessage(err)}\n`);
      process.exit(err instanceof ConfigError ? 78 : 1);
    },
  );
}
