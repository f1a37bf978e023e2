import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { coreEnv } from '../../src/config/config';

/**
 * .env.example says each variable's default in words ("… (default 256).") above a commented
 * example line; those words must match the defaults Hookport really applies.
 */
describe('.env.example', () => {
  const text = readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
  const defaults = z.object(coreEnv).parse({}) as Record<string, unknown>;
  const stated = [...text.matchAll(/\(default (true|false|\d+)(?![\w.])[^)]*\)\.?\n# ([A-Z_]+)=/g)].map(([, value, name]) => ({
    name: name!,
    value: value!,
  }));

  it('states plain defaults for the core variables', () => {
    expect(stated.filter(({ name }) => name in defaults).length).toBeGreaterThan(15);
  });

  it.each(stated.filter(({ name }) => name in defaults))('$name: the stated default ($value) is the real one', ({ name, value }) => {
    expect(String(defaults[name])).toBe(value);
  });
});
