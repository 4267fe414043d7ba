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
//
// A synthetic-share schedule only changes k from generation to generation (k_n = round(M·share(n)),
// generation/mitigations.ts); the recursions hold with k_n in place of k.
//
// A watermark filter under `replace` with fresh real data (filterCoefficients): from generation 1
// on each of the k synthetic points is dropped with probability t (TPR) and each of the M − k real
// points with probability f (FPR). The points kept, K_s ~ Bin(k, 1 − t) synthetic and
// K_r ~ Bin(M − k, 1 − f) real, independent of each other and of the past, form a training set of
// N = K_s + K_r points. Given them, the pooled sum of squares about the set's mean splits into the
// two groups' own and the gap between their means (x̄_s − x̄_r has mean μ' and variance
// λσ'²/K_s + 1/K_r), which sums to
//   E[Σ(x − x̄)² | K] = (N − 1)/N · (K_s·λσ'² + K_r) + (K_s·K_r/N)·μ'²,
// and E[(Σx)² | K] = K_s·λσ'² + K_r + K_s²·μ'². With the estimator's divisor d(N) (N for mle,
// N − 1 unbiased), σ² = Σ(x − x̄)²/d(N) and μ = Σx/N; a set of N < 2 points cannot be fitted and
// the chain keeps σ'² and μ' (the loop's starved generation). Averaging over K (the expectations
// below are sums over the two binomials):
//   E[σ²_n] = (λ·a_s + P)·E[σ²_{n−1}] + a_r + a_m·E[μ²_{n−1}],
//   E[μ²_n] = λ·b_s·E[σ²_{n−1}] + b_r + (b_m + P)·E[μ²_{n−1}],
// with, over N ≥ 2, a_s = E[(N−1)K_s/(N·d)], a_r = E[(N−1)K_r/(N·d)], a_m = E[K_sK_r/(N·d)],
// b_s = E[K_s/N²], b_r = E[K_r/N²], b_m = E[K_s²/N²], and P = P(N < 2). Without a filter (t = f = 0)
// it is the recursion above. Its fixed point (stationaryVariance) solves the 2 × 2 linear system
// v = (λa_s + P)v + a_r + a_m·m, m = λb_s·v + b_r + (b_m + P)m, and exists when the spectral
// radius of its matrix is below 1 (not with all data synthetic and nothing caught: the mean then
// wanders without bound while σ² → 0; nor when λ > 1 grows the variance).
// For large M the binomials concentrate: with p = 1 − s the fresh real share, the synthetic share
// that reaches training is s_eff = s(1 − t)/(s(1 − t) + p(1 − f)) of a set of N̄ = M(s(1 − t) +
// p(1 − f)) points, and (a_m·m being O(1/N̄²)) the MLE's fixed point is
//   E[σ²]* ≈ (1 − 1/N̄)(1 − s_eff) / (1 − λ·s_eff·(1 − 1/N̄)),
// the unfiltered MLE's with s → s_eff and M → N̄ (approximateStationaryVariance).

import { syntheticCountAt } from '../../generation/mitigations';
import type { FilterSettings, LoopRecipe } from '../../generation/types';
import { digamma, logGamma, trigamma, Z95 } from '../../special';
import type { Estimator } from './gaussian';

/**
 * The settings the theory reads: the loop's and the estimator. Written here, not taken from
 * recipe.ts, which is computed from the model specs (the spec imports this file: a circle).
 */
export type GaussianTheoryRecipe = LoopRecipe & { estimator: Estimator };

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

/** Each generation's synthetic count k_n (index n; k_0 = 0). */
function syntheticCounts(recipe: GaussianTheoryRecipe): number[] {
  return Array.from({ length: recipe.generations + 1 }, (_, n) => syntheticCountAt(recipe, n));
}

/** Why no closed form is shown for a recipe, or null when there is one. */
export function theoryUnavailable(recipe: GaussianTheoryRecipe): string | null {
  if (recipe.regime === 'accumulate-subsample')
    return 'No closed form is shown for accumulate-subsample.';
  if (recipe.curation)
    return 'No closed form is shown with curation (the kept samples are no longer the model’s draws).';
  const M = recipe.samplesPerGeneration;
  const ks = syntheticCounts(recipe).slice(1);
  if (recipe.realData === 'fixed' && ks.some((k) => k > 0 && k < M))
    return 'No closed form is shown for a fixed real set mixed with synthetic data.';
  // Accumulating a fixed real set adds the same points again each generation, so the pool is not
  // the independent draws the recursion assumes (the fit never changes from generation 0).
  if (recipe.realData === 'fixed' && recipe.regime === 'accumulate' && ks.some((k) => k < M))
    return 'No closed form is shown for accumulating a fixed real set.';
  if (recipe.filter) {
    // Under accumulate the pool's size and make-up become random; a fixed real set, thinned
    // afresh each generation, is not the independent draws the recursion assumes.
    if (recipe.regime !== 'replace')
      return 'No closed form is shown for a filter under accumulate.';
    if (recipe.realData === 'fixed' && ks.some((k) => k < M))
      return 'No closed form is shown for a filter on a fixed real set.';
  }
  return null;
}

/** Binomial(n, q) probabilities of 0..n, those below 1e-18 of the largest left at 0. */
function binomialPmf(n: number, q: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (q <= 0) out[0] = 1;
  else if (q >= 1) out[n] = 1;
  else {
    const lq = Math.log(q);
    const lp = Math.log1p(-q);
    const base = logGamma(n + 1);
    for (let j = 0; j <= n; j++)
      out[j] = Math.exp(base - logGamma(j + 1) - logGamma(n - j + 1) + j * lq + (n - j) * lp);
  }
  return out;
}

