import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storeConnection } from '../../providers/thumbtack/oauth/tokens';
import { ADMIN_TOKEN, csrfOf, signIn } from '../helpers/console';
import { sql } from 'drizzle-orm';
import { cliEnv, hookport, type CliRun } from '../helpers/cli';
import {
  createPostgresDatabase,
  databaseKinds,
  OPEN_TIMEOUT_MS,
  openHarness,
  TEST_SECRETS,
  type Harness,
} from '../helpers/harness';
import { startFakeThumbtack, type FakeThumbtack } from '../fakes/thumbtack';

const [OURS, FOREIGN, NO_AUTH, ELSEWHERE] = ['1001', '1002', '1003', '1004'];
const HERE = 'https://hooks.example.com/webhooks/thumbtack';

function webhook(
  fake: FakeThumbtack,
  id: string,
  businessID: string,
  url: string,
  auth: { username: string; password: string } | null,
) {
  fake.webhooks.set(id, {
    webhookID: id,
    businessID,
    webhookURL: url,
    eventTypes: ['NegotiationCreatedV4'],
    enabled: true,
    auth,
  });
}

describe.each(databaseKinds())('the Thumbtack setup check on %s', (kind) => {
  let fake: FakeThumbtack;
  let h: Harness;
  beforeAll(async () => {
    fake = await startFakeThumbtack({ businesses: [OURS!, FOREIGN!, NO_AUTH!, ELSEWHERE!] });
    h = await openHarness(kind, { ADMIN_TOKEN, THUMBTACK_API_URL: fake.url, THUMBTACK_ACCESS_TOKEN: fake.token });
    // A connected account (its token is the fake's) with four businesses.
    const businesses = [OURS!, FOREIGN!, NO_AUTH!, ELSEWHERE!].map((businessId) => ({
      businessId,
      name: `Biz ${businessId}`,
    }));
    await storeConnection(
      h.config,
      h.runtime.database.db,
      { accessToken: fake.token, refreshToken: null, expiresAt: null },
      businesses,
    );
    const created = await h
      .http()
      .post('/admin/api/thumbtack/webhooks')
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({ businessId: OURS });
    expect(created.status).toBe(201);
    webhook(fake, '77', FOREIGN!, HERE, { username: 'old-receiver', password: 'their-own-password' });
    webhook(fake, '78', NO_AUTH!, HERE, null);
    webhook(fake, '79', ELSEWHERE!, 'https://old-receiver.example.com/thumbtack', { username: 'x', password: 'y' });
  });
  afterAll(async () => {
    await h.close();
    await fake.close();
  });

  it('GET /admin/api/thumbtack/setup: each connected business, flagging one that points here with other credentials', async () => {
    const res = await h
      .http()
      .get('/admin/api/thumbtack/setup')
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(200);
    const ours = [...fake.webhooks.values()].find((w) => w.businessID === OURS)!;
    expect(res.body).toEqual({
      tokenSource: 'connected account',
      businesses: [
        {
          businessId: OURS,
          name: `Biz ${OURS}`,
          state: 'ok',
          webhookId: ours.webhookID,
          message: `webhook ${ours.webhookID} points here with Hookport's credentials`,
        },
        {
          businessId: FOREIGN,
          name: `Biz ${FOREIGN}`,
          state: 'other_credentials',
          webhookId: '77',
          message: expect.stringMatching(
            /^webhook 77 points here with credentials Hookport did not set .*every delivery gets 401/,
          ),
        },
        {
          businessId: NO_AUTH,
          name: `Biz ${NO_AUTH}`,
          state: 'no_credentials',
          webhookId: '78',
          message: expect.stringMatching(
            /^webhook 78 points here without Basic credentials \(auth None\): every delivery gets 401/,
          ),
        },
        {
          businessId: ELSEWHERE,
          name: `Biz ${ELSEWHERE}`,
          state: 'not_here',
          webhookId: null,
          message: `no webhook points here (${HERE}): create one`,
        },
      ],
    });
    expect(res.text).not.toContain(TEST_SECRETS.thumbtackPassword);
  });

  it('the console page says which token is used and shows each business with its setup', async () => {
    const page = await h
      .http()
      .get('/admin/providers/thumbtack/webhooks')
      .set('cookie', await signIn(h));
    expect(page.status).toBe(200);
    expect(page.text).toContain('API token: the connected account (THUMBTACK_ACCESS_TOKEN is set too and is not used)');
    for (const [business, state] of [
      [OURS, 'ok'],
      [FOREIGN, 'other_credentials'],
      [NO_AUTH, 'no_credentials'],
      [ELSEWHERE, 'not_here'],
    ])
      expect(page.text).toContain(`data-business="${business}" data-setup="${state}"`);
    expect(page.text).toContain('Disconnect');
    expect(page.text).not.toContain(fake.token);
    expect(page.text).not.toContain(TEST_SECRETS.thumbtackPassword);
  });

  it("the console's Disconnect deletes the tokens, is audited as the console's, and the page falls back to THUMBTACK_ACCESS_TOKEN", async () => {
    const cookie = await signIn(h);
    const url = '/admin/providers/thumbtack/webhooks';
    const page = await h.http().get(url).set('cookie', cookie);
    const res = await h
      .http()
      .post(url)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrfOf(page.text), op: 'disconnect', confirmed: 'yes' });
    expect(res.status).toBeLessThan(400);
    expect(await h.rows(sql`select access_token, refresh_token from thumbtack_connection`)).toEqual([
      { access_token: null, refresh_token: null },
    ]);
    expect(await h.rows(sql`select actor, action from audit_log where action = 'thumbtack.disconnect'`)).toEqual([
      { actor: 'console', action: 'thumbtack.disconnect' },
    ]);
    const after = await h.http().get(url).set('cookie', cookie);
    expect(after.text).toContain('API token: THUMBTACK_ACCESS_TOKEN (no account connected)');
    expect(after.text).not.toContain('>Disconnect<');
  });
});

