import { retryAfterMs, throttleDelayMs } from './throttle';

describe('Jobber throttle delay', () => {
  it('waits for the missing points at the restore rate, plus a margin', () => {
    const cost = {
      requestedQueryCost: 1042,
      throttleStatus: { maximumAvailable: 10000, currentlyAvailable: 42, restoreRate: 500 },
    };
    expect(throttleDelayMs(cost)).toBe(2000 + 100);
  });

  it('waits only the margin when enough points are already back', () => {
    expect(
      throttleDelayMs({ requestedQueryCost: 10, throttleStatus: { currentlyAvailable: 50, restoreRate: 500 } }),
    ).toBe(100);
  });

  it('caps the wait at a minute', () => {
    expect(
      throttleDelayMs({ requestedQueryCost: 10_000_000, throttleStatus: { currentlyAvailable: 0, restoreRate: 1 } }),
    ).toBe(60_000);
  });

  it('falls back to a few seconds without the cost extension', () => {
    expect(throttleDelayMs(undefined)).toBe(5000);
    expect(throttleDelayMs({ requestedQueryCost: 10, throttleStatus: { currentlyAvailable: 0, restoreRate: 0 } })).toBe(
      5000,
    );
  });

  it('honours Retry-After on a 429', () => {
    expect(retryAfterMs('3')).toBe(3100);
    expect(retryAfterMs(null)).toBe(5000);
    expect(retryAfterMs('soon')).toBe(5000);
  });
});
