import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { providers } from '../../providers';

const SRC = join(__dirname, '..', '..', 'src');

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
    const names = Object.keys(providers);
    expect(names.length).toBeGreaterThan(0);
    const mentions = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          names
            .filter((name) => new RegExp(`\\b${name}\\b`, 'i').test(line))
            .map((name) => `${relative(SRC, file)}:${i + 1} names ${name}`),
        ),
    );
    expect(mentions).toEqual([]);
  });

  it('only the composition root (src/installed.ts) imports the providers; the core is handed the registry', () => {
    const importers = sourceFiles(SRC)
      .filter((file) => /from '(\.\.\/)+providers(\/|')/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(importers).toEqual(['installed.ts']);
  });
});
