import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config, ProviderCommand } from '../../src/provider';
import { DEFAULT_EVENT_TYPES, ThumbtackApiError, thumbtackApi, type ThumbtackApi, type ThumbtackWebhook } from './api';
import { thumbtackSettings } from './settings';

const USAGE = 64;
const NOT_CONFIGURED = 78;

/** A user-facing failure: printed as is, with its exit code. */
class CommandError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

type Options = Record<string, string | boolean | undefined>;
type Out = NodeJS.WritableStream;

const business = { business: { type: 'string' } } as const;
const target = { ...business, webhook: { type: 'string' } } as const;
const settings = { url: { type: 'string' }, events: { type: 'string' } } as const;

function format(webhook: ThumbtackWebhook): string {
  const state = webhook.enabled === false ? 'disabled' : 'enabled';
  return (
    `${webhook.webhookID}  ${state}  auth=${webhook.authType ?? 'unknown'}  ${webhook.webhookURL ?? ''}\n` +
    `    events: ${(webhook.eventTypes ?? []).join(', ')}\n`
  );
}

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new CommandError(`--${name} is required`, USAGE);
  return value;
}

const eventList = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The Basic credentials Hookport checks: a webhook with any others would only ever get 401s. */
function configuredAuth(config: Config) {
  const { username, password } = thumbtackSettings.of(config);
  if (!username || !password) {
    throw new CommandError(
      'set THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD first: Hookport refuses Thumbtack deliveries without them',
      NOT_CONFIGURED,
    );
  }
  return { username, password };
}

/** Parses the flags, builds the API client, and turns every failure into a clear line and exit code. */
function command(
  summary: string,
  flags: ParseArgsConfig['options'],
  action: (api: ThumbtackApi, options: Options, config: Config, out: Out) => Promise<void>,
): ProviderCommand {
  return {
    summary,
    async run(args, { config }, out) {
      try {
        let options: Options;
        try {
          options = parseArgs({ args, options: flags, strict: true, allowPositionals: false }).values as Options;
        } catch (err) {
          throw new CommandError(`${(err as Error).message}\nusage: hookport thumbtack ${summary}`, USAGE);
        }
        const { accessToken, apiUrl, password } = thumbtackSettings.of(config);
        if (!accessToken) {
          throw new CommandError(
            'set THUMBTACK_ACCESS_TOKEN (an OAuth access token with supply::webhooks scopes)',
            NOT_CONFIGURED,
          );
        }
        const api = thumbtackApi({ baseUrl: apiUrl, accessToken, secrets: password ? [password] : [] });
        await action(api, options, config, out);
        return 0;
      } catch (err) {
        if (err instanceof CommandError) {
          out.write(`hookport: ${err.message}\n`);
          return err.code;
        }
        if (err instanceof ThumbtackApiError) {
          out.write(`hookport: ${err.message}\n`);
          return 1;
        }
        throw err;
      }
    },
  };
}

export const thumbtackCommands: Readonly<Record<string, ProviderCommand>> = {
  'webhooks list': command('webhooks list --business <businessID>', business, async (api, options, _config, out) => {
    const webhooks = await api.listWebhooks(required(options, 'business'));
    out.write(webhooks.length === 0 ? 'no webhooks\n' : webhooks.map(format).join(''));
  }),

  'webhooks create': command(
    'webhooks create --business <businessID> [--url <https://…>] [--events A,B] [--disabled]',
    { ...business, ...settings, disabled: { type: 'boolean' } },
    async (api, options, config, out) => {
      const url =
        (options.url as string | undefined) ?? (config.publicBaseUrl && `${config.publicBaseUrl}/webhooks/thumbtack`);
      if (!url) throw new CommandError('set PUBLIC_BASE_URL or pass --url', USAGE);
      const created = await api.createWebhook(required(options, 'business'), {
        webhookURL: url,
        eventTypes: options.events ? eventList(options.events as string) : [...DEFAULT_EVENT_TYPES],
        enabled: options.disabled !== true,
        auth: configuredAuth(config),
      });
      out.write(`created\n${format(created)}`);
    },
  ),

  'webhooks update': command(
    'webhooks update --business <businessID> --webhook <webhookID> [--url <https://…>] [--events A,B] [--enable|--disable]',
    { ...target, ...settings, enable: { type: 'boolean' }, disable: { type: 'boolean' } },
    async (api, options, config, out) => {
      if (options.enable && options.disable) throw new CommandError('pass --enable or --disable, not both', USAGE);
      const businessID = required(options, 'business');
      const webhookID = required(options, 'webhook');
      // The update replaces the webhook's settings, so start from what Thumbtack has now, and send the
      // credentials again: Thumbtack never returns the password, and a webhook without it only gets 401s.
      const auth = configuredAuth(config);
      const current = await api.getWebhook(businessID, webhookID);
      const updated = await api.updateWebhook(businessID, webhookID, {
        webhookURL: (options.url as string | undefined) ?? current.webhookURL ?? '',
        eventTypes: options.events ? eventList(options.events as string) : (current.eventTypes ?? []),
        enabled: options.enable ? true : options.disable ? false : current.enabled !== false,
        auth,
      });
      out.write(`updated\n${format(updated)}`);
    },
  ),

  'webhooks delete': command(
    'webhooks delete --business <businessID> --webhook <webhookID>',
    target,
    async (api, options, _config, out) => {
      const webhookID = required(options, 'webhook');
      await api.deleteWebhook(required(options, 'business'), webhookID);
      out.write(`deleted ${webhookID}\n`);
    },
  ),
};
