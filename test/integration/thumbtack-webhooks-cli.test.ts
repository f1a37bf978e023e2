import { unusedAdminApi } from '../helpers/cli';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Config } from '../../src/config/config';
import { runCli } from '../../src/cli';
import { createLogger } from '../../src/log/logger';
import { thumbtackCommands } from '../../providers/thumbtack/commands';
import { thumbtackSettings, type ThumbtackSettings } from '../../providers/thumbtack/settings';
import {
  createPostgresDatabase,
  databaseKinds,
  openHarness,
  postgresServerUrl,
  TEST_SECRETS,
  type Harness,
} from '../helpers/harness';
import { startFakeThumbtack, type FakeThumbtack } from '../fakes/thumbtack';

const BUSINESS = '590297085345701895';
const logger = createLogger('error', true);

/** Collects what a command prints. */
function output() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

describe.each(databaseKinds())('hookport thumbtack webhooks … against a fake Thumbtack API on %s', (kind) => {
  let fake: FakeThumbtack;
  let h: Harness;
  beforeAll(async () => {
    fake = await startFakeThumbtack({ businesses: [BUSINESS] });
    h = await openHarness(kind, { THUMBTACK_API_URL: fake.url, THUMBTACK_ACCESS_TOKEN: fake.token });
  });
  afterAll(async () => {
    await h.close();
    await fake.close();
  });
  beforeEach(() => fake.webhooks.clear());

  const printed: string[] = [];
  afterAll(() => {
    // Whatever a command printed, a credential never appears in it.
    for (const text of printed) {
      expect(text).not.toContain(fake.token);
      expect(text).not.toContain(TEST_SECRETS.thumbtackPassword);
    }
  });

  async function run(command: string, args: string[], config: Config = h.config) {
    const out = output();
    const code = await thumbtackCommands[command]!.run(
      args,
      { config, db: h.runtime.database.db, logger, adminApi: unusedAdminApi, input: process.stdin },
      out.stream,
    );
    printed.push(out.text());
    return { code, text: out.text() };
  }
  const withThumbtack = (patch: Partial<ThumbtackSettings>, top: Partial<Config> = {}): Config => ({
    ...h.config,
    ...top,
    providers: { ...h.config.providers, thumbtack: { ...thumbtackSettings.of(h.config), ...patch } },
  });

  it('create defaults to the public URL, leads + messages + reviews, enabled, and the configured Basic credentials', async () => {
    const { code, text } = await run('webhooks create', ['--business', BUSINESS]);
    expect(code).toBe(0);
    const [stored] = [...fake.webhooks.values()];
    expect(stored).toEqual({
      webhookID: expect.any(String),
      businessID: BUSINESS,
      webhookURL: 'https://hooks.example.com/webhooks/thumbtack',
      eventTypes: ['NegotiationCreatedV4', 'MessageCreatedV4', 'ReviewCreatedV4'],
      enabled: true,
      auth: { username: TEST_SECRETS.thumbtackUsername, password: TEST_SECRETS.thumbtackPassword },
    });
    expect(fake.requests.at(-1)).toMatchObject({
      authorization: `Bearer ${fake.token}`,
      contentType: 'application/json',
    });
    expect(text).toBe(
      `created\n${stored!.webhookID}  enabled  auth=Basic  https://hooks.example.com/webhooks/thumbtack  (points here)\n` +
        '    events: NegotiationCreatedV4, MessageCreatedV4, ReviewCreatedV4\n',
    );
  });

  it('records each change in the audit log as the CLI, without a credential', async () => {
    await h.rows(sql`delete from audit_log`);
    await run('webhooks create', ['--business', BUSINESS]);
    const [stored] = [...fake.webhooks.values()];
    await run('webhooks update', ['--business', BUSINESS, '--webhook', stored!.webhookID, '--disable']);
    await run('webhooks delete', ['--business', BUSINESS, '--webhook', stored!.webhookID]);
    const rows = await h.rows<{ actor: string; address: string | null; action: string; target: string }>(
      sql`select actor, address, action, target from audit_log order by at, id`,
    );
    expect(rows).toEqual(
      ['thumbtack.webhook_create', 'thumbtack.webhook_update', 'thumbtack.webhook_delete'].map((action) => ({
        actor: 'cli',
        address: null,
        action,
        target: stored!.webhookID,
      })),
    );
    const all = JSON.stringify(await h.rows(sql`select * from audit_log`));
    expect(all).not.toContain(TEST_SECRETS.thumbtackPassword);
    expect(all).not.toContain(fake.token);
  });

  it('create takes --url, --events and --disabled; list shows what exists', async () => {
    const created = await run('webhooks create', [
      '--business',
      BUSINESS,
      '--url',
      'https://other.example.com/webhooks/thumbtack',
      '--events',
      'MessageCreatedV4',
      '--disabled',
    ]);
    expect(created.code).toBe(0);
    const list = await run('webhooks list', ['--business', BUSINESS]);
    expect(list.code).toBe(0);
    expect(list.text).toMatch(
      /^\d+ {2}disabled {2}auth=Basic {2}https:\/\/other\.example\.com\/webhooks\/thumbtack\n {4}events: MessageCreatedV4\n$/,
    );
  });

  it('update changes only what it is given, and sends the credentials again', async () => {
    await run('webhooks create', ['--business', BUSINESS]);
    const [original] = [...fake.webhooks.values()];
    fake.webhooks.set(original!.webhookID, { ...original!, auth: null });
    const { code, text } = await run('webhooks update', [
      '--business',
      BUSINESS,
      '--webhook',
      original!.webhookID,
      '--disable',
      '--events',
      'ReviewCreatedV4',
    ]);
    expect(code).toBe(0);
    expect(fake.webhooks.get(original!.webhookID)).toEqual({
      ...original,
      enabled: false,
      eventTypes: ['ReviewCreatedV4'],
      auth: { username: TEST_SECRETS.thumbtackUsername, password: TEST_SECRETS.thumbtackPassword },
    });
    expect(text).toMatch(/^updated\n\d+ {2}disabled/);
    expect(fake.requests.slice(-2).map((r) => r.method)).toEqual(['GET', 'PUT']);
  });

  it('delete removes the webhook; list then says there are none', async () => {
    await run('webhooks create', ['--business', BUSINESS]);
    const [webhook] = [...fake.webhooks.values()];
    expect(await run('webhooks delete', ['--business', BUSINESS, '--webhook', webhook!.webhookID])).toEqual({
      code: 0,
      text: `deleted ${webhook!.webhookID}\n`,
    });
    expect(fake.webhooks.size).toBe(0);
    expect((await run('webhooks list', ['--business', BUSINESS])).text).toBe('no webhooks\n');
  });

  it("shows Thumbtack's errors with their status, exit code 1", async () => {
    const badToken = await run(
      'webhooks list',
      ['--business', BUSINESS],
      withThumbtack({ accessToken: 'tt_not_the_token' }),
    );
    expect(badToken).toEqual({
      code: 1,
      text: 'hookport: Thumbtack API answered 401: The access token provided in the authorization header is not valid\n',
    });
    const insecure = await run('webhooks create', [
      '--business',
      BUSINESS,
      '--url',
      'http://hooks.example.com/webhooks/thumbtack',
    ]);
    expect(insecure).toEqual({
      code: 1,
      text: 'hookport: Thumbtack API answered 400: webhookURL must match ^https://\n',
    });
    const missing = await run('webhooks delete', ['--business', BUSINESS, '--webhook', '1']);
    expect(missing).toEqual({ code: 1, text: 'hookport: Thumbtack API answered 404: webhook 1 not found\n' });
  });

  it('refuses bad usage (64) and missing configuration (78) before calling Thumbtack', async () => {
    const before = fake.requests.length;
    expect(await run('webhooks list', [])).toEqual({ code: 64, text: 'hookport: --business is required\n' });
    expect((await run('webhooks list', ['--business', BUSINESS, '--bogus'])).code).toBe(64);
    expect(
      (await run('webhooks update', ['--business', BUSINESS, '--webhook', '1', '--enable', '--disable'])).code,
    ).toBe(64);
    const noToken = await run('webhooks list', ['--business', BUSINESS], withThumbtack({ accessToken: undefined }));
    expect(noToken.code).toBe(78);
    expect(noToken.text).toMatch(/set THUMBTACK_ACCESS_TOKEN/);
    const noUrl = await run(
      'webhooks create',
      ['--business', BUSINESS],
      withThumbtack({}, { publicBaseUrl: undefined }),
    );
    expect(noUrl).toEqual({ code: 64, text: 'hookport: set PUBLIC_BASE_URL or give the webhook url\n' });
    const noCredentials = await run(
      'webhooks create',
      ['--business', BUSINESS],
      withThumbtack({ username: undefined, password: undefined }),
    );
    expect(noCredentials.code).toBe(78);
    expect(noCredentials.text).toMatch(/THUMBTACK_WEBHOOK_USERNAME and THUMBTACK_WEBHOOK_PASSWORD/);
    expect(fake.requests.length).toBe(before);
  });

  it('is reachable as `hookport thumbtack webhooks <command>` and listed in help', async () => {
    const pg = postgresServerUrl() ? await createPostgresDatabase() : undefined;
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATA_DIR: 'memory://',
      PUBLIC_BASE_URL: TEST_SECRETS.publicBaseUrl,
      THUMBTACK_API_URL: fake.url,
      THUMBTACK_ACCESS_TOKEN: fake.token,
      THUMBTACK_WEBHOOK_USERNAME: TEST_SECRETS.thumbtackUsername,
      THUMBTACK_WEBHOOK_PASSWORD: TEST_SECRETS.thumbtackPassword,
      LOG_LEVEL: 'error',
      ...(pg ? { DATABASE_URL: pg.url } : {}),
    });
    try {
      const created = output();
      expect(await runCli(['thumbtack', 'webhooks', 'create', '--business', BUSINESS], created.stream)).toBe(0);
      expect(created.text()).toMatch(/^created\n/);
      expect(fake.webhooks.size).toBe(1);
      const help = output();
      expect(await runCli(['help'], help.stream)).toBe(0);
      for (const name of ['list', 'create', 'update', 'delete']) {
        expect(help.text()).toContain(`hookport thumbtack webhooks ${name}`);
      }
      printed.push(created.text(), help.text());
    } finally {
      process.env = saved;
      await pg?.drop();
    }
  });
});
