import { DeferError } from '../../../src/provider';

/**
 * Runs a Jobber query, waiting out its throttling: on a DeferError (THROTTLED, 429) `wait` is
 * given the delay Jobber's numbers ask for, then the query is sent again, at most `maxWaits`
 * times in a row. Commands and imports may wait like this; the worker defers its event instead.
 */
export async function patiently<T>(
  query: () => Promise<T>,
  wait: (delayMs: number) => Promise<unknown>,
  maxWaits: number,
): Promise<T> {
  for (let waits = 0; ; waits++) {
    try {
      return await query();
    } catch (err) {
      if (!(err instanceof DeferError) || waits >= maxWaits) throw err;
      await wait(err.delayMs);
    }
  }
}
