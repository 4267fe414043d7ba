// The 1-D Gaussian model: fitted by moments, sampled with a temperature, scored against the real
// N(0, 1).
import { normalCdf, Z975 } from '../../special';

/** How a fit turns the sum of squared deviations into a variance: ÷n (mle) or ÷(n − 1). */
export const ESTIMATORS = ['mle', 'unbiased'] as const;
export type Estimator = (typeof ESTIMATORS)[number];

export interface Gaussian1d {
  mean: number;
  std: number;
}

export const REAL_GAUSSIAN: Gaussian1d = { mean: 0, std: 1 };

/**
 * Running sufficient statistics in the numerically stable form (count, mean, sum of squared
 * deviations), merged with Chan et al.'s pairwise update. Collapse drives the spread to ~1e-10
 * while the mean stays O(1), which would destroy a plain sum-of-squares formula.
 */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
}

export const emptyMoments = (): Moments => ({ n: 0, mean: 0, m2: 0 });

/** Moments of the first `count` values, shifted by `shift` (near their mean) for precision. */
export function momentsOf(values: Float64Array, count: number, shift: number): Moments {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < count; i++) {
    const d = values[i] - shift;
    s1 += d;
    s2 += d * d;
  }
  if (count === 0) return emptyMoments();
  const m = s1 / count;
  return { n: count, mean: shift + m, m2: Math.max(0, s2 - s1 * m) };
}

/** Merges `b` into `a` (in place) and returns `a`. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (b.n === 0) return a;
  if (a.n === 0) {
    a.n = b.n;
    a.mean = b.mean;
    a.m2 = b.m2;
    return a;
  }
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  a.m2 += b.m2 + (delta * delta * a.n * b.n) / n;
  a.mean += (delta * b.n) / n;
  a.n = n;
  return a;
}

/** Fits N(mean, var) to a training set's moments: var = m2 / n (mle) or m2 / (n − 1). */
export function fitGaussian(m: Moments, estimator: Estimator): Gaussian1d {
  const denom = estimator === 'mle' ? m.n : m.n - 1;
  return { mean: m.mean, std: Math.sqrt(m.m2 / denom) };
}

export const GAUSSIAN_METRICS = ['std', 'variance', 'mean', 'tailMass', 'w2', 'kl'] as const;
export type GaussianMetric = (typeof GAUSSIAN_METRICS)[number];

/** P(|X| > 1.96) under the model: its mass on the real N(0, 1)'s least likely 5 % region. */
export function tailMass(g: Gaussian1d): number {
  if (g.std === 0) return Math.abs(g.mean) > Z975 ? 1 : 0;
  return normalCdf((-Z975 - g.mean) / g.std) + normalCdf((g.mean - Z975) / g.std);
}

/** 2-Wasserstein distance between N(mean, std²) and N(0, 1): sqrt(μ² + (σ − 1)²). */
export function w2ToReal(g: Gaussian1d): number {
  return Math.sqrt(g.mean * g.mean + (g.std - 1) * (g.std - 1));
}

/** KL(N(0, 1) ‖ N(μ, σ²)) = ln σ + (1 + μ²) / (2σ²) − ½, in nats. */
export function klRealToModel(g: Gaussian1d): number {
  // A collapsed chain reaches std 0 exactly (samples round to the mean); ln 0 + 1/0 would be NaN.
  if (g.std === 0) return Number.POSITIVE_INFINITY;
  return Math.log(g.std) + (1 + g.mean * g.mean) / (2 * g.std * g.std) - 0.5;
}

/** Writes every metric of `g` at index `i` of the per-metric replicate arrays. */
export function scoreGaussian(
  g: Gaussian1d,
  out: Record<GaussianMetric, Float64Array>,
  i: number,
): void {
  out.std[i] = g.std;
  out.variance[i] = g.std * g.std;
  out.mean[i] = g.mean;
  out.tailMass[i] = tailMass(g);
  out.w2[i] = w2ToReal(g);
  out.kl[i] = klRealToModel(g);
}
