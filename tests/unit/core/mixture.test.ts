import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fitGmm,
  type GmmModel,
  GmmWorkspace,
  gmmLogDensity,
  gmmMeanLogLikelihood,
  initFromCenters,
  kmeansPlusPlus,
  sampleGmm,
  sampleGmmStratified,
  stratifiedCounts,
} from '../../../src/core/mixture';
import { gmmMoments } from '../../../src/core/mixtureScores';
import { createRng } from '../../../src/core/rng';

interface FixtureCase {
  name: string;
  n: number;
  d: number;
  k: number;
  data: number[];
  init: { weights: number[]; means: number[]; covariances: number[] };
  expected: {
    weights: number[];
    means: number[];
    covariances: number[];
    lowerBound: number;
    nIter: number;
    converged: boolean;
  };
}
const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/gmm-sklearn.json', import.meta.url), 'utf8'),
) as { sklearn: string; tol: number; maxIter: number; regCovar: number; cases: FixtureCase[] };

/** Largest |a − b| / max(|b|, floor). */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  let m = 0;
  for (let i = 0; i < b.length; i++)
    m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return m;
}

function model(weights: number[], means: number[], covariances: number[], d: number): GmmModel {
  return {
    k: weights.length,
    d,
    weights: Float64Array.from(weights),
    means: Float64Array.from(means),
    covariances: Float64Array.from(covariances),
  };
}

/** 3 well-separated 2-D clusters, 150 points each. */
function threeClusters(seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = [
    [-4, 0],
    [4, 1],
    [0, 5],
  ];
  const x = new Float64Array(450 * 2);
  for (let i = 0; i < 450; i++) {
    const c = centres[i % 3];
    x[2 * i] = c[0] + 0.5 * rng.normal();
    x[2 * i + 1] = c[1] + 0.5 * rng.normal();
  }
  return x;
}

const MODEL_2D = model(
  [0.2, 0.5, 0.3],
  [-2, 1, 1, -1, 3, 2],
  [1, 0.6, 0.6, 0.8, 0.3, -0.1, -0.1, 0.2, 0.5, 0, 0, 2],
  2,
);

describe('fitGmm against scikit-learn', () => {
  it(`matches GaussianMixture ${fixtures.sklearn} from the same initial parameters`, () => {
    expect(fixtures.cases.length).toBeGreaterThanOrEqual(4);
    for (const c of fixtures.cases) {
      const fit = fitGmm(Float64Array.from(c.data), c.n, c.d, {
        components: c.k,
        tol: fixtures.tol,
        maxIter: fixtures.maxIter,
        regCovar: fixtures.regCovar,
        init: c.init,
      });
      // Achieved: ≤ 4e-15 relative on every parameter and ≤ 2e-15 on the lower bound; the bounds
      // leave room for other platforms' Math.exp / Math.log.
      expect(fit.iterations, c.name).toBe(c.expected.nIter);
      expect(fit.converged, c.name).toBe(c.expected.converged);
      expect(maxRel(fit.model.weights, c.expected.weights), c.name).toBeLessThan(1e-9);
      expect(maxRel(fit.model.means, c.expected.means), c.name).toBeLessThan(1e-9);
      expect(maxRel(fit.model.covariances, c.expected.covariances), c.name).toBeLessThan(1e-9);
      expect(Math.abs(fit.logLikelihood - c.expected.lowerBound), c.name).toBeLessThan(1e-10);
    }
  });
});

