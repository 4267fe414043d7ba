import { describe, expect, it } from 'vitest';
import { cloneGmm, type GmmModel, gmmMeanLogLikelihood } from '../../../src/core/mixture';
import {
  componentStds,
  GMM_METRIC_SAMPLES,
  GMM_METRICS,
  type GmmMetric,
  GmmScorer,
  gmmMoments,
  gmmScorer,
  gmmTotalVariance,
  mixtureQuantiles,
  scoreGmm,
} from '../../../src/core/mixtureScores';
import {
  HELD_OUT_SIZE,
  heldOutSample,
  REAL_DISTRIBUTION_NAMES,
  REAL_DISTRIBUTIONS,
} from '../../../src/core/realDistributions';
import { createRng } from '../../../src/core/rng';
import { normalCdf } from '../../../src/core/special';

const N = GMM_METRIC_SAMPLES;
/** Binomial standard error of a share p from N points (the stratified estimate's is at most this). */
const se = (p: number, n = N) => Math.sqrt((p * (1 - p)) / n);

function isotropic(weights: number[], means: number[], variance: number, d: number): GmmModel {
  const k = weights.length;
  const covariances = new Float64Array(k * d * d);
  for (let j = 0; j < k; j++)
    for (let a = 0; a < d; a++) covariances[j * d * d + a * d + a] = variance;
  return {
    k,
    d,
    weights: Float64Array.from(weights),
    means: Float64Array.from(means),
    covariances,
  };
}

/** Mean of each metric over `reps` scorings with one rng. */
function meanScores(model: GmmModel, scorer: GmmScorer, reps: number, seed = 1) {
  const rng = createRng(seed);
  const sum = Object.fromEntries(GMM_METRICS.map((m) => [m, 0])) as Record<GmmMetric, number>;
  const min = Object.fromEntries(GMM_METRICS.map((m) => [m, Infinity])) as Record<
    GmmMetric,
    number
  >;
  for (let i = 0; i < reps; i++) {
    const s = scorer.score(model, rng);
    for (const m of GMM_METRICS) {
      sum[m] += s[m] / reps;
      min[m] = Math.min(min[m], s[m]);
    }
  }
  return { mean: sum, min };
}

describe('closed-form metrics', () => {
  it('std, variance, mean and component std of known mixtures', () => {
    const m1 = isotropic([0.5, 0.5], [-1, 1], 0.25, 1);
    expect(gmmTotalVariance(m1)).toBeCloseTo(1.25, 14);
    expect(Array.from(componentStds(m1))).toEqual([0.5, 0.5]);
    const m2: GmmModel = {
      k: 2,
      d: 2,
      weights: Float64Array.from([0.25, 0.75]),
      means: Float64Array.from([0, 4, 2, 0]),
      covariances: Float64Array.from([1, 0.5, 0.5, 2, 3, 0, 0, 1]),
    };
    const { mean, covariance } = gmmMoments(m2);
    expect(Array.from(mean)).toEqual([1.5, 1]);
    // Σ w_k Σ_k + between: x spread 0.25·1.5² + 0.75·0.5² = 0.75, y spread 0.25·9 + 0.75·1 = 3.
    expect(covariance[0]).toBeCloseTo(0.25 * 1 + 0.75 * 3 + 0.75, 14);
    expect(covariance[3]).toBeCloseTo(0.25 * 2 + 0.75 * 1 + 3, 14);
    expect(covariance[1]).toBeCloseTo(0.25 * 0.5 + 0.25 * -1.5 * 3 + 0.75 * 0.5 * -1, 14);
    const s = scoreGmm(m2, REAL_DISTRIBUTIONS.gaussian2d, createRng(1));
    expect(s.variance).toBeCloseTo((covariance[0] + covariance[3]) / 2, 14);
    expect(s.std).toBeCloseTo(Math.sqrt(s.variance), 14);
    expect(s.mean).toBe(1.5);
    expect(s.componentStd).toBeCloseTo((Math.sqrt(1.5) + Math.sqrt(2)) / 2, 14);
  });

  it('logLikReal is the mean log-likelihood of the fixed held-out real sample', () => {
    for (const name of REAL_DISTRIBUTION_NAMES) {
      const r = REAL_DISTRIBUTIONS[name];
      const s = scoreGmm(r.mixture, r, createRng(1));
      expect(s.logLikReal).toBe(
        gmmMeanLogLikelihood(r.mixture, heldOutSample(name), HELD_OUT_SIZE),
      );
      // A wider or narrower model scores worse than the truth.
      for (const f of [0.7, 1.5]) {
        const m = cloneGmm(r.mixture);
        for (let i = 0; i < m.covariances.length; i++) m.covariances[i] *= f;
        expect(scoreGmm(m, r, createRng(1)).logLikReal).toBeLessThan(s.logLikReal);
      }
    }
  });
});

