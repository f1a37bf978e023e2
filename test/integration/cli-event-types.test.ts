import { providers } from '../../providers';
import { catalogueOf } from '../../src/events/catalogue';
import { cliEnv, hookport, listen } from '../helpers/cli';
import { suiteHarness } from '../helpers/suite';

/**
 * `hookport event-types list|show` against a running Hookport's admin API. The catalogue reads no
 * table, so one database (the embedded one) is enough.
 */

const ADMIN_TOKEN = 'cli-event-types-admin-token-0123456789abcdef';

describe('hookport event-types …, through the admin API of a running Hookport', () => {
  const h = suiteHarness('pglite', { ADMIN_TOKEN });
  const { entries } = catalogueOf(providers);
  let server: Awaited<ReturnType<typeof listen>>;
  const env = (extra: Record<string, string> = {}) => cliEnv({ ADMIN_TOKEN, ...extra });
  const run = (args: string[], extra: Record<string, string> = {}) =>
    hookport(['event-types', ...args, '--url', server.url], env(extra));
  beforeAll(async () => {
    server = await listen(h);
  });
  afterAll(() => server?.close());

  it('list prints type, provider, record kind and description, one line per type, cut to the width', async () => {
    const wide = await run(['list'], { COLUMNS: '1000' });
    expect(wide.code).toBe(0);
    const lines = wide.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TYPE +PROVIDER +RECORD KIND +DESCRIPTION$/);
    expect(lines).toHaveLength(entries.length + 1);
    const descriptionAt = lines[0]!.indexOf('DESCRIPTION');
    entries.forEach((e, i) => {
      const line = lines[i + 1]!;
      expect(line.split(/ +/).slice(0, 3)).toEqual([
        e.type,
        e.providers.length > 1 ? e.providers.join(',') : e.provider,
        e.recordKind ?? '-',
      ]);
      expect(line.slice(descriptionAt)).toBe(e.description.replace(/\s+/g, ' ').trim());
    });
    for (const width of ['80', '100']) {
      const narrow = await run(['list'], { COLUMNS: width });
      const rows = narrow.out.trimEnd().split('\n');
      expect(rows).toHaveLength(entries.length + 1);
      const at = rows[0]!.indexOf('DESCRIPTION');
      // Each line fits, unless the first three columns alone leave less than 20 for the description.
      for (const line of rows) expect(line.length).toBeLessThanOrEqual(Math.max(Number(width), at + 20));
      expect(rows.some((l) => l.endsWith('…'))).toBe(true);
    }
    const webhookTest = (await run(['list'], { COLUMNS: '80' })).out
      .split('\n')
      .find((l) => l.startsWith('webhook.test '));
    expect(webhookTest).toMatch(/^webhook\.test +hookport +- +A test event/);
  });

  it('list --json prints each type as one JSON object per line, as the API has it', async () => {
    const json = await run(['list', '--json']);
    expect(json.code).toBe(0);
    const rows = json.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(rows).toEqual(JSON.parse(JSON.stringify(entries)));
  });

  it('show prints the description, provider and record kind, then the schema and the example as pretty JSON', async () => {
    for (const type of ['webhook.test', 'contact.suppressed', entries.at(-1)!.type, entries[0]!.type]) {
      const entry = entries.find((e) => e.type === type)!;
      const shown = await run(['show', type]);
      expect(shown.code).toBe(0);
      expect(shown.err).toBe('');
      expect(shown.out).toContain(`type:         ${type}\n`);
      expect(shown.out).toContain(`record kind:  ${entry.recordKind ?? '-'}\n`);
      expect(shown.out).toContain(`description:  ${entry.description.replace(/\s+/g, ' ').trim()}\n`);
      expect(shown.out).toContain(
        `\nschema:\n${JSON.stringify(entry.schema, null, 2)}\n\nexample:\n${JSON.stringify(entry.example, null, 2)}\n`,
      );
    }
    expect((await run(['show', 'contact.suppressed'])).out).toMatch(
      /^type: +contact\.suppressed\nprovider: +\S.*\nrecord kind: +suppression\n/,
    );
  });

  it('an unknown type fails (exit 1) with the nearest names', async () => {
    const typo = await run(['show', 'webhook.tset']);
    expect(typo.code).toBe(1);
    expect(typo.out).toBe('');
    expect(typo.err).toMatch(/^hookport: no event type "webhook\.tset"; the nearest: webhook\.test/);
    const contact = await run(['show', 'contact.supressed']);
    expect(contact.code).toBe(1);
    expect(contact.err).toContain('the nearest: contact.suppressed');
    const odd = await run(['show', 'a/../b?c']);
    expect(odd.code).toBe(1);
    expect(odd.err).toContain('no event type "a/../b?c"');
  });

  it('maps failures to exit codes: wrong token 1, no token 78, nothing listening 1, no argument 64', async () => {
    const wrong = await run(['list'], { ADMIN_TOKEN: 'wrong-admin-token-abcdefghijklmnopqrstuvwxyz' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("ADMIN_TOKEN does not match the server's");
    const { ADMIN_TOKEN: _unset, ...noToken } = env();
    const unset = await hookport(['event-types', 'list', '--url', server.url], noToken);
    expect(unset.code).toBe(78);
    expect(unset.err).toContain('set ADMIN_TOKEN');
    const refused = await hookport(['event-types', 'show', 'webhook.test', '--url', 'http://127.0.0.1:9'], env());
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('cannot reach http://127.0.0.1:9');
    expect((await run(['show'])).code).toBe(64);
  });
});
