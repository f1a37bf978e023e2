import os from 'node:os';
import type { Command } from 'commander';
import { ConfigError, type Config } from '../config/config';
import { dashboardPaths, type AnyProvider } from '../contract/provider';
import { configWarnings } from '../contract/load-config';
import { configOf, type CliContext } from './context';
import { checkDatabase } from './database-check';
import { EXIT } from './exit-codes';
import { providerSetupLines } from './setup-checks';

/** The origin providers reach: PUBLIC_BASE_URL, else this machine's http://HOST:PORT. */
function origin(config: Config): string {
  if (config.publicBaseUrl) return config.publicBaseUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? os.hostname() : config.host;
  return `http://${host}:${config.port}`;
}

function providerLines(config: Config, providers: AnyProvider[]): { lines: string[]; configured: number } {
  const width = Math.max(...providers.map((p) => p.name.length));
  let configured = 0;
  const lines = providers.map((p) => {
    const name = p.name.padEnd(width);
    // Its instances are rows: none is "configured" by a variable, and each has its own URL.
    if (p.instances)
      return `  ${name}  added at run time (hookport ${p.name} list); each at ${origin(config)}/webhooks/${p.name}/<name>`;
    if (!p.createVerifier(config)) return `  ${name}  not configured: set ${p.requiredEnv}`;
    configured++;
    const urls = dashboardPaths(p).map((path) => `${origin(config)}${path}`);
    return `  ${name}  configured; paste into its dashboard: ${urls.join(' and ')}`;
  });
  return { lines, configured };
}

function publicUrlLines(config: Config, providers: AnyProvider[]): string[] {
  if (config.publicBaseUrl) return [`PUBLIC_BASE_URL: ${config.publicBaseUrl}`];
  return [
    `PUBLIC_BASE_URL: not set, so the dashboard URLs are this machine's (http://HOST:PORT); providers need the public origin they can reach`,
    ...providers
      .filter((p) => p.needsPublicBaseUrl)
      .map((p) => `  warning: ${p.name} needs PUBLIC_BASE_URL: ${p.needsPublicBaseUrl}`),
  ];
}

/** Reads every setting as start-up does and reports; never prints a value that is a secret. */
async function configCheck(ctx: CliContext): Promise<number> {
  let config: Config;
  try {
    config = configOf(ctx);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The message names each bad variable, never its value.
    ctx.out.write(`${err.message}\n`);
    return EXIT.config;
  }
  const providers = Object.values(ctx.registry);
  const { lines, configured } = providerLines(config, providers);
  const database = await checkDatabase(config);
  const setup = database.ok ? await providerSetupLines(config, providers) : [];
  ctx.out.write(
    [
      'configuration: valid',
      'providers:',
      ...lines,
      ...setup,
      ...publicUrlLines(config, providers),
      `ADMIN_TOKEN: ${config.adminToken ? 'set' : 'not set (/admin and /admin/api answer 503; the events commands need it)'}`,
      `METRICS_TOKEN: ${config.metricsToken ? 'set' : 'not set (/metrics is open: counts only, no payloads)'}`,
      `tracing: ${config.tracing.enabled ? `on (${config.tracing.protocol}, service ${config.tracing.serviceName})` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT to export traces)'}`,
      `database: ${database.detail}`,
    ].join('\n') + '\n',
  );
  for (const { variable, message } of configWarnings(config, ctx.registry))
    ctx.out.write(`warning: ${variable}: ${message}\n`);
  return database.ok && configured > 0 ? EXIT.ok : EXIT.config;
}

export function addConfigCommands(program: Command, ctx: CliContext, done: (code: number) => void): void {
  const config = program.command('config').description('check the configuration');
  config
    .command('check')
    .description(
      'read every setting as start-up does: providers configured, the URL for each dashboard, whether the database answers',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 everything in order, 78 invalid configuration, no provider configured, or the database does not answer.',
    )
    .action(async () => done(await configCheck(ctx)));
}
