import { cachedFor } from '../../src/http/cached';
import { deferred } from '../helpers/wait';

describe('cachedFor', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  it('shares one call among callers at the same time, and reuses its result for ttlMs', async () => {
    let calls = 0;
    const gate = deferred();
    const get = cachedFor(
      5000,
      async () => {
        calls++;
        await gate.promise;
        return calls;
      },
      now,
    );
    const together = [get(), get(), get()];
    gate.resolve();
    expect(await Promise.all(together)).toEqual([1, 1, 1]);
    clock += 4999;
    expect(await get()).toBe(1);
    clock += 1;
    expect(await get()).toBe(2);
    expect(calls).toBe(2);
  });

  it('with ttlMs 0, shares only the call in flight', async () => {
    let calls = 0;
    const get = cachedFor(0, async () => ++calls, now);
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    expect(await get()).toBe(2);
  });

  it('keeps no failure: the next caller tries again', async () => {
    let calls = 0;
    const get = cachedFor(
      5000,
      async () => {
        if (++calls === 1) throw new Error('database down');
        return 'figures';
      },
      now,
    );
    await expect(get()).rejects.toThrow('database down');
    expect(await get()).toBe('figures');
  });
});
