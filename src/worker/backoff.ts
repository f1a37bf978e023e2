const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

/**
 * Delay before attempt `attempt + 1`: exponential from `baseMs`, capped at six hours, with
 * "equal jitter" (half fixed, half random) so retries of a burst do not arrive together.
 */
export function inboxRetryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
