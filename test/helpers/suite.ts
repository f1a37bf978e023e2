import { OPEN_TIMEOUT_MS, openHarness, type DatabaseKind, type Harness, type HarnessOptions } from './harness';

/**
 * One harness for the enclosing describe: opened before its tests, closed after them. The returned
 * object forwards to it, so tests write `h.http()` as usual.
 */
export function suiteHarness(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await openHarness(kind, env, options);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => current?.close());
  return new Proxy({} as Harness, {
    get: (_target, key) => {
      if (!current) throw new Error('the suite harness is used before beforeAll opened it');
      return Reflect.get(current, key);
    },
  });
}