describe('Monte Carlo metrics', () => {
  it('the real distribution scores tailMass ≈ 0.05, every mode alive and w2 at its noise floor', () => {
    const reps = 10;
    for (const name of REAL_DISTRIBUTION_NAMES) {
      const r = REAL_DISTRIBUTIONS[name];
      const { mean, min } = meanScores(r.mixture, gmmScorer(r), reps);
      expect(Math.abs(mean.tailMass - 0.05), name).toBeLessThan(4 * (se(0.05) / Math.sqrt(reps)));
      expect(min.modesAlive, name).toBe(r.numModes);
      // Floor measured 0.012 (ring8) to 0.04 (gaussian2d), the model's own sampling noise.
      expect(mean.w2, name).toBeLessThan(0.05);
    }
  });

  it('gaussian2d against N(0, σ²I): tailMass = 0.05^(1/σ²), sliced W2 = |1 − σ|', () => {
    const r = REAL_DISTRIBUTIONS.gaussian2d;
    const scorer = gmmScorer(r);
    for (const sigma of [0.5, 0.8, 1.3]) {
      const { mean } = meanScores(isotropic([1], [0, 0], sigma * sigma, 2), scorer, 5, 2);
      const t = 0.05 ** (1 / (sigma * sigma));
      expect(Math.abs(mean.tailMass - t)).toBeLessThan(4 * (se(t) / Math.sqrt(5)) + 1e-9);
      expect(Math.abs(mean.w2 - Math.abs(1 - sigma))).toBeLessThan(0.03);
      expect(mean.modesAlive).toBe(1);
    }
    // Moved 4 away, no model mass within radius 3 of the origin: the mode is dead.
    const far = scorer.score(isotropic([1], [4, 0], 0.25, 2), createRng(3));
    expect(far.modesAlive).toBe(0);
    expect(far.w2).toBeGreaterThan(1.5);
  });

  it('bimodal1d shifted by 0.3: w2 = 0.3, tailMass as computed from the normal CDF', () => {
    const r = REAL_DISTRIBUTIONS.bimodal1d;
    const m = isotropic([0.5, 0.5], [-1.7, 2.3], 0.25, 1);
    const { mean } = meanScores(m, gmmScorer(r), 5, 4);
    // Tail region: farther than 1.96·0.5 = 0.98 from both modes. The right component puts
    // Φ((1.02 − 2.3)/0.5) + Φ((2.3 − 2.98)/0.5) there; the left one the mirror image.
    const t =
      0.5 * (normalCdf(-2.56) + normalCdf(-1.36)) + 0.5 * (normalCdf(-1.36) + normalCdf(-2.56));
    expect(Math.abs(mean.tailMass - t)).toBeLessThan(4 * (se(t) / Math.sqrt(5)));
    expect(Math.abs(mean.w2 - 0.3)).toBeLessThan(0.02);
    expect(mean.modesAlive).toBe(2);
    const one = scoreGmm(isotropic([0.5, 0.5], [2, 2.1], 0.25, 1), r, createRng(5));
    expect(one.modesAlive).toBe(1);
  });

  it('a collapsed grid25 model keeps only the modes it sits on', () => {
    const r = REAL_DISTRIBUTIONS.grid25;
    const narrow = isotropic([0.5, 0.3, 0.2], [0, 0, 2, 2, -4, 4], 0.05 ** 2, 2);
    const s = scoreGmm(narrow, r, createRng(6));
    expect(s.modesAlive).toBe(3);
    expect(s.tailMass).toBe(0); // every point within 4·0.05 of a centre, inside the 0.49 radius
    expect(s.w2).toBeGreaterThan(1);
    expect(s.componentStd).toBeCloseTo(0.05, 14);
    // A single broad Gaussian over the grid: most of its mass is in the tail region.
    const broad = scoreGmm(isotropic([1], [0, 0], 8.04, 2), r, createRng(7));
    expect(broad.tailMass).toBeGreaterThan(0.8);
    expect(broad.std).toBeCloseTo(Math.sqrt(8.04), 12);
  });

  it('scoring is deterministic per rng seed, and scoreInto fills every metric', () => {
    const r = REAL_DISTRIBUTIONS.ring8;
    const m = isotropic([0.5, 0.5], [1, 0, -1, 0], 0.3, 2);
    const a = scoreGmm(m, r, createRng(9));
    const b = scoreGmm(m, r, createRng(9));
    expect(a).toEqual(b);
    const out = Object.fromEntries(GMM_METRICS.map((k) => [k, new Float64Array(2)])) as Record<
      GmmMetric,
      Float64Array
    >;
    gmmScorer(r).scoreInto(m, createRng(9), out, 1);
    for (const k of GMM_METRICS) expect(out[k][1]).toBe(a[k]);
  });

  it('a scorer with fewer samples works the same way', () => {
    const r = REAL_DISTRIBUTIONS.grid25;
    const small = new GmmScorer(r, { samples: 500, directions: 4 });
    const s = small.score(r.mixture, createRng(1));
    expect(s.modesAlive).toBe(25);
    expect(s.w2).toBeLessThan(0.1);
  });
});

describe('mixtureQuantiles', () => {
  it('inverts the mixture CDF at levels (i + ½)/n, across the gap between modes', () => {
    const centres = [-2, 2, 2.5];
    const s = 0.3;
    const n = 101;
    const q = mixtureQuantiles(centres, s, n);
    for (let i = 0; i < n; i++) {
      let F = 0;
      for (const c of centres) F += normalCdf((q[i] - c) / s) / centres.length;
      expect(F).toBeCloseTo((i + 0.5) / n, 9);
      if (i > 0) expect(q[i]).toBeGreaterThan(q[i - 1]);
    }
  });
});
