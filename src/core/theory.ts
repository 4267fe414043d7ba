// Closed-form theory for the 1-D Gaussian chain (Shumailov et al.; derivations in comments).
//
// Notation: the training set of generation n has pool sums T1 = Σx and T2 = Σx², pool size N,
// and the fit is μ = T1/N, σ² = (T2 − T1²/N)/d with d = N (mle) or N − 1 (unbiased). A batch of
// M new points holds k = round(M·share) draws from N(μ', λσ'²) (the previous model, temperature
// λ) and M − k fresh draws from N(0, 1). Conditional on the past, the batch sums b1, b2 satisfy
//   E[b2] = k(λσ'² + μ'²) + (M − k),  E[b1²] = kλσ'² + (M − k) + k²μ'²,  E[T1·b1] = k·T1²/N',
// which are linear in (T1², T2): so A = E[T1²] and B = E[T2] follow an exact linear recursion,
// and E[σ²] = (B − A/N)/d, E[μ²] = A/N². Under `replace` the pool is the batch; under
// `accumulate` the batch is added to the pool.
//
// With share 1 under `replace`, σ²_n = σ²_0 · Π λχ²_{M−1}/d exactly, so ln σ_n is a sum of n + 1
// independent terms: E[σ_n] is exact (via E√χ²) and its quantiles follow from a normal
// approximation to that sum (mean and variance from digamma and trigamma), which is accurate when
// (n + 1)(M − 1) is large.

import { syntheticCount } from './mixing';
import type { Recipe } from './recipe';
import { digamma, logGamma, trigamma, Z95 } from './special';

export interface GaussianTheoryPoint {
  generation: number;
  /** E[σ²]. */
  variance: number;
  /** E[μ²]: the spread of the wandering mean. */
  meanSquare: number;
  /** E[σ], exact; only for share 1 under replace. */
  stdMean?: number;
  /** Median and 5 %/95 % quantiles of σ (log-normal approximation); share 1 under replace. */
  stdMedian?: number;
  stdQ05?: number;
  stdQ95?: number;
}

export interface GaussianTheory {
  points: GaussianTheoryPoint[];
  /** Which quantity the std chart's theory line shows. */
  stdCurve: 'median' | 'rootMeanVariance';
}

/** Why no closed form is shown for a recipe, or null when there is one. */
export function theoryUnavailable(recipe: Recipe): string | null {
  if (recipe.regime === 'accumulate-subsample')
    return 'No closed form is shown for accumulate-subsample.';
  if (
    recipe.realData === 'fixed' &&
    recipe.syntheticFraction > 0 &&
    syntheticCount(recipe) < recipe.samplesPerGeneration
  )
    return 'No closed form is shown for a fixed real set mixed with synthetic data.';
  // Accumulating a fixed real set adds the same points again each generation, so the pool is not
  // the independent draws the recursion assumes (the fit never changes from generation 0).
  if (
    recipe.realData === 'fixed' &&
    recipe.regime === 'accumulate' &&
    syntheticCount(recipe) < recipe.samplesPerGeneration
  )
    return 'No closed form is shown for accumulating a fixed real set.';
  return null;
}

/** E[√(χ²_ν)] = √2 Γ((ν+1)/2) / Γ(ν/2). */
function meanRootChiSquare(nu: number): number {
  return Math.SQRT2 * Math.exp(logGamma((nu + 1) / 2) - logGamma(nu / 2));
}

export function gaussianTheory(recipe: Recipe): GaussianTheory | null {
  if (theoryUnavailable(recipe)) return null;
  const M = recipe.samplesPerGeneration;
  const k = syntheticCount(recipe);
  const lambda = recipe.temperature;
  const unbiased = recipe.estimator === 'unbiased';
  const accumulate = recipe.regime === 'accumulate';
  const collapseOnly = recipe.regime === 'replace' && k === M;

  const points: GaussianTheoryPoint[] = [];
  // Generation 0: M real points, T1 ~ N(0, M), T2 ~ M·χ²-ish with mean M.
  let N = M;
  let A = M;
  let B = M;
  // Per-fit log-variance factor ln(λχ²_{M−1}/d) for the share-1 replace chain.
  const d0 = unbiased ? M - 1 : M;
  const logMean = digamma((M - 1) / 2) + Math.LN2 - Math.log(d0);
  const logVar = trigamma((M - 1) / 2);
  const rootFactor = meanRootChiSquare(M - 1) / Math.sqrt(d0);

  let variance = (M - 1) / d0;
  let meanSq = 1 / M;
  for (let n = 0; n <= recipe.generations; n++) {
    if (n > 0) {
      const eb2 = k * (lambda * variance + meanSq) + (M - k);
      const eb1sq = k * lambda * variance + (M - k) + k * k * meanSq;
      if (accumulate) {
        A = A + (2 * k * A) / N + eb1sq;
        B = B + eb2;
        N = N + M;
        meanSq = A / (N * N);
        variance = (B - A / N) / (unbiased ? N - 1 : N);
      } else {
        // (E[b2] − E[b1²]/M)/d with the cancelling terms taken out: B − A/N loses every digit
        // once a collapsing chain's E[σ²] falls below ~1e-16 of E[μ²] (small M, or λ < 1).
        variance =
          (((M - 1) / M) * (k * lambda * variance + (M - k)) + ((k * (M - k)) / M) * meanSq) / d0;
        meanSq = eb1sq / (M * M);
      }
    }
    const point: GaussianTheoryPoint = { generation: n, variance, meanSquare: meanSq };
    if (collapseOnly) {
      const terms = n + 1;
      const mu = 0.5 * (terms * logMean + n * Math.log(lambda));
      const sd = 0.5 * Math.sqrt(terms * logVar);
      point.stdMean = rootFactor ** terms * lambda ** (n / 2);
      point.stdMedian = Math.exp(mu);
      point.stdQ05 = Math.exp(mu - Z95 * sd);
      point.stdQ95 = Math.exp(mu + Z95 * sd);
    }
    points.push(point);
  }
  return { points, stdCurve: collapseOnly ? 'median' : 'rootMeanVariance' };
}