describe.each(databaseKinds())('hookport config check, Thumbtack lines, on %s', (kind) => {
  let fake: FakeThumbtack;
  let dataDir: string;
  let drop: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  const runs: CliRun[] = [];
  beforeAll(async () => {
    fake = await startFakeThumbtack({ businesses: [OURS!] });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookport-thumbtack-setup-'));
    const pg = kind === 'postgres' ? await createPostgresDatabase() : undefined;
    drop = pg?.drop;
    env = cliEnv({
      ...(pg ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir }),
      THUMBTACK_API_URL: fake.url,
      THUMBTACK_ACCESS_TOKEN: fake.token,
    });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    for (const run of runs) {
      expect(run.out + run.err).not.toContain(fake.token);
      expect(run.out + run.err).not.toContain(TEST_SECRETS.thumbtackPassword);
    }
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
    await fake.close();
  });
  const run = async (argv: string[], extra: Record<string, string> = {}) => {
    const done = await hookport(argv, { ...env, ...extra });
    runs.push(done);
    return done;
  };

  it(
    "names the token in use, and says whether the business's webhook points here with Hookport's credentials",
    async () => {
      const fresh = await run(['config', 'check']);
      expect(fresh.out).toContain(
        '  thumbtack: no tables yet: start Hookport once (it creates them), then check again\n',
      );
      // A command that opens the database migrates it, as start-up does; config check never does.
      expect((await run(['thumbtack', 'webhooks', 'list', '--business', OURS!])).out).toBe('no webhooks\n');
      const before = await run(['config', 'check']);
      expect(before.out).toContain('  thumbtack: API token: THUMBTACK_ACCESS_TOKEN (no account connected)\n');
      expect(before.out).toContain(
        '  thumbtack: no connected business, and no webhook registered through Hookport yet\n',
      );

      expect((await run(['thumbtack', 'webhooks', 'create', '--business', OURS!])).code).toBe(0);
      const id = [...fake.webhooks.keys()][0]!;
      const after = await run(['config', 'check']);
      expect(after.code).toBe(0);
      expect(after.out).toContain(
        `  thumbtack: business ${OURS}: webhook ${id} points here with Hookport's credentials\n`,
      );

      // The password changed since: Thumbtack still sends the old one, so every delivery gets 401.
      const changed = await run(['config', 'check'], { THUMBTACK_WEBHOOK_PASSWORD: 'a-new-password-9f8e7d6c5b4a3' });
      expect(changed.out).toContain(
        `  thumbtack: business ${OURS}: warning: webhook ${id} points here with credentials Hookport did not set`,
      );
      expect(changed.out).not.toContain('a-new-password-9f8e7d6c5b4a3');
    },
    OPEN_TIMEOUT_MS,
  );
});
