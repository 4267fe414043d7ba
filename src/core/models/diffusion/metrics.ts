// Metrics of a model known only through its samples (the diffusion model), on 2-D points:
// - std: sqrt(trace(Σ) / d) of the points' covariance (divided by n), the same quantity as a
//   mixture's `std` (core/mixtureScores.ts), here estimated from samples.
// - precision and recall with k-nearest-neighbour manifolds (Kynkäänniemi et al. 2019, "Improved
//   Precision and Recall Metric for Assessing Generative Models", k = 3 as they use): each point
//   of a set gets a ball reaching its k-th nearest neighbour within its own set. Precision is the
//   share of model points inside some real point's ball (samples that look real: quality);
//   recall is the share of real points inside some model point's ball (real data the model still
//   covers: diversity). A model collapsed onto one point has recall near 0 (its balls have radius
//   0) whatever its precision. Both sets should be the same size (the balls' radii depend on it).
// O(n²) distance computations per call: ~2 ms for n = 1,000 in 2-D.

/** Neighbours that set a point's ball (Kynkäänniemi et al.). */
export const KNN_K = 3;

/** sqrt(trace(cov) / d) of the first n points of x (n × d), the covariance divided by n. */
export function pointStd(x: ArrayLike<number>, n: number, d: number): number {
  if (n <= 0) return Number.NaN;
  let trace = 0;
  for (let a = 0; a < d; a++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + a];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const t = x[i * d + a] - mean;
      ss += t * t;
    }
    trace += ss / n;
  }
  return Math.sqrt(trace / d);
}

/**
 * Squared radius of each 2-D point's ball: the squared distance to its k-th nearest neighbour
 * among the other n − 1 points (0 when there are k or fewer points).
 */
export function knnRadii2(x: ArrayLike<number>, n: number, k = KNN_K): Float64Array {
  const out = new Float64Array(n);
  if (n <= k) return out;
  const best = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(Number.POSITIVE_INFINITY);
    const xi = x[2 * i];
    const yi = x[2 * i + 1];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = x[2 * j] - xi;
      const dy = x[2 * j + 1] - yi;
      const d2 = dx * dx + dy * dy;
      if (d2 >= best[k - 1]) continue;
      // Insert into the sorted k smallest.
      let p = k - 1;
      while (p > 0 && best[p - 1] > d2) {
        best[p] = best[p - 1];
        p--;
      }
      best[p] = d2;
    }
    out[i] = best[k - 1];
  }
  return out;
}

/** Share of the m points `q` (2-D) inside some ball (centre x_j, squared radius r2_j). */
export function coverage(
  q: ArrayLike<number>,
  m: number,
  x: ArrayLike<number>,
  r2: Float64Array,
  n: number,
): number {
  if (m <= 0) return Number.NaN;
  let inside = 0;
  for (let i = 0; i < m; i++) {
    const qx = q[2 * i];
    const qy = q[2 * i + 1];
    for (let j = 0; j < n; j++) {
      const dx = qx - x[2 * j];
      const dy = qy - x[2 * j + 1];
      if (dx * dx + dy * dy <= r2[j]) {
        inside++;
        break;
      }
    }
  }
  return inside / m;
}

/** A fixed real reference set and its balls, to score any number of model samples against. */
export interface PrecisionRecallReference {
  real: ArrayLike<number>;
  n: number;
  radii2: Float64Array;
}

export function precisionRecallReference(
  real: ArrayLike<number>,
  n: number,
  k = KNN_K,
): PrecisionRecallReference {
  return { real, n, radii2: knnRadii2(real, n, k) };
}

/** Precision and recall of the n model points `model` (2-D) against the reference. */
export function precisionRecall(
  model: ArrayLike<number>,
  n: number,
  ref: PrecisionRecallReference,
  k = KNN_K,
): { precision: number; recall: number } {
  const modelRadii2 = knnRadii2(model, n, k);
  return {
    precision: coverage(model, n, ref.real, ref.radii2, ref.n),
    recall: coverage(ref.real, ref.n, model, modelRadii2, n),
  };
}
