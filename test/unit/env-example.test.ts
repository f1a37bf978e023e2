import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { providers } from '../../providers';
import { coreEnv } from '../../src/config/config';
import { bodyLimitEnv } from '../../src/contract/body-limits';

const ROOT = path.join(__dirname, '../..');
const envExample = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
const configurationDoc = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');

/** Every variable the code reads: the core's, then each registered provider's own. */
const settings = [
  ...Object.keys(coreEnv).map((name) => ({ name, from: 'the core (src/config)' })),
  ...Object.values(providers).flatMap((provider) =>
    Object.keys(provider.settings.env).map((name) => ({ name, from: `providers/${provider.name}/settings.ts` })),
  ),
  ...Object.keys(bodyLimitEnv(Object.values(providers))).map((name) => ({ name, from: 'src/contract/body-limits.ts' })),
];
const settingNames = new Set(settings.map(({ name }) => name));

/** The variables docs/configuration.md's tables document: the backticked names in a row's first cell. */
const documented = configurationDoc
  .split('\n')
  .filter((line) => line.startsWith('|') && !/^\|\s*:?-+/.test(line))
  .map((line) => line.split('|')[1] ?? '')
  .flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));

/** The variables .env.example lists, as `NAME=` or commented out as `# NAME=`. */
const listed = [...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);

describe('every setting is documented', () => {
  it('reads the core and every provider', () => {
    expect(settings.length).toBeGreaterThan(40);
    // Every provider that declares variables (sources have none: each is a row).
    for (const provider of Object.values(providers).filter((p) => Object.keys(p.settings.env).length > 0)) {
      expect(settings.some(({ from }) => from.includes(`/${provider.name}/`))).toBe(true);
    }
  });

  it.each(settings)('$name (from $from) has a row in docs/configuration.md', ({ name }) => {
    expect(documented).toContain(name);
  });

  it.each(settings)('$name (from $from) is in .env.example', ({ name }) => {
    expect(listed).toContain(name);
  });

  it.each([...new Set(documented)])('%s, documented in docs/configuration.md, is read by the code', (name) => {
    expect(settingNames.has(name)).toBe(true);
  });

  it.each([...new Set(listed)])('%s, listed in .env.example, is read by the code', (name) => {
    expect(settingNames.has(name)).toBe(true);
  });

  it('documents each variable in one row', () => {
    const repeated = documented.filter((name, i) => documented.indexOf(name) !== i);
    expect(repeated).toEqual([]);
  });
});

/**
 * .env.example says each variable's default in words ("… (default 256).") above a commented
 * example line; those words must match the defaults Hookport really applies.
 */
describe('.env.example', () => {
  const defaults = z.object(coreEnv).parse({}) as Record<string, unknown>;
  const stated = [...envExample.matchAll(/\(default (true|false|\d+)(?![\w.])[^)]*\)\.?\n# ([A-Z_]+)=/g)].map(
    ([, value, name]) => ({
      name: name!,
      value: value!,
    }),
  );

  it('states plain defaults for the core variables', () => {
    expect(stated.filter(({ name }) => name in defaults).length).toBeGreaterThan(15);
  });

  it.each(stated.filter(({ name }) => name in defaults))(
    '$name: the stated default ($value) is the real one',
    ({ name, value }) => {
      expect(String(defaults[name])).toBe(value);
    },
  );
});
