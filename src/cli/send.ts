import type { Command } from 'commander';
import type { AnyProvider } from '../contract/provider';
import { configOf, targetUrl, type CliContext } from './context';
import { CliError, EXIT } from './exit-codes';
import { request } from './http';

const withSamples = (ctx: CliContext): AnyProvider[] => Object.values(ctx.registry).filter((p) => p.samples);

/** Every sample, one `<provider> <event>` per line. */
function sampleList(ctx: CliContext): string {
  return withSamples(ctx)
    .flatMap((p) => Object.keys(p.samples!).map((event) => `${p.name} ${event}\n`))
    .join('');
}

function chooseSample(ctx: CliContext, providerName: string | undefined, event: string | undefined) {
  if (!providerName || !event) {
    throw new CliError(
      `give a provider and an event, e.g. hookport send <provider> <event>; the samples are:\n${sampleList(ctx)}`,
      EXIT.usage,
    );
  }
  const provider = withSamples(ctx).find((p) => p.name === providerName);
  if (!provider) {
    const names = withSamples(ctx)
      .map((p) => p.name)
      .join(', ');
    throw new CliError(`no samples for provider "${providerName}"; providers: ${names}`, EXIT.usage);
  }
  const build = Object.hasOwn(provider.samples!, event) ? provider.samples![event] : undefined;
  if (!build) {
    throw new CliError(
      `no sample "${event}" for ${provider.name}; its events: ${Object.keys(provider.samples!).join(', ')}`,
      EXIT.usage,
    );
  }
  return { provider, build };
}

/** Builds the sample, signs it with the configured secret, posts it, prints the answer. */
async function send(
  ctx: CliContext,
  providerName: string | undefined,
  event: string | undefined,
  args: string[],
  options: { url?: string; list?: boolean },
) {
  if (options.list) {
    ctx.out.write(sampleList(ctx));
    return EXIT.ok;
  }
  const { provider, build } = chooseSample(ctx, providerName, event);
  const baseUrl = targetUrl(options.url, ctx.env);
  const config = configOf(ctx);
  if (!provider.createVerifier(config)) {
    throw new CliError(
      `${provider.name} is not configured: set ${provider.requiredEnv} (the same as the server's)`,
      EXIT.config,
    );
  }
  const sample = build({ config, baseUrl, args });
  const url = `${baseUrl}${sample.path}`;
  ctx.out.write(`POST ${url} (${provider.name} ${event})\n`);
  const response = await request(url, { method: 'POST', headers: sample.headers, body: sample.body }, baseUrl);
  const text = await response.text();
  ctx.out.write(`${response.status} ${response.statusText}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}`);
  return response.ok ? EXIT.ok : EXIT.failed;
}

export function addSendCommand(program: Command, ctx: CliContext, done: (code: number) => void): void {
  program
    .command('send')
    .description('post a realistic sample webhook, signed with the configured secret as the provider signs it')
    .argument('[provider]', 'the provider, e.g. one listed by --list')
    .argument('[event]', 'the event type, as --list shows it')
    .argument('[args...]', 'what the sample takes, for one that takes something (e.g. the text of a command)')
    .option('--url <url>', 'the running Hookport (default http://127.0.0.1:$PORT)')
    .option('--list', 'list every provider and event there is a sample for')
    .addHelpText(
      'after',
      '\nExit codes: 0 answered 2xx, 1 any other answer or no answer, 64 bad usage, 78 provider not configured.',
    )
    .action(
      async (
        providerName: string | undefined,
        event: string | undefined,
        args: string[],
        options: { url?: string; list?: boolean },
      ) => done(await send(ctx, providerName, event, args, options)),
    );
}
