export interface FailureLimits {
  /** Failures one address may have in a window. */
  perAddress: number;
  /** Failures all addresses together may have in a window (Infinity: no overall limit). */
  overall: number;
  windowMs: number;
}

interface Window {
  start: number;
  count: number;
}

/**
 * Counts failures per client address and overall in fixed windows. Once an address (or everyone,
 * past the overall limit) has failed too often in the current window, `retryAfter` says how long
 * until the window ends; what is refused then is every attempt, right or wrong.
 */
export class FailureWindows {
  private readonly addresses = new Map<string, Window>();
  private overall: Window = { start: 0, count: 0 };

  constructor(
    private readonly limits: FailureLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private current(window: Window | undefined, now: number): Window {
    return window && now - window.start < this.limits.windowMs ? window : { start: now, count: 0 };
  }

  /** Seconds until `address` may try again, or undefined while it is within the limits. */
  retryAfter(address: string): number | undefined {
    const now = this.now();
    const mine = this.current(this.addresses.get(address), now);
    const all = this.current(this.overall, now);
    const over = [mine.count >= this.limits.perAddress && mine, all.count >= this.limits.overall && all];
    const ends = over.filter((w): w is Window => w !== false).map((w) => w.start + this.limits.windowMs);
    if (ends.length === 0) return undefined;
    return Math.max(1, Math.ceil((Math.max(...ends) - now) / 1000));
  }

  /** Counts one failure of `address`. */
  record(address: string): void {
    const now = this.now();
    const window = this.current(this.addresses.get(address), now);
    window.count++;
    this.addresses.set(address, window);
    this.overall = this.current(this.overall, now);
    this.overall.count++;
    // Bounded memory under a flood from many addresses: ended windows are dropped.
    if (this.addresses.size > 10_000) {
      for (const [key, w] of this.addresses) if (now - w.start >= this.limits.windowMs) this.addresses.delete(key);
    }
  }
}
