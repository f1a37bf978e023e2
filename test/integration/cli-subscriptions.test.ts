import { createHmac } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Webhook } from 'standardwebhooks';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { Receiver } from '../helpers/receiver';
import { suiteHarness } from '../helpers/suite';
import { waitFor } from '../helpers/wait';
import { cliEnv, hookport, listen } from '../helpers/cli';

const ADMIN_TOKEN = 'cli-subscriptions-admin-token-0123456789abcdef';
const MISSING = '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11';

/** A terminal answering `answer` to the first question. */
function tty(answer: string): PassThrough {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  input.end(answer);
  return input;
}

describe.each(databaseKinds())('hookport subscriptions …, through the admin API of a running Hookport (%s)', (kind) => {
  const h = suiteHarness(kind, {
    ADMIN_TOKEN,
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_SWEEP_MS: '50',
    DELIVERY_RETRY_SCHEDULE: '100ms',
  });
  const receiver = new Receiver();
  let server: Awaited<ReturnType<typeof listen>>;
  let target: string;
  const env = () => cliEnv({ ADMIN_TOKEN });
  const subs = (args: string[], extra: Record<string, string> = {}, input?: PassThrough) =>
    hookport(['subscriptions', ...args], { ...env(), ...extra }, input);
  /** The server option, --url on every command (the destination is create's argument, update's --destination). */
  const at = () => ['--url', server.url];
  const atServer = at;
  /** `create` through the CLI; returns the id and the secret it printed. */
  const create = async (events: string, extra: string[] = []) => {
    const run = await subs(['create', target, '--events', events, ...extra, ...atServer()]);
    expect(run).toEqual({
      code: 0,
      out: expect.stringMatching(
        /^created subscription [0-9a-f-]{36}\nsigning secret: whsec_\S+\nStore this secret now/,
      ),
      err: '',
    });
    const id = /^created subscription (\S+)$/m.exec(run.out)![1]!;
    const secret = /^signing secret: (\S+)$/m.exec(run.out)![1]!;
    registerSecret('subscription secret', secret);
    return { id, secret, out: run.out };
  };

  beforeAll(async () => {
    server = await listen(h);
    target = await receiver.start();
    h.runtime.deliveryWorker.start();
  });
  afterAll(async () => {
    await server?.close();
    await receiver.close();
  });

  it('create prints the id and the secret once; a delivery verifies with standardwebhooks; list and secret show it', async () => {
    const { id, secret, out } = await create('message.*,lead.created', ['--description', 'the CRM']);
    expect(out).toContain(`hookport subscriptions secret ${id}`);
    expect(out.split(secret)).toHaveLength(2);
    const before = receiver.received.length;
    expect((await hookport(['send', 'twilio', 'sms.received', '--url', server.url], env())).code).toBe(0);
    await h.drain();
    await waitFor(
      async () => receiver.received.length,
      (n) => n > before,
    );
    const sent = receiver.received[before]!;
    expect((new Webhook(secret).verify(sent.body, sent.headers) as { type: string }).type).toBe('message.received');

    const table = await subs(['list', ...at()]);
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +KIND +URL +EVENT TYPES +STATE +DESCRIPTION$/);
    expect(lines.find((l) => l.startsWith(id))).toMatch(
      new RegExp(`^${id} +webhook +${target.replace(/[.]/g, '\\.')} +message\\.\\*,lead\\.created +enabled +the CRM$`),
    );
    expect(table.out).not.toContain(secret);
    const json = await subs(['list', '--json', ...at()]);
    expect(
      json.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toContainEqual(
      expect.objectContaining({ id, url: target, eventTypes: ['message.*', 'lead.created'], enabled: true }),
    );
    expect(await subs(['secret', id, ...at()])).toEqual({ code: 0, out: `secret: ${secret}\n`, err: '' });

    const rotated = await subs(['rotate-secret', id, ...at()]);
    expect(rotated.code).toBe(0);
    const fresh = /^new signing secret: (\S+)$/m.exec(rotated.out)![1]!;
    registerSecret('subscription secret', fresh);
    expect(fresh).not.toBe(secret);
    expect(
      (await subs(['secret', id, ...at()])).out.startsWith(
        `secret: ${fresh}\nprevious secret: ${secret} (also signs until `,
      ),
    ).toBe(true);
  });

  it('create --kind slack prints the id and no secret (Slack is not signed); list shows the kind and the URL masked', async () => {
    // An incoming-webhook URL is a credential: registered with the log scan, and never printed after create.
    const path = '/services/T0CLITEST/B0CLITEST/wwwwxxxxyyyyzzzz0000AbCd';
    registerSecret('slack webhook path', path);
    const run = await subs([
      'create',
      `${target}${path}`,
      '--events',
      'lead.created',
      '--kind',
      'slack',
      ...atServer(),
    ]);
    expect(run).toEqual({ code: 0, out: expect.stringMatching(/^created subscription [0-9a-f-]{36}\n$/), err: '' });
    const id = run.out.trim().split(' ').at(-1)!;
    const masked = `${target}/services/T…/B…/…`;
    const table = await subs(['list', ...at()]);
    expect(table.out.split('\n').find((l) => l.startsWith(id))).toMatch(
      new RegExp(`^${id} +slack +${masked.replace(/[.]/g, '\\.')} +lead\\.created +enabled`),
    );
    const json = await subs(['list', '--json', ...at()]);
    expect(
      json.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toContainEqual(expect.objectContaining({ id, kind: 'slack', url: masked }));
    const updated = await subs(['update', id, '--description', 'ops', ...atServer()]);
    expect(updated).toEqual({ code: 0, out: `updated ${id}: enabled, ${masked}, lead.created\n`, err: '' });
    for (const r of [table, json, updated]) expect(r.out).not.toContain('/services/T0');
    expect(await subs(['secret', id, ...at()])).toEqual({ code: 0, out: 'secret: - (Slack: unsigned)\n', err: '' });
    expect((await subs(['rotate-secret', id, ...at()])).code).toBe(64);
    expect((await subs(['delete', id, '--yes', ...at()])).code).toBe(0);
  });

  it('update changes the url, events and description; --disable shows in list, --enable clears it', async () => {
    const { id } = await create('lead.created');
    const disabled = await subs([
      'update',
      id,
      '--disable',
      '--events',
      'invoice.*,lead.*',
      '--description',
      'billing',
      ...atServer(),
    ]);
    expect(disabled).toEqual({
      code: 0,
      out: `updated ${id}: disabled (by an operator), ${target}, invoice.*,lead.*\n`,
      err: '',
    });
    expect((await subs(['list', ...at()])).out.split('\n').find((l) => l.startsWith(id))).toMatch(
      / invoice\.\*,lead\.\* +disabled \(by an operator\) +billing$/,
    );
    const enabled = await subs([
      'update',
      id,
      '--enable',
      '--description',
      '',
      '--destination',
      `${target}?v=2`,
      ...atServer(),
    ]);
    expect(enabled).toEqual({ code: 0, out: `updated ${id}: enabled, ${target}?v=2, invoice.*,lead.*\n`, err: '' });
    expect((await subs(['list', ...at()])).out.split('\n').find((l) => l.startsWith(id))).toMatch(/ enabled$/);
  });

  it('test sends webhook.test and prints the outcome; deliveries lists it (table, --status, --json); retry sends one again', async () => {
    const { id, secret } = await create('message.received');
    const before = receiver.received.length;
    const run = await subs(['test', id, ...at()]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /^event type: +webhook\.test\nstatus: +succeeded\nresponse status: 200\nduration: +\d+ms\ndelivery: +[0-9a-f-]{36}\n$/,
    );
    expect(receiver.received).toHaveLength(before + 1);
    const got = receiver.received[before]!;
    expect((new Webhook(secret).verify(got.body, got.headers) as { type: string }).type).toBe('webhook.test');

    const table = await subs(['deliveries', id, ...at()]);
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +TYPE +STATUS +ATTEMPTS +RESPONSE +DURATION +CREATED +NEXT ATTEMPT +LAST ERROR$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(1, 5))).toEqual([['webhook.test', 'succeeded', '1', '200']]);
    const deliveryId = lines[1]!.split(' ')[0]!;
    expect((await subs(['deliveries', id, '--status', 'dead', ...at()])).out).toBe('no deliveries\n');
    const json = await subs(['deliveries', id, '--json', '--limit', '1', ...at()]);
    expect(JSON.parse(json.out)).toEqual(
      expect.objectContaining({ id: deliveryId, eventType: 'webhook.test', status: 'succeeded', responseStatus: 200 }),
    );

    // A real event's delivery, once sent, is sent again by retry.
    expect((await hookport(['send', 'twilio', 'sms.received', '--url', server.url], env())).code).toBe(0);
    await h.drain();
    const sent = await waitFor(
      async () =>
        (await subs(['deliveries', id, '--json', '--status', 'succeeded', ...at()])).out
          .trimEnd()
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as { id: string; eventType: string }),
      (rows) => rows.some((r) => r.eventType === 'message.received'),
    );
    const real = sent.find((r) => r.eventType === 'message.received')!.id;
    const afterReal = receiver.received.length;
    expect(await subs(['retry', real, ...at()])).toEqual({ code: 0, out: `retrying ${real} (now pending)\n`, err: '' });
    await waitFor(
      async () => receiver.received.length,
      (n) => n > afterReal,
    );
    expect(new Webhook(secret).verify(receiver.received.at(-1)!.body, receiver.received.at(-1)!.headers)).toMatchObject(
      { type: 'message.received' },
    );

    receiver.answer(() => ({ status: 503, body: 'down' }));
    try {
      const failed = await subs(['test', id, ...at()]);
      expect(failed.code).toBe(1);
      expect(failed.out).toMatch(/^event type: +webhook\.test\nstatus: +dead\nresponse status: 503\n/);
    } finally {
      receiver.answer(() => ({ status: 200, body: 'ok' }));
    }
  });

  it('create --signing hmac-sha256 --secret --filter: the secret is not printed back; rotate-secret --secret takes effect at once', async () => {
    const own = 'cli-own-hmac-secret-0123456789abcdef';
    registerSecret('own subscription secret', own);
    const filter = '{"type":"message.received"}';
    const run = await subs([
      'create',
      target,
      '--types',
      'message.*',
      '--signing',
      'hmac-sha256',
      '--secret',
      own,
      '--filter',
      filter,
      ...atServer(),
    ]);
    expect(run.code).toBe(0);
    const id = /^created subscription (\S+)$/m.exec(run.out)![1]!;
    expect(run.out).toBe(
      `created subscription ${id}\n` +
        'signing secret: the one given with --secret; it verifies the X-Webhook-Signature header (sha256=<hex HMAC-SHA256 of the raw body>).\n' +
        `filter: ${filter} (only events whose body matches get a delivery)\n`,
    );
    expect(
      JSON.parse(
        (await subs(['list', '--json', ...at()])).out
          .trimEnd()
          .split('\n')
          .find((l) => l.includes(id))!,
      ),
    ).toMatchObject({
      id,
      signing: 'hmac-sha256',
      filter: { type: 'message.received' },
    });
    expect(await subs(['secret', id, ...at()])).toEqual({ code: 0, out: `secret: ${own}\n`, err: '' });

    const next = 'cli-next-hmac-secret-fedcba9876543210';
    registerSecret('own subscription secret', next);
    const rotated = await subs(['rotate-secret', id, '--secret', next, ...at()]);
    expect(rotated).toEqual({
      code: 0,
      out: 'new signing secret: the one given with --secret. It signs alone from now on (this signing mode carries one signature): switch your receiver to it now.\n',
      err: '',
    });
    expect(await subs(['secret', id, ...at()])).toEqual({ code: 0, out: `secret: ${next}\n`, err: '' });
    const refused = await subs(['rotate-secret', id, '--secret', 'short', ...at()]);
    expect(refused.code).toBe(64);
    expect(refused.err).toContain(
      'the server refused the request: body: secret: an hmac-sha256 secret is 24 to 256 characters',
    );
    const generated = await subs(['rotate-secret', id, ...at()]);
    expect(generated.out).toMatch(
      /^new signing secret: [0-9a-f]{64}\nStore it now where your receiver reads it\. It signs alone from now on/,
    );
    registerSecret('subscription secret', /^new signing secret: (\S+)$/m.exec(generated.out)![1]!);

    // A test send is signed with the current secret, in the subscription's mode.
    const current = /^secret: (\S+)$/m.exec((await subs(['secret', id, ...at()])).out)![1]!;
    const before = receiver.received.length;
    expect((await subs(['test', id, '--type', 'message.received', ...at()])).code).toBe(0);
    const got = receiver.received[before]!;
    expect(got.headers['x-webhook-signature']).toBe(
      `sha256=${createHmac('sha256', current).update(got.body).digest('hex')}`,
    );

    for (const [args, message] of [
      [
        ['create', target, '--events', '*', '--signing', 'hmac-sha1'],
        '--signing must be one of standard-webhooks, hmac-sha256, hmac-sha256-hex',
      ],
      [['create', target, '--events', '*', '--secret', ''], '--secret is empty'],
      [
        ['create', `${target}/services/x`, '--events', '*', '--kind', 'slack', '--signing', 'hmac-sha256'],
        'Slack messages are not signed',
      ],
      [
        [
          'create',
          target,
          '--events',
          '*',
          '--signing',
          'standard-webhooks',
          '--secret',
          'not-a-whsec-secret-at-all-12345',
        ],
        'body: secret: a standard-webhooks secret is "whsec_"',
      ],
      [['create', target], 'give the event types'],
    ] as const) {
      const bad = await subs([...args, ...atServer()]);
      expect([args, bad.code, bad.out]).toEqual([args, 64, '']);
      expect(bad.err).toContain(message);
      expect(bad.err).not.toContain('not-a-whsec-secret-at-all-12345');
    }
  });

  it('delete needs --yes without a terminal (exit 64), asks on one, and deletes', async () => {
    const { id } = await create('lead.created');
    const refused = await subs(['delete', id, ...at()]);
    expect(refused.code).toBe(64);
    expect(refused.err).toContain('stdin is not a terminal; add --yes to confirm');
    const declined = await subs(['delete', id, ...at()], {}, tty('n\n'));
    expect(declined.code).toBe(1);
    expect(declined.out).toBe(
      `Delete subscription ${id} (${target}), whose unsent deliveries will then never be sent? [y/N] `,
    );
    expect(declined.err).toBe('not deleted\n');
    expect((await subs(['list', '--json', ...at()])).out).toContain(id);
    const asked = await subs(['delete', id, ...at()], {}, tty('y\n'));
    expect(asked.code).toBe(0);
    expect(asked.out).toMatch(new RegExp(`\\[y/N\\] deleted ${id}\n$`));
    expect((await subs(['list', '--json', ...at()])).out).not.toContain(id);
    const { id: other } = await create('lead.created');
    expect(await subs(['delete', other, '--yes', ...at()])).toEqual({ code: 0, out: `deleted ${other}\n`, err: '' });
    expect((await subs(['delete', other, '--yes', ...at()])).code).toBe(1);
  });

  it('maps failures to exit codes: 401 → 1, 404 → 1, url_not_allowed → 64, no token → 78', async () => {
    const wrong = await subs(['list', ...at()], { ADMIN_TOKEN: 'wrong-admin-token-abcdefghijklmnopqrstuvwxyz' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("ADMIN_TOKEN does not match the server's");
    for (const args of [
      ['test', MISSING],
      ['deliveries', MISSING],
      ['secret', MISSING],
      ['rotate-secret', MISSING],
      ['delete', MISSING, '--yes'],
    ]) {
      expect(await subs([...args, ...at()])).toEqual({
        code: 1,
        out: '',
        err: `hookport: no such subscription: ${MISSING}\n`,
      });
    }
    expect(await subs(['update', MISSING, '--enable', ...atServer()])).toEqual({
      code: 1,
      out: '',
      err: `hookport: no such subscription: ${MISSING}\n`,
    });
    expect(await subs(['retry', MISSING, ...at()])).toEqual({
      code: 1,
      out: '',
      err: `hookport: no such delivery: ${MISSING}\n`,
    });
    const notAllowed = await subs(['create', 'ftp://example.com/hook', '--events', '*', ...atServer()]);
    expect(notAllowed.code).toBe(64);
    expect(notAllowed.err).toContain('url_not_allowed: only http and https URLs can be delivered to');
    const { ADMIN_TOKEN: _unset, ...noToken } = env();
    const unset = await hookport(['subscriptions', 'list', ...at()], noToken);
    expect(unset.code).toBe(78);
    for (const run of [wrong, notAllowed, unset]) expect(run.out + run.err).not.toContain(ADMIN_TOKEN);
  });
});