describe('fitGmm', () => {
  it('never decreases the log-likelihood from one EM iteration to the next', () => {
    const cases: [Float64Array, number, number, number][] = [
      [threeClusters(3), 450, 2, 3],
      [sampleGmm(MODEL_2D, 400, createRng(4)), 400, 2, 4],
      [sampleGmm(model([0.3, 0.7], [-1, 2], [0.5, 1.5], 1), 300, createRng(5)), 300, 1, 3],
    ];
    for (const [x, n, d, k] of cases) {
      for (const init of ['random', 'kmeans++'] as const) {
        // regCovar 0: then every M-step maximises the expected complete log-likelihood and EM is
        // monotone. (The kmeans++ start has covariance regCovar I: a tiny positive value is kept.)
        const regCovar = init === 'random' ? 0 : 1e-9;
        let prev = Number.NEGATIVE_INFINITY;
        for (let t = 1; t <= 40; t++) {
          const fit = fitGmm(x, n, d, {
            components: k,
            tol: 0,
            maxIter: t,
            regCovar,
            init,
            rng: createRng(9),
          });
          expect(fit.iterations).toBe(t);
          expect(fit.logLikelihood).toBeGreaterThanOrEqual(prev - 1e-12 * Math.abs(prev));
          prev = fit.logLikelihood;
        }
      }
    }
  });

  it('k-means++ initialisation is deterministic per seed and spreads the centres', () => {
    const x = threeClusters(11);
    const a = kmeansPlusPlus(x, 450, 2, 3, createRng(7));
    const b = kmeansPlusPlus(x, 450, 2, 3, createRng(7));
    expect(Array.from(a)).toEqual(Array.from(b));
    const fa = fitGmm(x, 450, 2, { components: 3, rng: createRng(7) });
    const fb = fitGmm(x, 450, 2, { components: 3, rng: createRng(7) });
    expect(fa).toEqual(fb);
    // Different seeds pick different first centres; the greedy k-means++ lands one centre in each
    // cluster (clusters are i % 3) nearly always.
    let distinct = 0;
    let spread = 0;
    for (let s = 0; s < 100; s++) {
      const idx = kmeansPlusPlus(x, 450, 2, 3, createRng(1000 + s));
      if (idx[0] !== a[0]) distinct++;
      if (new Set(Array.from(idx, (i) => i % 3)).size === 3) spread++;
    }
    expect(distinct).toBeGreaterThan(95);
    expect(spread).toBeGreaterThanOrEqual(97);
  });

  it('k-means++ start mirrors sklearn: centres, regCovar covariances, weights 1/n', () => {
    const x = threeClusters(12);
    const m = initFromCenters(x, 450, 2, [5, 17, 40], 1e-6);
    for (let j = 0; j < 3; j++) {
      const c = [5, 17, 40][j];
      expect(m.means[2 * j]).toBeCloseTo(x[2 * c], 12);
      expect(m.means[2 * j + 1]).toBeCloseTo(x[2 * c + 1], 12);
      expect(m.covariances[4 * j]).toBeCloseTo(1e-6, 15);
      expect(m.covariances[4 * j + 1]).toBeCloseTo(0, 15);
      expect(m.weights[j]).toBeCloseTo(1 / 450, 15);
    }
  });

  it('recovers well-separated clusters, and the workspace can be reused across shapes', () => {
    const ws = new GmmWorkspace();
    const x = threeClusters(13);
    const fit = fitGmm(x, 450, 2, { components: 3, rng: createRng(2), workspace: ws, tol: 1e-6 });
    expect(fit.converged).toBe(true);
    const found = Array.from({ length: 3 }, (_, j) => [
      fit.model.means[2 * j],
      fit.model.means[2 * j + 1],
    ]);
    found.sort((p, q) => p[0] - q[0]);
    const truth = [
      [-4, 0],
      [0, 5],
      [4, 1],
    ];
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(found[j][0] - truth[j][0])).toBeLessThan(0.15);
      expect(Math.abs(found[j][1] - truth[j][1])).toBeLessThan(0.15);
      expect(fit.model.weights[j]).toBeCloseTo(1 / 3, 6);
    }
    const y = sampleGmm(model([0.4, 0.6], [-2, 2], [0.3, 0.5], 1), 2000, createRng(3));
    const f1 = fitGmm(y, 2000, 1, { components: 2, rng: createRng(1), workspace: ws });
    const f2 = fitGmm(y, 2000, 1, { components: 2, rng: createRng(1) });
    expect(f1).toEqual(f2);
    const lo = f1.model.means[0] < f1.model.means[1] ? 0 : 1;
    expect(f1.model.means[lo]).toBeCloseTo(-2, 1);
    expect(f1.model.weights[lo]).toBeCloseTo(0.4, 1);
  });

  it('rejects dimensions other than 1 and 2, and fewer points than components', () => {
    const x = new Float64Array(30);
    expect(() => fitGmm(x, 10, 3, { components: 2, rng: createRng(1) })).toThrow(RangeError);
    expect(() => fitGmm(x, 2, 1, { components: 3, rng: createRng(1) })).toThrow(RangeError);
    expect(() => fitGmm(x, 10, 1, { components: 2 })).toThrow(/rng/);
  });
});

