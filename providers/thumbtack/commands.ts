import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type AuditBy, type Config, type Db, HookportError, type ProviderCommand } from '../../src/provider';
import { thumbtackWebhooks, type WebhookView } from './webhooks';

const USAGE = 64;
const NOT_CONFIGURED = 78;

/** Changes made from the command line: no client address. */
const CLI: AuditBy = { actor: 'cli', address: null };

/** A usage mistake: printed as is, exit 64. */
class UsageError extends Error {}

type Options = Record<string, string | boolean | undefined>;
type Out = NodeJS.WritableStream;
type Service = ReturnType<typeof thumbtackWebhooks>;

const business = { business: { type: 'string' } } as const;
const target = { ...business, webhook: { type: 'string' } } as const;
const settings = { url: { type: 'string' }, events: { type: 'string' } } as const;

function format(webhook: WebhookView): string {
  const state = webhook.enabled ? 'enabled' : 'disabled';
  const here = webhook.pointsHere ? '  (points here)' : '';
  return (
    `${webhook.webhookId}  ${state}  auth=${webhook.authType ?? 'unknown'}  ${webhook.url ?? ''}${here}\n` +
    `    events: ${webhook.eventTypes.join(', ')}\n`
  );
}

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

const eventList = (value: string | boolean | undefined) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

const EXIT_OF: Partial<Record<string, number>> = { provider_not_configured: NOT_CONFIGURED, invalid_request: USAGE };

/**
 * Parses the flags and runs the action on the shared webhook service (the admin API's); every
 * failure becomes one clear line and an exit code.
 */
function command(
  summary: string,
  flags: ParseArgsConfig['options'],
  action: (webhooks: Service, options: Options, out: Out) => Promise<void>,
): ProviderCommand {
  return {
    summary,
    needsDatabase: true,
    async run(args, { config, db }: { config: Config; db: Db }, out) {
      try {
        let options: Options;
        try {
          options = parseArgs({ args, options: flags, strict: true, allowPositionals: false }).values as Options;
        } catch (err) {
          throw new UsageError(`${(err as Error).message}\nusage: hookport thumbtack ${summary}`);
        }
        await action(thumbtackWebhooks(config, db), options, out);
        return 0;
      } catch (err) {
        if (err instanceof UsageError) {
          out.write(`hookport: ${err.message}\n`);
          return USAGE;
        }
        if (err instanceof HookportError) {
          out.write(`hookport: ${err.message}\n`);
          return EXIT_OF[err.code] ?? 1;
        }
        throw err;
      }
    },
  };
}

export const thumbtackCommands: Readonly<Record<string, ProviderCommand>> = {
  'webhooks list': command('webhooks list --business <businessID>', business, async (webhooks, options, out) => {
    const listed = await webhooks.list(required(options, 'business'));
    out.write(listed.length === 0 ? 'no webhooks\n' : listed.map(format).join(''));
  }),

  'webhooks create': command(
    'webhooks create --business <businessID> [--url <https://…>] [--events A,B] [--disabled]',
    { ...business, ...settings, disabled: { type: 'boolean' } },
    async (webhooks, options, out) => {
      const created = await webhooks.create(
        required(options, 'business'),
        {
          url: options.url as string | undefined,
          eventTypes: eventList(options.events),
          enabled: options.disabled !== true,
        },
        CLI,
      );
      out.write(`created\n${format(created)}`);
    },
  ),

  'webhooks update': command(
    'webhooks update --business <businessID> --webhook <webhookID> [--url <https://…>] [--events A,B] [--enable|--disable]',
    { ...target, ...settings, enable: { type: 'boolean' }, disable: { type: 'boolean' } },
    async (webhooks, options, out) => {
      if (options.enable && options.disable) throw new UsageError('pass --enable or --disable, not both');
      const updated = await webhooks.update(
        required(options, 'business'),
        required(options, 'webhook'),
        {
          url: options.url as string | undefined,
          eventTypes: eventList(options.events),
          enabled: options.enable ? true : options.disable ? false : undefined,
        },
        CLI,
      );
      out.write(`updated\n${format(updated)}`);
    },
  ),

  'webhooks delete': command(
    'webhooks delete --business <businessID> --webhook <webhookID>',
    target,
    async (webhooks, options, out) => {
      const webhookID = required(options, 'webhook');
      await webhooks.remove(required(options, 'business'), webhookID, CLI);
      out.write(`deleted ${webhookID}\n`);
    },
  ),
};
