/**
 * Lets `perSecond` lines a second through and counts the rest; at the end of a second in which some
 * were left out, `omitted` is told how many, once. Metrics still count every event: this only keeps
 * a flood of refusals from becoming a flood of log lines.
 */
export class LogSampler {
  private windowStart = 0;
  private written = 0;
  private left = 0;

  constructor(
    private readonly perSecond: number,
    private readonly omitted: (count: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether to write this line. */
  admit(): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.written = 0;
    }
    if (this.written < this.perSecond) {
      this.written++;
      return true;
    }
    if (this.left++ === 0) setTimeout(() => this.report(), this.windowStart + 1000 - now).unref();
    return false;
  }

  private report(): void {
    const count = this.left;
    this.left = 0;
    if (count > 0) this.omitted(count);
  }
}
