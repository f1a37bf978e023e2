/**
 * Bounds the bytes of webhook bodies being received at once. A request whose headers pass the
 * provider's pre-check can still be forged, and each one may hold up to its provider's body limit
 * in memory until it is verified; without a bound, many slow connections add up to an unbounded
 * heap. Over the budget a request gets 503, which every provider retries.
 */
export class BodyBudget {
  private inUse = 0;

  constructor(readonly maxBytes: number) {}

  /** Reserves `bytes`; returns the release function, or null when the budget cannot cover it. */
  reserve(bytes: number): (() => void) | null {
    if (this.inUse + bytes > this.maxBytes) return null;
    this.inUse += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= bytes;
    };
  }

  get reservedBytes(): number {
    return this.inUse;
  }
}
