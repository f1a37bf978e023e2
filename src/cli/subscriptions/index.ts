import type { Command } from 'commander';
import { targetUrl, type CliContext } from '../context';
import { adminClient } from '../events/admin-client';
import { MAX_LIMIT } from '../events/list';
import { SIGNING_MODES } from '../../db/tables/deliveries';
import { listDeliveries, retryDelivery, testSend, type DeliveriesOptions, type TestOptions } from './deliveries';
import { FILTER_EXAMPLE, PAYLOAD_EXAMPLE } from './format';
import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  rotateSecret,
  showSecret,
  updateSubscription,
  type CreateOptions,
  type UpdateOptions,
} from './manage';

const URL_HELP = 'the running Hookport (default http://127.0.0.1:$PORT)';
const EXIT_HELP =
  '\nUses the admin API with ADMIN_TOKEN from the environment.\n' +
  'Exit codes: 0 done, 1 failed (no answer, wrong token, no such subscription), 64 bad usage (a refused URL, an unknown event type, bad JSON, a secret the mode cannot use), 78 ADMIN_TOKEN not set.';
const TYPES_HELP =
  'comma-separated event types: lead.created,message.*,* … (each a catalogue type, *, or a prefix.* matching one)';
const FILTER_HELP = `a content filter, JSON (or @file.json) in Hookdeck's syntax, matched against the event body: only matching events get a delivery, e.g. '${FILTER_EXAMPLE}'`;
const SECRET_HELP =
  'your own signing secret instead of a generated one: whsec_ + base64 of 24-64 bytes (standard-webhooks), or 24-256 printable ASCII characters (HMAC modes)';

type Url = { url?: string };

/** `hookport subscriptions …`: outbound delivery subscriptions, through a running Hookport's admin API. */
export function addSubscriptionsCommands(program: Command, ctx: CliContext, done: (code: number) => void): void {
  const group = program
    .command('subscriptions')
    .description(
      'outbound deliveries: subscriptions, their secrets, test sends and delivery logs (through the admin API)',
    );
  const client = (url: string | undefined) => () => adminClient(targetUrl(url, ctx.env), ctx.env);

  group
    .command('list')
    .description(
      'every subscription, newest first: a table (id, kind, url, event types, state, description), or JSON lines with --json',
    )
    .option('--json', 'one JSON object per line')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (options: { json?: boolean } & Url) =>
      done(await listSubscriptions(ctx, client(options.url), options)),
    );

  group
    .command('create')
    .description('subscribe a destination URL to event types; prints the id and the signing secret')
    .argument(
      '<destination>',
      'where deliveries are POSTed (http or https; a Slack incoming-webhook URL with --kind slack)',
    )
    .option('--events <types>', TYPES_HELP)
    .option('--types <types>', 'the same as --events')
    .option('--kind <kind>', 'webhook (signed, the default) or slack')
    .option(
      '--signing <mode>',
      `how webhook deliveries are signed: ${SIGNING_MODES.join(', ')} (default standard-webhooks, recommended)`,
    )
    .option('--secret <secret>', SECRET_HELP)
    .option('--filter <json>', FILTER_HELP)
    .option('--description <text>', 'a note for operators')
    .option('--url <url>', URL_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  hookport subscriptions create https://example.com/hooks --events lead.created,invoice.*\n' +
        `  hookport subscriptions create https://legacy.example.com/hook --events message.status_changed --signing hmac-sha256 --secret "$SECRET" --filter '${FILTER_EXAMPLE}'\n${EXIT_HELP}`,
    )
    .action(async (destination: string, options: Omit<CreateOptions, 'destination'> & Url) =>
      done(await createSubscription(ctx, client(options.url), { ...options, destination })),
    );

  group
    .command('update')
    .description('change the url, event types, filter, description, or enable/disable (enabling sends what waited)')
    .argument('<id>', 'the subscription id')
    .option('--destination <url>', 'a new destination URL')
    .option('--events <types>', 'new comma-separated event types (replace the old ones)')
    .option('--types <types>', 'the same as --events')
    .option('--filter <json>', `a new content filter (replaces the old one): ${FILTER_HELP}`)
    .option('--no-filter', 'remove the filter: every event of its types is delivered')
    .option('--enable', 'enable it (clears the disabled reason)')
    .option('--disable', 'disable it (deliveries wait until it is enabled)')
    .option('--description <text>', 'a new note ("" clears it)')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: UpdateOptions & Url) =>
      done(await updateSubscription(ctx, client(options.url), id, options)),
    );

  group
    .command('delete')
    .description('delete a subscription (asks first on a terminal); its unsent deliveries are never sent')
    .argument('<id>', 'the subscription id')
    .option('-y, --yes', 'do not ask (required when stdin is not a terminal)')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: { yes?: boolean } & Url) =>
      done(await deleteSubscription(ctx, client(options.url), id, options)),
    );

  group
    .command('test')
    .description(
      "send a test event now, signed in the subscription's mode; prints the outcome, the response status and the duration (exit 1 unless 2xx)",
    )
    .argument('<id>', 'the subscription id')
    .option(
      '--type <type>',
      'the event type to send (a catalogue type: hookport event-types list); default webhook.test',
    )
    .option(
      '--payload <json>',
      `the event's data.object, a JSON object (or @file.json), instead of the catalogue example's, e.g. '${PAYLOAD_EXAMPLE}'`,
    )
    .option('--url <url>', URL_HELP)
    .addHelpText(
      'after',
      `\nExample:\n  hookport subscriptions test <id> --type lead.created --payload '${PAYLOAD_EXAMPLE}'\n${EXIT_HELP}`,
    )
    .action(async (id: string, options: TestOptions & Url) =>
      done(await testSend(ctx, client(options.url), id, options)),
    );

  group
    .command('deliveries')
    .description("a subscription's deliveries, newest first: a table, or JSON lines with --json")
    .argument('<id>', 'the subscription id')
    .option('--status <status>', 'pending, delivering, succeeded, failed or dead')
    .option('--limit <n>', `how many (1-${MAX_LIMIT}, default 50)`)
    .option('--json', 'one JSON object per line')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: DeliveriesOptions & Url) =>
      done(await listDeliveries(ctx, client(options.url), id, options)),
    );

  group
    .command('secret')
    .description('print the signing secret (and the previous one while a rotation overlaps)')
    .argument('<id>', 'the subscription id')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: Url) => done(await showSecret(ctx, client(options.url), id)));

  group
    .command('rotate-secret')
    .description(
      'a new signing secret; in standard-webhooks mode deliveries are signed with both for DELIVERY_SECRET_OVERLAP, in the HMAC modes the new one signs alone at once',
    )
    .argument('<id>', 'the subscription id')
    .option('--secret <secret>', SECRET_HELP)
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: { secret?: string } & Url) =>
      done(await rotateSecret(ctx, client(options.url), id, options)),
    );

  group
    .command('retry')
    .description('send a delivery again now (a dead one too), with a fresh attempt count')
    .argument('<deliveryId>', 'the delivery id (from hookport subscriptions deliveries)')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (deliveryId: string, options: Url) =>
      done(await retryDelivery(ctx, client(options.url), deliveryId)),
    );
}
