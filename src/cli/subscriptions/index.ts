import type { Command } from 'commander';
import { targetUrl, type CliContext } from '../context';
import { adminClient } from '../events/admin-client';
import { MAX_LIMIT } from '../events/list';
import { listDeliveries, retryDelivery, testSend, type DeliveriesOptions } from './deliveries';
import { createSubscription, deleteSubscription, listSubscriptions, rotateSecret, showSecret, updateSubscription, type CreateOptions, type UpdateOptions } from './manage';

const URL_HELP = 'the running Hookport (default http://127.0.0.1:$PORT)';
const EXIT_HELP =
  '\nUses the admin API with ADMIN_TOKEN from the environment.\n' +
  'Exit codes: 0 done, 1 failed (no answer, wrong token, no such subscription), 64 bad usage (refused URL included), 78 ADMIN_TOKEN not set.';

type Url = { url?: string };

/** `hookport subscriptions …`: outbound delivery subscriptions, through a running Hookport's admin API. */
export function addSubscriptionsCommands(program: Command, ctx: CliContext, done: (code: number) => void): void {
  const group = program.command('subscriptions').description('outbound deliveries: subscriptions, their secrets, test sends and delivery logs (through the admin API)');
  const client = (url: string | undefined) => () => adminClient(targetUrl(url, ctx.env), ctx.env);

  group
    .command('list')
    .description('every subscription, newest first: a table (id, kind, url, event types, state, description), or JSON lines with --json')
    .option('--json', 'one JSON object per line')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (options: { json?: boolean } & Url) => done(await listSubscriptions(ctx, client(options.url), options)));

  group
    .command('create')
    .description('subscribe a destination URL to event types; prints the id and the signing secret')
    .argument('<destination>', 'where deliveries are POSTed (http or https; a Slack incoming-webhook URL with --kind slack)')
    .requiredOption('--events <types>', 'comma-separated event types: lead.created,message.*,* …')
    .option('--kind <kind>', 'webhook (signed, the default) or slack')
    .option('--description <text>', 'a note for operators')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', `\nExample:\n  hookport subscriptions create https://example.com/hooks --events lead.created,invoice.*\n${EXIT_HELP}`)
    .action(async (destination: string, options: Omit<CreateOptions, 'destination'> & Url) =>
      done(await createSubscription(ctx, client(options.url), { ...options, destination })),
    );

  group
    .command('update')
    .description('change the url, event types, description, or enable/disable (enabling sends what waited)')
    .argument('<id>', 'the subscription id')
    .option('--destination <url>', 'a new destination URL')
    .option('--events <types>', 'new comma-separated event types (replace the old ones)')
    .option('--enable', 'enable it (clears the disabled reason)')
    .option('--disable', 'disable it (deliveries wait until it is enabled)')
    .option('--description <text>', 'a new note ("" clears it)')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: UpdateOptions & Url) => done(await updateSubscription(ctx, client(options.url), id, options)));

  group
    .command('delete')
    .description('delete a subscription (asks first on a terminal); its unsent deliveries are never sent')
    .argument('<id>', 'the subscription id')
    .option('-y, --yes', 'do not ask (required when stdin is not a terminal)')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: { yes?: boolean } & Url) => done(await deleteSubscription(ctx, client(options.url), id, options)));

  group
    .command('test')
    .description('send a webhook.test event now; prints the outcome, the response status and the duration (exit 1 unless 2xx)')
    .argument('<id>', 'the subscription id')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: Url) => done(await testSend(ctx, client(options.url), id)));

  group
    .command('deliveries')
    .description("a subscription's deliveries, newest first: a table, or JSON lines with --json")
    .argument('<id>', 'the subscription id')
    .option('--status <status>', 'pending, delivering, succeeded, failed or dead')
    .option('--limit <n>', `how many (1-${MAX_LIMIT}, default 50)`)
    .option('--json', 'one JSON object per line')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: DeliveriesOptions & Url) => done(await listDeliveries(ctx, client(options.url), id, options)));

  group
    .command('secret')
    .description('print the signing secret (and the previous one while a rotation overlaps)')
    .argument('<id>', 'the subscription id')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: Url) => done(await showSecret(ctx, client(options.url), id)));

  group
    .command('rotate-secret')
    .description('a new signing secret; for DELIVERY_SECRET_OVERLAP deliveries are signed with both')
    .argument('<id>', 'the subscription id')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, options: Url) => done(await rotateSecret(ctx, client(options.url), id)));

  group
    .command('retry')
    .description('send a delivery again now (a dead one too), with a fresh attempt count')
    .argument('<deliveryId>', 'the delivery id (from hookport subscriptions deliveries)')
    .option('--url <url>', URL_HELP)
    .addHelpText('after', EXIT_HELP)
    .action(async (deliveryId: string, options: Url) => done(await retryDelivery(ctx, client(options.url), deliveryId)));
}
