import { describe, expect, it } from 'vitest';
import { fitGmm, type GmmModel, GmmWorkspace, sampleGmm } from '../../../../../src/core/mixture';
import { gmmMoments } from '../../../../../src/core/mixtureScores';
import {
  gmmTheoryUnavailable,
  gmmTotalVarianceTheory,
  gmmVarianceFloor,
  gmmVarianceTheory,
} from '../../../../../src/core/models/gmm/theory';
import {
  REAL_DISTRIBUTIONS,
  type RealDistributionName,
} from '../../../../../src/core/realDistributions';
import { createRng } from '../../../../../src/core/rng';

describe('the EM moment identity', () => {
  it('after any M-step the mixture mean is the sample mean and its covariance S + regCovar I', () => {
    const cases: [RealDistributionName, number, number, 'kmeans++' | 'random'][] = [
      ['gaussian2d', 2, 1, 'kmeans++'],
      ['gaussian2d', 3, 100, 'random'],
      ['grid25', 6, 2, 'kmeans++'],
      ['ring8', 4, 100, 'kmeans++'],
      ['bimodal1d', 3, 1, 'random'],
      ['bimodal1d', 2, 100, 'kmeans++'],
    ];
    for (const [name, k, maxIter, init] of cases) {
      const r = REAL_DISTRIBUTIONS[name];
      const n = 300;
      const d = r.d;
      const x = r.sample(n, createRng(k, maxIter));
      const mean = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a] / n;
      const S = new Float64Array(d * d);
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++)
            S[a * d + b] += ((x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b])) / n;
        }
      }
      for (const regCovar of [1e-6, 0.1]) {
        const fit = fitGmm(x, n, d, { components: k, maxIter, regCovar, init, rng: createRng(3) });
        const m = gmmMoments(fit.model);
        for (let a = 0; a < d; a++) expect(Math.abs(m.mean[a] - mean[a])).toBeLessThan(1e-12);
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            const want = S[a * d + b] + (a === b ? regCovar : 0);
            expect(Math.abs(m.covariance[a * d + b] - want), `${name} ${k}`).toBeLessThan(
              1e-12 * (1 + Math.abs(want)),
            );
          }
        }
      }
    }
  });
});

describe('gmmTotalVarianceTheory', () => {
  it('is q^(g+1) v + Mρ(1 − q^(g+1)), agrees with the general recursion, and settles at Mρ', () => {
    const v = gmmTotalVarianceTheory(100, 50, 2, 1e-4);
    const q = 0.99;
    for (const g of [0, 1, 10, 50])
      expect(v[g]).toBeCloseTo(q ** (g + 1) * 2 + 100 * 1e-4 * (1 - q ** (g + 1)), 14);
    const rec = gmmVarianceTheory(100, 50, 2, 1e-4).variance;
    for (let g = 0; g <= 50; g++) expect(rec[g]).toBeCloseTo(v[g], 13);
    expect(gmmTotalVarianceTheory(100, 5000, 2, 1e-4)[5000]).toBeCloseTo(
      gmmVarianceFloor(100, 1e-4),
      12,
    );
    // Without regCovar: the single Gaussian's (M − 1)/M per generation.
    expect(gmmTotalVarianceTheory(10, 3, 1)[3]).toBeCloseTo(0.9 ** 4, 15);
    // Mean drift under share 1: E[D] grows by E[v]/M.
    const t = gmmVarianceTheory(10, 3, 1, 0);
    expect(t.meanDrift[1] - t.meanDrift[0]).toBeCloseTo(t.variance[0] / 10, 15);
    // Half fresh real data keeps the variance from collapsing.
    const mixed = gmmVarianceTheory(100, 2000, 1, 0, 50).variance;
    expect(mixed[2000]).toBeGreaterThan(0.9);
  });

  it('says when it applies', () => {
    const base = {
      regime: 'replace',
      temperature: 1,
      realData: 'fresh',
      samplesPerGeneration: 100,
      syntheticFraction: 0.5,
    };
    expect(gmmTheoryUnavailable(base)).toBeNull();
    expect(gmmTheoryUnavailable({ ...base, realData: 'fixed', syntheticFraction: 1 })).toBeNull();
    expect(gmmTheoryUnavailable({ ...base, realData: 'fixed' })).toMatch(/fresh/);
    expect(gmmTheoryUnavailable({ ...base, regime: 'accumulate' })).toMatch(/replace/);
    expect(gmmTheoryUnavailable({ ...base, temperature: 0.5 })).toMatch(/temperature/);
  });
});

