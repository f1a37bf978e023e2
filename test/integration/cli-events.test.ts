import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/harness';
import { suiteHarness } from '../helpers/suite';
import { cliEnv, hookport, listen } from '../helpers/cli';

const ADMIN_TOKEN = 'cli-events-admin-token-0123456789abcdef';
const ID = /^[0-9a-f-]{36}$/;

describe.each(databaseKinds())('hookport events …, through the admin API of a running Hookport (%s)', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN });
  let server: Awaited<ReturnType<typeof listen>>;
  const env = () => cliEnv({ ADMIN_TOKEN });
  const events = (args: string[], extra: Record<string, string> = {}) =>
    hookport(['events', ...args, '--url', server.url], { ...env(), ...extra });
  beforeAll(async () => {
    server = await listen(h);
    for (const [provider, event] of [
      ['resend', 'email.delivered'],
      ['resend', 'email.bounced'],
      ['thumbtack', 'MessageCreatedV4'],
    ]) {
      expect((await hookport(['send', provider!, event!, '--url', server.url], env())).code).toBe(0);
    }
    await h.drain();
  });
  afterAll(() => server?.close());

  it('list prints a table, newest first, and JSON lines with --json; filters pass through', async () => {
    const table = await events(['list']);
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +PROVIDER +TYPE +STATUS +ATTEMPTS +RECEIVED +LAST ERROR$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(1, 4))).toEqual([
      ['thumbtack', 'MessageCreatedV4', 'processed'],
      ['resend', 'email.bounced', 'processed'],
      ['resend', 'email.delivered', 'processed'],
    ]);
    const json = await events(['list', '--json', '--provider', 'resend', '--type', 'email.bounced']);
    expect(json.code).toBe(0);
    const rows = json.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(ID),
        provider: 'resend',
        eventType: 'email.bounced',
        status: 'processed',
        attempts: 1,
      }),
    ]);
    expect((await events(['list', '--status', 'dead'])).out).toBe('no events\n');
    expect((await events(['list', '--since', new Date(Date.now() + 60_000).toISOString()])).out).toBe('no events\n');
  });

  it('list follows nextCursor only while --limit asks for more than it has', async () => {
    const one = await events(['list', '--json', '--limit', '1']);
    expect(one.out.trimEnd().split('\n')).toHaveLength(1);
    const all = await events(['list', '--json', '--limit', '500']);
    expect(all.out.trimEnd().split('\n')).toHaveLength(3);
  });

  it('show prints the summary, the stored (redacted) headers, canonical events, and the body pretty-printed', async () => {
    const [row] = await h.rows<{ id: string }>(
      sql`select id from webhook_events where event_type = 'MessageCreatedV4'`,
    );
    const run = await events(['show', row!.id]);
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      `id:          ${row!.id}\nprovider:    thumbtack\ntype:        MessageCreatedV4\nstatus:      processed\n`,
    );
    expect(run.out).toContain('  authorization: [redacted]\n');
    expect(run.out).toMatch(/canonical events:\n {2}message\.received {2}\S+ {2}[0-9a-f-]{36}\n/);
    expect(run.out).toMatch(/body:\n\{\n {2}"event": \{\n {4}"eventType": "MessageCreatedV4",/);
  });

  it('replay queues one event again, or every match; --dry-run only counts', async () => {
    const [row] = await h.rows<{ id: string }>(sql`select id from webhook_events where event_type = 'email.delivered'`);
    expect(await events(['replay', row!.id])).toEqual({
      code: 0,
      out: `replaying ${row!.id} (now pending)\n`,
      err: '',
    });
    const dry = await events(['replay', '--status', 'processed', '--provider', 'resend', '--dry-run']);
    expect(dry).toEqual({ code: 0, out: 'matched 1 (dry run: nothing replayed)\n', err: '' });
    expect((await events(['replay', '--status', 'dead'])).out).toBe('matched 0, replayed 0\n');
    const bulk = await events(['replay', '--provider', 'thumbtack', '--since', '2000-01-01T00:00:00Z']);
    expect(bulk).toEqual({ code: 0, out: 'matched 1, replayed 1\n', err: '' });
    expect(await h.drain()).toEqual(['processed', 'processed']);
  });

  it('maps failures to exit codes: wrong token 1, no such event 1, no token 78, nothing listening 1', async () => {
    const wrong = await events(['list'], { ADMIN_TOKEN: 'wrong-admin-token-abcdefghijklmnopqrstuvwxyz' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("ADMIN_TOKEN does not match the server's");
    const missing = await events(['show', '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11']);
    expect(missing).toEqual({
      code: 1,
      out: '',
      err: 'hookport: no such event: 0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11\n',
    });
    expect((await events(['replay', '0b7c4b39-4c52-4b8f-9a3a-5b0f2f7f0c11'])).code).toBe(1);
    const { ADMIN_TOKEN: _unset, ...noToken } = env();
    const unset = await hookport(['events', 'list', '--url', server.url], noToken);
    expect(unset.code).toBe(78);
    expect(unset.err).toContain('set ADMIN_TOKEN');
    const refused = await hookport(['events', 'list', '--url', 'http://127.0.0.1:9'], env());
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('is Hookport running at http://127.0.0.1:9?');
    // Nothing it printed holds the token.
    for (const run of [wrong, missing, unset, refused]) expect(run.out + run.err).not.toContain(ADMIN_TOKEN);
  });
});
