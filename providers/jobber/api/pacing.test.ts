import { CostPacer, FIRST_PAGE_SIZE, MAX_PAGE_SIZE } from './pacing';

/** Jobber's bucket as a pure simulation: a query is charged its requested cost, or throttled. */
function simulate(options: { maximum: number; restoreRate: number; perRecord: number; records: number }) {
  const pacer = new CostPacer();
  let now = 0;
  let available = options.maximum;
  let at = 0;
  let left = options.records;
  let throttled = 0;
  let lowest = Infinity;
  const sizes: number[] = [];
  while (left > 0) {
    now += pacer.waitMs('client', now);
    available = Math.min(options.maximum, available + ((now - at) / 1000) * options.restoreRate);
    at = now;
    const first = pacer.pageSize('client');
    const requested = 1 + first * options.perRecord;
    const status = { maximumAvailable: options.maximum, restoreRate: options.restoreRate };
    if (requested > available) {
      throttled++;
      pacer.throttled('client');
      pacer.observe(
        'client',
        { requestedQueryCost: requested, throttleStatus: { ...status, currentlyAvailable: available } },
        first,
        now,
      );
      now += 1000;
      continue;
    }
    available -= requested;
    lowest = Math.min(lowest, available);
    sizes.push(first);
    left -= first;
    pacer.observe(
      'client',
      {
        requestedQueryCost: requested,
        actualQueryCost: requested,
        throttleStatus: { ...status, currentlyAvailable: available },
      },
      first,
      now,
    );
    now += 50; // the round trip
  }
  return { seconds: now / 1000, throttled, lowest, sizes };
}

describe('CostPacer', () => {
  it('takes what the bucket restores, is never throttled, and leaves a fifth of the bucket for webhooks', () => {
    const run = simulate({ maximum: 10_000, restoreRate: 500, perRecord: 10, records: 5_000 });
    expect(run.throttled).toBe(0);
    // 50,000 points at 500 a second, less the full bucket it started with: about 80 s, not much more.
    expect(run.seconds).toBeGreaterThan(75);
    expect(run.seconds).toBeLessThan(95);
    expect(run.lowest).toBeGreaterThanOrEqual(10_000 * 0.2 - 1);
    expect(run.sizes[0]).toBe(FIRST_PAGE_SIZE);
    expect(Math.max(...run.sizes)).toBeLessThanOrEqual(MAX_PAGE_SIZE);
  });

  it('sizes pages so that one costs at most a quarter of the bucket', () => {
    const run = simulate({ maximum: 10_000, restoreRate: 500, perRecord: 250, records: 200 });
    expect(run.throttled).toBe(0);
    const costs = run.sizes.slice(1).map((n) => 1 + n * 250);
    expect(Math.max(...costs)).toBeLessThanOrEqual(2_500);
    expect(Math.min(...costs)).toBeGreaterThan(2_000);
  });

  it('halves a page after a throttle (points spent elsewhere), then sizes by cost again', () => {
    const pacer = new CostPacer();
    pacer.observe(
      'job',
      {
        requestedQueryCost: 201,
        throttleStatus: { maximumAvailable: 10_000, currentlyAvailable: 9_000, restoreRate: 500 },
      },
      100,
      0,
    );
    expect(pacer.pageSize('job')).toBe(100);
    pacer.throttled('job');
    expect(pacer.pageSize('job')).toBe(50);
    expect(pacer.pageSize('client')).toBe(FIRST_PAGE_SIZE); // each list has its own cost
  });

  it('without a cost extension it neither waits nor resizes', () => {
    const pacer = new CostPacer();
    pacer.observe('client', undefined, 20, 0);
    expect(pacer.waitMs('client', 0)).toBe(0);
    expect(pacer.pageSize('client')).toBe(FIRST_PAGE_SIZE);
  });
});