describe('sampleGmm', () => {
  /** Sample mean and MLE covariance of n×d points. */
  function sampleMoments(x: Float64Array, n: number, d: number) {
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a] / n;
    const cov = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++)
          cov[a * d + b] += ((x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b])) / n;
      }
    }
    return { mean, cov };
  }

  it('reproduces the mixture mean and total covariance within 4 standard errors', () => {
    const n = 200_000;
    for (const [m, temperature] of [
      [MODEL_2D, 1],
      [MODEL_2D, 0.5],
      [model([0.3, 0.7], [-1, 2], [0.5, 1.5], 1), 1],
    ] as const) {
      const tempered = { ...m, covariances: m.covariances.map((v) => v * temperature) };
      const { mean, covariance } = gmmMoments(tempered);
      const d = m.d;
      for (const sampler of [sampleGmm, sampleGmmStratified]) {
        const x = sampler(m, n, createRng(21), temperature);
        const s = sampleMoments(x, n, d);
        for (let a = 0; a < d; a++) {
          const se = Math.sqrt(covariance[a * d + a] / n);
          expect(Math.abs(s.mean[a] - mean[a])).toBeLessThan(4 * se);
          for (let b = 0; b < d; b++) {
            // SE of a covariance entry, bounded via the fourth moment of a mixture: use
            // sqrt((Σaa Σbb + Σab²) · 3 / n), generous for these mixtures.
            const v = covariance[a * d + a] * covariance[b * d + b] + covariance[a * d + b] ** 2;
            expect(Math.abs(s.cov[a * d + b] - covariance[a * d + b])).toBeLessThan(
              4 * Math.sqrt((3 * v) / n),
            );
          }
        }
      }
    }
  });

  it('picks components by weight and writes into a given buffer', () => {
    const m = model([0.25, 0.75], [-10, 10], [1, 1], 1);
    const out = new Float64Array(40_000);
    const x = sampleGmm(m, 40_000, createRng(1), 1, out);
    expect(x).toBe(out);
    let left = 0;
    for (const v of x) if (v < 0) left++;
    expect(Math.abs(left / 40_000 - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / 40_000));
    expect(Array.from(stratifiedCounts([0.25, 0.75], 10))).toEqual([3, 7]);
    expect(Array.from(stratifiedCounts([1 / 3, 1 / 3, 1 / 3], 10)).reduce((a, b) => a + b)).toBe(
      10,
    );
  });
});

describe('gmmLogDensity', () => {
  it('matches the Gaussian formula and integrates to 1', () => {
    const m = MODEL_2D;
    const x = [0.3, -0.7];
    let p = 0;
    for (let j = 0; j < 3; j++) {
      const [a, b, , c] = Array.from(m.covariances.subarray(4 * j, 4 * j + 4));
      const det = a * c - b * b;
      const dx = x[0] - m.means[2 * j];
      const dy = x[1] - m.means[2 * j + 1];
      const q = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
      p += (m.weights[j] * Math.exp(-0.5 * q)) / (2 * Math.PI * Math.sqrt(det));
    }
    expect(gmmLogDensity(m, x)).toBeCloseTo(Math.log(p), 12);
    // Riemann sum over a grid wide enough for every component.
    const h = 0.05;
    let total = 0;
    const pt = new Float64Array(2);
    for (let u = -9; u <= 9; u += h) {
      for (let v = -9; v <= 11; v += h) {
        pt[0] = u;
        pt[1] = v;
        total += Math.exp(gmmLogDensity(m, pt)) * h * h;
      }
    }
    expect(total).toBeCloseTo(1, 4);
  });

  it('gmmMeanLogLikelihood is the mean of the point log-densities', () => {
    const x = sampleGmm(MODEL_2D, 500, createRng(8));
    let s = 0;
    for (let i = 0; i < 500; i++) s += gmmLogDensity(MODEL_2D, x, 2 * i);
    expect(gmmMeanLogLikelihood(MODEL_2D, x, 500)).toBeCloseTo(s / 500, 12);
  });
});
