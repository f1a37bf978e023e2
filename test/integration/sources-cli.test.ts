import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { runCli } from '../../src/cli';
import { cliEnv, listen } from '../helpers/cli';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { suiteHarness } from '../helpers/suite';

const ADMIN_TOKEN = 'sources-cli-admin-token-6e1b9c4f0a7d2e58';
const PASSWORD = 'sources-cli-basic-password-93ac';
const HMAC_SECRET = 'sources-cli-hmac-secret-1f7d';
registerSecret('source secret', PASSWORD);
registerSecret('source secret', HMAC_SECRET);

type Stdin = PassThrough & { isTTY?: boolean };

/** A stdin holding `text`: a pipe, or (`tty`) a terminal where it is what the operator types. */
function stdinOf(text: string, tty = false): Stdin {
  const input: Stdin = Object.assign(new PassThrough(), tty ? { isTTY: true } : {});
  input.end(text);
  return input;
}

describe.each(databaseKinds())('hookport sources …, through the admin API of a running Hookport (%s)', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN });
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen(h);
  });
  afterAll(() => server?.close());

  /** `hookport sources <args…> --url <server>` in this process, its stdin `input`. */
  async function sources(args: string[], input: Stdin = stdinOf('')) {
    const out = new PassThrough();
    const err = new PassThrough();
    let outText = '';
    let errText = '';
    out.on('data', (c: Buffer) => (outText += c.toString('utf8')));
    err.on('data', (c: Buffer) => (errText += c.toString('utf8')));
    const env = cliEnv({ ADMIN_TOKEN, LOG_LEVEL: 'error' });
    const code = await runCli(['sources', ...args, '--url', server.url], out, { err, env, input });
    return { code, out: outText, err: errText };
  }

  it('create reads the secret from stdin, prints the URL to paste; list shows it; delete asks, or takes --yes', async () => {
    const created = await sources(
      ['create', 'forms', '--type', 'basic', '--username', 'forms', '--event-type-path', 'form.id'],
      stdinOf(`${PASSWORD}\n`),
    );
    expect(created).toEqual({
      code: 0,
      out: 'created source forms (basic, enabled)\nURL to paste into the sender: https://hooks.example.com/webhooks/sources/forms\n',
      err: '',
    });
    // The password read from stdin is the one the source verifies with.
    const basic = `Basic ${Buffer.from(`forms:${PASSWORD}`).toString('base64')}`;
    const post = await h
      .http()
      .post('/webhooks/sources/forms')
      .set('authorization', basic)
      .send({ form: { id: 'x' } });
    expect(post.status).toBe(200);

    const generated = await sources(['create', 'hooks', '--type', 'standard-webhooks', '--description', 'the CRM']);
    expect(generated.code).toBe(0);
    const secret = /^secret: (whsec_\S+)$/m.exec(generated.out)?.[1];
    expect(secret).toBeDefined();
    registerSecret('generated source secret', secret!);
    expect(generated.out).toContain('URL to paste into the sender: https://hooks.example.com/webhooks/sources/hooks\n');
    expect(generated.out).toContain('Hookport never shows it again');

    const list = await sources(['list']);
    expect(list.code).toBe(0);
    expect(list.out.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^NAME +KIND +STATE +URL$/),
      expect.stringMatching(/^forms +basic +enabled +https:\/\/hooks\.example\.com\/webhooks\/sources\/forms$/),
      expect.stringMatching(
        /^hooks +standard-webhooks +enabled +https:\/\/hooks\.example\.com\/webhooks\/sources\/hooks$/,
      ),
    ]);
    expect(list.out).not.toContain(secret);
    expect(list.out).not.toContain(PASSWORD);

    const unasked = await sources(['delete', 'forms']);
    expect(unasked.code).toBe(64);
    expect(unasked.out).toContain('add --yes');
    const declined = await sources(['delete', 'forms'], stdinOf('n\n', true));
    expect(declined.code).toBe(1);
    expect(declined.out).toContain('not deleted');
    const confirmed = await sources(['delete', 'forms'], stdinOf('y\n', true));
    expect(confirmed).toMatchObject({ code: 0, out: expect.stringContaining('deleted source forms\n') });
    expect((await sources(['delete', 'hooks', '--yes'])).code).toBe(0);
    expect(await h.rows(sql`select name from sources`)).toEqual([]);
    const gone = await sources(['delete', 'forms', '--yes']);
    expect(gone).toMatchObject({ code: 1, out: expect.stringContaining('no source named "forms"') });

    const audit = await h.rows<{ actor: string; action: string }>(
      sql`select actor, action from audit_log where action like 'source.%' order by at, id`,
    );
    expect(audit.map((e) => e.action)).toEqual([
      'source.created',
      'source.created',
      'source.deleted',
      'source.deleted',
    ]);
  });

  it('update takes a preset with its secret from --secret-file, and --disable; the file is never echoed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hookport-sources-'));
    const file = path.join(dir, 'secret');
    writeFileSync(file, `${HMAC_SECRET}\n`, { mode: 0o600 });
    expect(
      (await sources(['create', 'gh', '--preset', 'github', '--description', ''], stdinOf(HMAC_SECRET))).code,
    ).toBe(0);
    const updated = await sources(['update', 'gh', '--preset', 'github', '--secret-file', file, '--disable']);
    expect(updated.code).toBe(0);
    expect(updated.out).toMatch(/^updated source gh \(hmac \(github\), disabled\)\n/);
    expect(updated.out).not.toContain(HMAC_SECRET);
    const shown = await h.http().get('/admin/api/sources/gh').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(shown.body).toMatchObject({ enabled: false, dedupeHeader: 'X-GitHub-Delivery' });
    expect((await sources(['update', 'gh', '--description', 'code', '--enable'])).code).toBe(0);
    const described = await h.http().get('/admin/api/sources/gh').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(described.body).toMatchObject({ enabled: true, description: 'code' });
    expect((await sources(['update', 'gh', '--description', '', '--dedupe-header', ''])).code).toBe(0);
    const cleared = await h.http().get('/admin/api/sources/gh').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(cleared.body).toMatchObject({ description: null, dedupeHeader: null, secretCount: 1 });
    await sources(['delete', 'gh', '--yes']);
  });

  it.each([
    [['create', 'x'], /choose how requests are verified/],
    [['create', 'x', '--type', 'none'], /--type is one of standard-webhooks, hmac, basic, bearer/],
    [['create', 'x', '--type', 'hmac', '--username', 'u'], /--username does not apply to hmac/],
    [['create', 'x', '--type', 'bearer'], /the token is missing: pipe it to stdin/],
    [['create', 'x', '--preset', 'github', '--type', 'hmac'], /--preset or --type, not both/],
    [['update', 'x'], /nothing to change/],
    [['create', 'x', '--secret', 'on-the-command-line'], /Unknown option '--secret'/],
  ])('%j is bad usage (64) with a clear line', async (args, message) => {
    const run = await sources(args);
    expect(run.code).toBe(64);
    expect(run.out).toMatch(message);
    expect(run.out).toContain('usage: hookport sources');
  });

  it('a refusal of the server is one line: a bad name (64), a taken one (1)', async () => {
    const bad = await sources(['create', 'Bad_Name', '--type', 'standard-webhooks']);
    expect(bad.code).toBe(64);
    expect(bad.err).toMatch(/^hookport: the server refused the request: body: name: a source name is 1 to 40/);
    expect((await sources(['create', 'twice', '--type', 'standard-webhooks'])).code).toBe(0);
    const taken = await sources(['create', 'twice', '--type', 'standard-webhooks']);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('already exists');
    await sources(['delete', 'twice', '--yes']);
  });
});
