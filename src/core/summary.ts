// Summaries of one metric across replicate chains.

export interface Summary {
  mean: number;
  median: number;
  q05: number;
  q25: number;
  q75: number;
  q95: number;
}

export const SUMMARY_KEYS = ['mean', 'median', 'q05', 'q25', 'q75', 'q95'] as const;

/** Linear-interpolated quantile of sorted values (type 7, as numpy and d3 compute it). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo];
  const f = h - lo;
  // Guards keep infinite values (kl of a collapsed model) from giving 0 × ∞ or ∞ − ∞ = NaN.
  if (f === 0 || a === sorted[hi]) return a;
  return a + f * (sorted[hi] - a);
}

/** Mean and quantiles of `values` (which it sorts in place). NaNs sort last and poison the mean. */
export function summarize(values: Float64Array): Summary {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  values.sort();
  return {
    mean: sum / values.length,
    median: quantileSorted(values, 0.5),
    q05: quantileSorted(values, 0.05),
    q25: quantileSorted(values, 0.25),
    q75: quantileSorted(values, 0.75),
    q95: quantileSorted(values, 0.95),
  };
}
