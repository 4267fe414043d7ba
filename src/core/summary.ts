// Summaries of one metric across replicate chains.

export interface Summary {
  mean: number;
  median: number;
  q05: number;
  q25: number;
  q75: number;
  q95: number;
  /** Chains left out because their value was NaN (absent when none). */
  nonFinite?: number;
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

/**
 * Mean and quantiles of `values` (which it sorts in place). NaN values — a chain whose model
 * failed — are left out and counted in `nonFinite`, so one failed chain does not poison the
 * others' summary; with no number left every field is NaN. ±∞ are kept (KL to a collapsed model).
 */
export function summarize(values: Float64Array): Summary {
  // The sum in the chains' order (as before NaNs were left out: the same rounding, bit for bit).
  let sum = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) sum += values[i];
  values.sort(); // NaNs sort last
  let n = values.length;
  while (n > 0 && Number.isNaN(values[n - 1])) n--;
  const kept = n === values.length ? values : values.subarray(0, n);
  const out: Summary = {
    mean: n > 0 ? sum / n : Number.NaN,
    median: quantileSorted(kept, 0.5),
    q05: quantileSorted(kept, 0.05),
    q25: quantileSorted(kept, 0.25),
    q75: quantileSorted(kept, 0.75),
    q95: quantileSorted(kept, 0.95),
  };
  if (n < values.length) out.nonFinite = values.length - n;
  return out;
}
