import { mapLimited } from '../../src/worker/map-limited';

describe('mapLimited', () => {
  it('keeps the order of the items and never has more than the limit pending', async () => {
    let pending = 0;
    let most = 0;
    const results = await mapLimited([50, 10, 30, 5, 20, 1, 15], 3, async (ms) => {
      pending++;
      most = Math.max(most, pending);
      await new Promise((r) => setTimeout(r, ms));
      pending--;
      return ms * 2;
    });
    expect(results).toEqual([100, 20, 60, 10, 40, 2, 30]);
    expect(most).toBe(3);
  });

  it('handles no items and a limit above the count', async () => {
    expect(await mapLimited([], 4, async (x: number) => x)).toEqual([]);
    expect(await mapLimited([1, 2], 16, async (x) => x + 1)).toEqual([2, 3]);
  });
});