/** The filter's coefficients of the E[σ²], E[μ²] recursion for k synthetic of M (see header). */
export interface FilterCoefficients {
  as: number;
  ar: number;
  am: number;
  bs: number;
  br: number;
  bm: number;
  /** P(N < 2): the chain keeps its previous model. */
  starve: number;
}

/** Sums over K_s ~ Bin(k, 1 − TPR) and K_r ~ Bin(M − k, 1 − FPR), as the header derives. */
export function filterCoefficients(
  M: number,
  k: number,
  filter: FilterSettings,
  unbiased: boolean,
): FilterCoefficients {
  const ps = binomialPmf(k, 1 - filter.truePositiveRate);
  const pr = binomialPmf(M - k, 1 - filter.falsePositiveRate);
  const nz = (p: Float64Array) => {
    const idx: number[] = [];
    for (let j = 0; j < p.length; j++) if (p[j] > 1e-18) idx.push(j);
    return idx;
  };
  const js = nz(ps);
  const jr = nz(pr);
  const c: FilterCoefficients = { as: 0, ar: 0, am: 0, bs: 0, br: 0, bm: 0, starve: 0 };
  for (const s of js) {
    for (const r of jr) {
      const w = ps[s] * pr[r];
      const N = s + r;
      if (N < 2) {
        c.starve += w;
        continue;
      }
      const d = unbiased ? N - 1 : N;
      const f = (N - 1) / (N * d);
      c.as += w * f * s;
      c.ar += w * f * r;
      c.am += (w * s * r) / (N * d);
      const n2 = N * N;
      c.bs += (w * s) / n2;
      c.br += (w * r) / n2;
      c.bm += (w * s * s) / n2;
    }
  }
  return c;
}

/**
 * The stationary E[σ²] (and E[μ²]) of the 1-D Gaussian under `replace` with fresh real data: a
 * share s = syntheticFraction of each generation's M points from the previous model at
 * temperature λ, the rest (p = 1 − s) fresh real, and an optional filter (the header derives the
 * recursion). Null when the recursion has no finite fixed point (spectral radius ≥ 1).
 */
export function stationaryVariance(recipe: {
  samplesPerGeneration: number;
  syntheticFraction: number;
  temperature: number;
  estimator: 'mle' | 'unbiased';
  filter?: FilterSettings;
}): { variance: number; meanSquare: number } | null {
  const M = recipe.samplesPerGeneration;
  const k = Math.round(M * recipe.syntheticFraction);
  const lambda = recipe.temperature;
  const c = filterCoefficients(
    M,
    k,
    recipe.filter ?? { truePositiveRate: 0, falsePositiveRate: 0 },
    recipe.estimator === 'unbiased',
  );
  // [v; m] = A [v; m] + [ar; br]
  const a11 = lambda * c.as + c.starve;
  const a12 = c.am;
  const a21 = lambda * c.bs;
  const a22 = c.bm + c.starve;
  const tr = a11 + a22;
  const det = a11 * a22 - a12 * a21;
  const rho = tr / 2 + Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  if (!(rho < 1)) return null;
  const D = (1 - a11) * (1 - a22) - a12 * a21;
  const variance = (c.ar * (1 - a22) + a12 * c.br) / D;
  const meanSquare = (c.br * (1 - a11) + a21 * c.ar) / D;
  return { variance, meanSquare };
}

/**
 * The large-M approximation of the MLE's stationary E[σ²] under a filter (see the header):
 * (1 − 1/N̄)(1 − s_eff) / (1 − λ s_eff (1 − 1/N̄)), with s_eff the synthetic share that reaches
 * training and N̄ the expected training-set size. Null when it diverges.
 */
export function approximateStationaryVariance(recipe: {
  samplesPerGeneration: number;
  syntheticFraction: number;
  temperature: number;
  filter?: FilterSettings;
}): number | null {
  const s = recipe.syntheticFraction;
  const t = recipe.filter?.truePositiveRate ?? 0;
  const f = recipe.filter?.falsePositiveRate ?? 0;
  const kept = s * (1 - t) + (1 - s) * (1 - f);
  if (!(kept > 0)) return null;
  const sEff = (s * (1 - t)) / kept;
  const shrink = 1 - 1 / (recipe.samplesPerGeneration * kept);
  const denominator = 1 - recipe.temperature * sEff * shrink;
  return denominator > 0 ? (shrink * (1 - sEff)) / denominator : null;
}

/** E[√(χ²_ν)] = √2 Γ((ν+1)/2) / Γ(ν/2). */
function meanRootChiSquare(nu: number): number {
  return Math.SQRT2 * Math.exp(logGamma((nu + 1) / 2) - logGamma(nu / 2));
}

export function gaussianTheory(recipe: GaussianTheoryRecipe): GaussianTheory | null {
  if (theoryUnavailable(recipe)) return null;
  const M = recipe.samplesPerGeneration;
  const ks = syntheticCounts(recipe);
  const lambda = recipe.temperature;
  const unbiased = recipe.estimator === 'unbiased';
  const accumulate = recipe.regime === 'accumulate';
  const filter = recipe.filter;
  const collapseOnly = recipe.regime === 'replace' && !filter && ks.slice(1).every((k) => k === M);
  // The filter's coefficients, per distinct k (a schedule changes k).
  const filtered = new Map<number, FilterCoefficients>();

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
    const k = ks[n];
    if (n > 0 && filter) {
      let c = filtered.get(k);
      if (!c) {
        c = filterCoefficients(M, k, filter, unbiased);
        filtered.set(k, c);
      }
      const v = (lambda * c.as + c.starve) * variance + c.ar + c.am * meanSq;
      meanSq = lambda * c.bs * variance + c.br + (c.bm + c.starve) * meanSq;
      variance = v;
    } else if (n > 0) {
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