/**
 * R independent chains of the replace loop with fresh real data: generation 0 fitted to M real
 * points, each later one to nSynth samples of the previous model plus M − nSynth real points.
 * Returns per generation the chains' variances (trace/d) and mean drifts |μ|²/d.
 */
function simulate(
  name: RealDistributionName,
  K: number,
  M: number,
  G: number,
  R: number,
  regCovar: number,
  nSynth: number,
) {
  const real = REAL_DISTRIBUTIONS[name];
  const d = real.d;
  const ws = new GmmWorkspace();
  const v = Array.from({ length: G + 1 }, () => new Float64Array(R));
  const D = Array.from({ length: G + 1 }, () => new Float64Array(R));
  const x = new Float64Array(M * d);
  for (let r = 0; r < R; r++) {
    const rng = createRng(2024, r);
    real.sample(M, rng, x);
    let model: GmmModel | null = null;
    for (let g = 0; g <= G; g++) {
      if (model !== null) {
        sampleGmm(model, nSynth, rng, 1, x);
        real.sample(M - nSynth, rng, x.subarray(nSynth * d));
      }
      model = fitGmm(x, M, d, { components: K, regCovar, rng, workspace: ws }).model;
      const m = gmmMoments(model);
      let tr = 0;
      let mu2 = 0;
      for (let a = 0; a < d; a++) {
        tr += m.covariance[a * d + a];
        mu2 += m.mean[a] ** 2;
      }
      v[g][r] = tr / d;
      D[g][r] = mu2 / d;
    }
  }
  return { v, D };
}

function meanSe(a: Float64Array): [number, number] {
  let s = 0;
  for (const x of a) s += x;
  const m = s / a.length;
  let ss = 0;
  for (const x of a) ss += (x - m) ** 2;
  return [m, Math.sqrt(ss / (a.length - 1) / a.length)];
}

describe('theory against simulation', () => {
  // Tolerance: the replicate mean of each generation's variance must lie within 4 standard
  // errors (its sample SE over R chains) of the theory, at every checked generation.
  const check = (sim: Float64Array[], theory: Float64Array, gens: number[]) => {
    for (const g of gens) {
      const [m, s] = meanSe(sim[g]);
      expect(
        Math.abs(m - theory[g]),
        `generation ${g}: ${m} vs ${theory[g]} (SE ${s})`,
      ).toBeLessThan(4 * s);
    }
  };

  it('fully synthetic, regCovar 1e-6: E[v] shrinks by (M − 1)/M per generation', () => {
    const M = 40;
    const G = 12;
    const { v, D } = simulate('gaussian2d', 2, M, G, 300, 1e-6, M);
    const theory = gmmVarianceTheory(M, G, 1, 1e-6, M);
    check(v, theory.variance, [0, 3, 6, 12]);
    check(D, theory.meanDrift, [0, 6, 12]);
  });

  it('fully synthetic, large regCovar: E[v] approaches M·regCovar', () => {
    const M = 30;
    const G = 12;
    const { v } = simulate('bimodal1d', 2, M, G, 300, 0.05, M);
    check(v, gmmTotalVarianceTheory(M, G, REAL_DISTRIBUTIONS.bimodal1d.variance, 0.05), [0, 4, 12]);
  });

  it('half fresh real data: variance and mean drift follow the mixed recursion', () => {
    const M = 40;
    const G = 10;
    const { v, D } = simulate('ring8', 3, M, G, 300, 1e-6, 20);
    const theory = gmmVarianceTheory(M, G, REAL_DISTRIBUTIONS.ring8.variance, 1e-6, 20);
    check(v, theory.variance, [0, 5, 10]);
    check(D, theory.meanDrift, [0, 5, 10]);
  });
});
