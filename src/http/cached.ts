/**
 * Wraps `load` so that callers at the same time share one call, and a result is reused for `ttlMs`
 * after it arrives (0: shared while in flight only). A failure is not kept: the next caller retries.
 */
export function cachedFor<T>(ttlMs: number, load: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let current: Promise<T> | undefined;
  let settledAt: number | undefined;
  return () => {
    if (current && (settledAt === undefined || now() - settledAt < ttlMs)) return current;
    const call: Promise<T> = load().then(
      (value) => {
        settledAt = now();
        return value;
      },
      (err: unknown) => {
        if (current === call) current = undefined;
        throw err;
      },
    );
    current = call;
    settledAt = undefined;
    return call;
  };
}
