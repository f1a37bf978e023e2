/** Jobber's query-cost extension (the same envelope Shopify uses). */
export interface QueryCost {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: { maximumAvailable?: number; currentlyAvailable?: number; restoreRate?: number };
}

const MARGIN_MS = 100;
const FALLBACK_MS = 5_000;
const MAX_MS = 60_000;

/**
 * How long until the bucket holds enough points for the query that was throttled: the missing
 * points over the restore rate (points per second), plus a small margin. Without the extension,
 * a few seconds.
 */
export function throttleDelayMs(cost: QueryCost | undefined): number {
  const requested = cost?.requestedQueryCost;
  const available = cost?.throttleStatus?.currentlyAvailable;
  const rate = cost?.throttleStatus?.restoreRate;
  if (typeof requested !== 'number' || typeof available !== 'number' || typeof rate !== 'number' || rate <= 0) {
    return FALLBACK_MS;
  }
  const missing = Math.max(0, requested - available);
  return Math.min(MAX_MS, Math.ceil((missing / rate) * 1000) + MARGIN_MS);
}

/** Retry-After (seconds) of a 429, else the fallback. */
export function retryAfterMs(header: string | null): number {
  const seconds = header ? Number(header) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(MAX_MS, seconds * 1000 + MARGIN_MS) : FALLBACK_MS;
}
