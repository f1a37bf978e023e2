import { LogSampler } from '../../src/log/sampler';

describe('log sampler', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('lets perSecond lines through each second, and tells once how many it left out', () => {
    const omitted: number[] = [];
    const sampler = new LogSampler(3, (n) => omitted.push(n));
    const first = Array.from({ length: 10 }, () => sampler.admit());
    expect(first).toEqual([true, true, true, false, false, false, false, false, false, false]);
    expect(omitted).toEqual([]);
    jest.advanceTimersByTime(1000);
    expect(omitted).toEqual([7]);
    expect([sampler.admit(), sampler.admit()]).toEqual([true, true]);
    jest.advanceTimersByTime(5000);
    expect(omitted).toEqual([7]);
  });
});
