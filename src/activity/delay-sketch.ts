/**
 * Processing delays as counts in logarithmic buckets (the DDSketch idea): bucket i holds delays in
 * (γ^(i-1), γ^i] ms, so any percentile read back is within ~2.5% of the true delay, however many
 * events there were, and a week of delays is a few thousand rows rather than millions.
 */
const GAMMA = 1.05;
const LOG_GAMMA = Math.log(GAMMA);

/** The bucket of a delay in ms; everything at or under 1 ms shares bucket 0. */
export function delayBucket(ms: number): number {
  return ms <= 1 ? 0 : Math.ceil(Math.log(ms) / LOG_GAMMA);
}

/** The value a bucket stands for: the point whose relative error to both its edges is equal. */
export function bucketValue(bucket: number): number {
  return bucket === 0 ? 1 : (2 * GAMMA ** bucket) / (GAMMA + 1);
}

/** The `q`-quantile (0..1) of the delays counted per bucket; null when nothing was counted. */
export function quantile(counts: ReadonlyMap<number, number>, q: number): number | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket)!;
    if (seen >= rank) return bucketValue(bucket);
  }
  return null;
}
