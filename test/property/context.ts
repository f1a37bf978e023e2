import { PROVIDER_TEST_ENV } from '../helpers/test-secrets';
import { loadConfig } from '../helpers/config';
import { MAX_KEY_BYTES } from '../../src/inbox/storable-key';

/** Every provider configured with the test secrets, as the harness configures them. */
export const config = loadConfig({
  DATA_DIR: 'memory://',
  ...PROVIDER_TEST_ENV,
});

/** Runs `run`; if it throws, the error must be an instance of one of `declared` (else it is rethrown). */
export async function throwsOnly(
  declared: readonly (abstract new (...args: never[]) => Error)[],
  run: () => unknown,
): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!declared.some((type) => err instanceof type)) throw err;
  }
}

/**
 * Text PostgreSQL stores as it is, judged independently of the code under test: no NUL, and its
 * UTF-8 decodes back to the same string (so no lone surrogate).
 */
export const storesAsIs = (text: string): boolean =>
  !text.includes('\u0000') && Buffer.from(text, 'utf8').toString('utf8') === text;

/** A key that also fits a btree index. */
export const isStorableKey = (key: string): boolean =>
  storesAsIs(key) && Buffer.byteLength(key, 'utf8') <= MAX_KEY_BYTES;

/** Every string in `value` (object keys included), at any depth, that PostgreSQL would not store as it is. */
export function unstorableStrings(value: unknown): string[] {
  const found: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (!storesAsIs(item)) found.push(item);
    } else if (item !== null && typeof item === 'object' && !(item instanceof Date) && !Buffer.isBuffer(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (!storesAsIs(key)) found.push(key);
        pending.push(child);
      }
    }
  }
  return found;
}
