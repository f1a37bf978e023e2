import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { providers } from '../../providers';
import { SUBSCRIPTION_KINDS } from '../../src/db/tables/deliveries';

const SRC = join(__dirname, '..', '..', 'src');

/**
 * Provider names the core may still say: a provider that is also a kind of subscription destination
 * (the core posts to Slack's incoming webhooks, and Slack calls Hookport as a provider) is named
 * by the core for the destination, which is the core's own.
 */
const DESTINATION_KINDS: readonly string[] = SUBSCRIPTION_KINDS;

/** The registered provider names the core must never say. */
const unsayable = (names: readonly string[]) => names.filter((name) => !DESTINATION_KINDS.includes(name));

/** Each line of `text` that names one of `names`, as `<label>:<line> names <name>`. */
function mentionsIn(label: string, text: string, names: readonly string[]): string[] {
  return text
    .split('\n')
    .flatMap((line, i) =>
      names
        .filter((name) => new RegExp(`\\b${name}\\b`, 'i').test(line))
        .map((name) => `${label}:${i + 1} names ${name}`),
    );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the registry is the only list of providers', () => {
  it('no file under src/ names a registered provider, in code or comments', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    const names = unsayable(Object.keys(providers));
    expect(names).toContain('twilio');
    const mentions = files.flatMap((file) => mentionsIn(relative(SRC, file), readFileSync(file, 'utf8'), names));
    expect(mentions).toEqual([]);
  });

  it('exempts only a name that is also a destination kind, and still catches the others', () => {
    expect(unsayable(['twilio', 'slack', 'acme'])).toEqual(['twilio', 'acme']);
    expect(mentionsIn('x.ts', 'ok\n// posts to Twilio here', unsayable(['twilio', 'slack']))).toEqual([
      'x.ts:2 names twilio',
    ]);
  });

  it('only the composition root (src/installed.ts) imports the providers; the core is handed the registry', () => {
    const importers = sourceFiles(SRC)
      .filter((file) => /from '(\.\.\/)+providers(\/|')/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(importers).toEqual(['installed.ts']);
  });
});
