import { describe, expect, it } from 'vitest';
import { simulate } from '../../../../../src/core/generation/loop';
import { gaussianFamily } from '../../../../../src/core/models/gaussian1d/family';
import {
  type GaussianTheoryPoint,
  gaussianTheory,
  theoryUnavailable,
} from '../../../../../src/core/models/gaussian1d/theory';
import { DEFAULT_RECIPE, type GaussianRecipe } from '../../../../../src/core/recipe';
import { trigamma, Z95 } from '../../../../../src/core/special';

// Simulation budget for this file: about 1e7 normals in total. Seeds are fixed, so every check is
// deterministic; statistical checks allow 4 standard errors (a false alarm on ~1 seed in 16,000
// when the sampling distribution is close to normal; where it is not, the check is left out and
// the comment says why).

const EULER_GAMMA = 0.5772156649015329;

function recipe(fields: Partial<GaussianRecipe>): GaussianRecipe {
  return { ...DEFAULT_RECIPE, ...fields };
}

/** Every generation of `r`, through the generation loop with the Gaussian family. */
async function simulateAll(r: GaussianRecipe) {
  const out = [];
  for await (const g of simulate(r, gaussianFamily(r))) out.push(g);
  return out;
}

function theory(fields: Partial<GaussianRecipe>): GaussianTheoryPoint[] {
  const t = gaussianTheory(recipe(fields));
  if (!t) throw new Error(`no theory for ${JSON.stringify(fields)}`);
  return t.points;
}

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

/** Γ(k/2) for integer k ≥ 1 from its product form, independent of logGamma. */
function gammaHalf(k: number): number {
  if (k === 1) return Math.sqrt(Math.PI);
  if (k === 2) return 1;
  return (k / 2 - 1) * gammaHalf(k - 2);
}

describe('gaussianTheory closed forms', () => {
  it('has one point per generation, 0 to generations', () => {
    const pts = theory({ generations: 17 });
    expect(pts.map((p) => p.generation)).toEqual(Array.from({ length: 18 }, (_, i) => i));
  });

  it('gives E[σ²_n] = ((M − 1)/M)^(n + 1) for mle at share 1 under replace', () => {
    // Far into collapse too: at M = 10, n = 1000 it is 0.9^1001 ≈ 1e-46. (Computed as
    // (E[T2] − E[T1]²/N)/d the variance once floored at ~1e-16 of E[μ²] here.) The recursion
    // adds about one rounding per generation, hence 1e-12 over 1000 generations.
    for (const M of [10, 37, 100]) {
      const pts = theory({ samplesPerGeneration: M, generations: 1000 });
      for (const p of pts) {
        expect(relErr(p.variance, ((M - 1) / M) ** (p.generation + 1))).toBeLessThan(1e-12);
      }
    }
  });

  it('gives E[σ²_n] = 1 for every n with the unbiased estimator at share 1 under replace', () => {
    for (const M of [10, 100]) {
      for (const p of theory({
        samplesPerGeneration: M,
        generations: 300,
        estimator: 'unbiased',
      })) {
        expect(Math.abs(p.variance - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('scales the variance by λ per sampled generation (temperature)', () => {
    const M = 20;
    for (const temperature of [0.1, 0.5, 1.5]) {
      for (const estimator of ['mle', 'unbiased'] as const) {
        const q = estimator === 'mle' ? (M - 1) / M : 1;
        for (const p of theory({
          samplesPerGeneration: M,
          generations: 200,
          temperature,
          estimator,
        })) {
          const want = q ** (p.generation + 1) * temperature ** p.generation;
          expect(relErr(p.variance, want)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('grows E[μ²] by λE[σ²]/M per fit, from 1/M at generation 0', () => {
    const M = 15;
    for (const estimator of ['mle', 'unbiased'] as const) {
      for (const temperature of [1, 0.7]) {
        const pts = theory({ samplesPerGeneration: M, generations: 40, estimator, temperature });
        let want = 1 / M;
        for (const p of pts) {
          if (p.generation > 0) want += (temperature * pts[p.generation - 1].variance) / M;
          expect(relErr(p.meanSquare, want)).toBeLessThan(1e-12);
        }
      }
    }
    // Unbiased, share 1: E[μ²_n] = (n + 1)/M exactly.
    for (const p of theory({ samplesPerGeneration: M, generations: 40, estimator: 'unbiased' })) {
      expect(relErr(p.meanSquare, (p.generation + 1) / M)).toBeLessThan(1e-12);
    }
  });

  it('gives E[σ_n] = c^(n + 1) with c = √(2/d) Γ(M/2)/Γ((M − 1)/2)', () => {
    for (const M of [10, 11, 30]) {
      for (const estimator of ['mle', 'unbiased'] as const) {
        const d = estimator === 'mle' ? M : M - 1;
        const c = (Math.sqrt(2 / d) * gammaHalf(M)) / gammaHalf(M - 1);
        for (const p of theory({ samplesPerGeneration: M, generations: 50, estimator })) {
          expect(relErr(p.stdMean as number, c ** (p.generation + 1))).toBeLessThan(1e-11);
          // Jensen: E[σ] ≤ √E[σ²].
          expect(p.stdMean as number).toBeLessThanOrEqual(Math.sqrt(p.variance));
        }
      }
    }
  });

  it('puts the median and 5 %/95 % points of σ_n at exp(E ln σ_n ∓ 1.645 sd)', () => {
    // M = 11: ν/2 = 5, so E ln χ²_10 = ψ(5) + ln 2 = −γ + 25/12 + ln 2 and
    // Var ln χ²_10 = ψ'(5) = π²/6 − (1 + 1/4 + 1/9 + 1/16), both from known sums.
    const M = 11;
    const logMean = -EULER_GAMMA + 25 / 12 + Math.LN2;
    const logVar = Math.PI ** 2 / 6 - (1 + 1 / 4 + 1 / 9 + 1 / 16);
    for (const estimator of ['mle', 'unbiased'] as const) {
      const d = estimator === 'mle' ? M : M - 1;
      for (const temperature of [1, 0.8]) {
        for (const p of theory({
          samplesPerGeneration: M,
          generations: 40,
          estimator,
          temperature,
        })) {
          const n = p.generation;
          const mu = 0.5 * ((n + 1) * (logMean - Math.log(d)) + n * Math.log(temperature));
          const sd = 0.5 * Math.sqrt((n + 1) * logVar);
          // digamma/trigamma cut their series at ~1e-11/2e-10, which the exponent scales up.
          expect(relErr(p.stdMedian as number, Math.exp(mu))).toBeLessThan(1e-8);
          expect(relErr(p.stdQ05 as number, Math.exp(mu - Z95 * sd))).toBeLessThan(1e-8);
          expect(relErr(p.stdQ95 as number, Math.exp(mu + Z95 * sd))).toBeLessThan(1e-8);
        }
      }
    }
  });

  it('keeps E[σ²] + E[μ²] = 1 for mle under replace at any share (the second moment is kept)', () => {
    for (const syntheticFraction of [0, 0.3, 0.5, 0.9, 1]) {
      for (const p of theory({ samplesPerGeneration: 10, generations: 100, syntheticFraction })) {
        expect(Math.abs(p.variance + p.meanSquare - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('gives hand-computed values for a mixed share at generation 1', () => {
    // M = 10, k = 5, mle. Generation 0: E[σ²] = 0.9, E[μ²] = 0.1. The batch has
    // E[b₂] = 5(0.9 + 0.1) + 5 = 10 and E[b₁²] = 5·0.9 + 5 + 25·0.1 = 12,
    // so E[μ²] = 12/100 = 0.12 and E[σ²] = (10 − 12/10)/10 = 0.88.
    const [, p1] = theory({ samplesPerGeneration: 10, syntheticFraction: 0.5, generations: 1 });
    expect(p1.variance).toBeCloseTo(0.88, 14);
    expect(p1.meanSquare).toBeCloseTo(0.12, 14);
  });

  it('keeps the variance bounded away from 0 with a share of fresh real data', () => {
    // Fixed point of the mle recursion with p = k/M: E[μ²] = 1/(M(1 − p²) + p), E[σ²] = 1 − E[μ²].
    for (const [M, share] of [
      [10, 0.5],
      [10, 0.9],
      [100, 0.9],
    ]) {
      const p = Math.round(M * share) / M;
      const last = theory({
        samplesPerGeneration: M,
        syntheticFraction: share,
        generations: 1000,
      })[1000];
      const m = 1 / (M * (1 - p * p) + p);
      expect(last.meanSquare).toBeCloseTo(m, 10);
      expect(last.variance).toBeCloseTo(1 - m, 10);
    }
    // Share 1 has no such floor.
    expect(theory({ samplesPerGeneration: 10, generations: 1000 })[1000].variance).toBeLessThan(
      1e-10,
    );
  });

  it('keeps the variance bounded when data accumulate, where replacing it collapses', () => {
    for (const M of [10, 100]) {
      const acc = theory({ samplesPerGeneration: M, regime: 'accumulate', generations: 1000 });
      const rep = theory({ samplesPerGeneration: M, generations: 1000 });
      expect(acc[1000].variance).toBeGreaterThan(0.8);
      // Converged: the last 500 generations move it by less than 1e-3.
      expect(Math.abs(acc[1000].variance - acc[500].variance)).toBeLessThan(1e-3);
      expect(rep[1000].variance).toBeLessThan(1e-4);
    }
  });

  it('gives the pooled-sample values for accumulate with share 0: N = (g + 1)M fresh points', () => {
    const M = 10;
    for (const estimator of ['mle', 'unbiased'] as const) {
      for (const p of theory({
        samplesPerGeneration: M,
        regime: 'accumulate',
        syntheticFraction: 0,
        generations: 30,
        estimator,
      })) {
        const N = (p.generation + 1) * M;
        expect(relErr(p.variance, estimator === 'mle' ? (N - 1) / N : 1)).toBeLessThan(1e-12);
        expect(relErr(p.meanSquare, 1 / N)).toBeLessThan(1e-12);
      }
    }
  });

  it('draws the median curve and σ quantiles only for share 1 under replace', () => {
    const only = gaussianTheory(recipe({ generations: 3 }));
    expect(only?.stdCurve).toBe('median');
    for (const p of only?.points ?? []) expect(p.stdMedian).toBeGreaterThan(0);
    for (const fields of [
      { syntheticFraction: 0.5 },
      { regime: 'accumulate' as const },
      { syntheticFraction: 0 },
    ]) {
      const t = gaussianTheory(recipe({ generations: 3, ...fields }));
      expect(t?.stdCurve).toBe('rootMeanVariance');
      for (const p of t?.points ?? []) {
        expect(p.stdMean).toBeUndefined();
        expect(p.stdMedian).toBeUndefined();
      }
    }
  });
});

describe('theoryUnavailable', () => {
  it('has no closed form for accumulate-subsample or a fixed real set mixed with synthetic data', () => {
    for (const fields of [
      { regime: 'accumulate-subsample' as const },
      { realData: 'fixed' as const, syntheticFraction: 0.5 },
      { realData: 'fixed' as const, syntheticFraction: 0.5, regime: 'accumulate' as const },
    ]) {
      expect(theoryUnavailable(recipe(fields))).toEqual(expect.any(String));
      expect(gaussianTheory(recipe(fields))).toBeNull();
    }
  });

  it('has no closed form for accumulating a fixed real set (the pool repeats the same points)', () => {
    // The recursion assumes fresh draws: it would predict E[σ²] → 1 while the simulated fit
    // never moves from generation 0 (tests/unit/core/generation/loop.test.ts).
    const r = recipe({ realData: 'fixed', syntheticFraction: 0, regime: 'accumulate' });
    expect(theoryUnavailable(r)).toEqual(expect.any(String));
    expect(gaussianTheory(r)).toBeNull();
  });

  it('keeps the closed form where fixed real data is exact: share 0 under replace, or share 1', () => {
    const M = 10;
    const still = theory({
      samplesPerGeneration: M,
      realData: 'fixed',
      syntheticFraction: 0,
      generations: 20,
    });
    for (const p of still) {
      expect(relErr(p.variance, (M - 1) / M)).toBeLessThan(1e-12);
      expect(relErr(p.meanSquare, 1 / M)).toBeLessThan(1e-12);
    }
    for (const regime of ['replace', 'accumulate'] as const) {
      expect(theory({ realData: 'fixed', regime, generations: 20 })).toEqual(
        theory({ realData: 'fresh', regime, generations: 20 }),
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Simulation against theory.
//
// Method 1 (summaries, exact SE). For share 1 under replace, σ²_n = Π λ^[i>0] χ²_{M−1}/d over
// n + 1 independent fits, so the second moments are known in closed form:
//   E[σ⁴_n] = λ^{2n} ((M − 1)(M + 1)/d²)^{n+1},  Var σ_n = E[σ²_n] − E[σ_n]²,  Var μ_n = E[μ²_n].
// The replicate mean in `stats` of a run with R chains then has SE = sd/√R with sd exact under
// the theory being tested, so no per-replicate values are needed.
//
// Method 2 (chains across seeds). E[μ²] and E[ln σ] need per-replicate values, which only chain 1
// exposes: run replicates = 1 over S seeds (each seed's chain is independent of the others) and
// use the sample mean with SE = sample sd/√S.
//
// Where the per-replicate distribution is too skewed for a 4-SE rule over feasible R, the check
// is left out: at M = 10, n = 20, σ² has relative sd ≈ 8 and skewness in the hundreds (a product
// of 21 scaled χ²₉), so a mean over 10⁴ chains is itself far from normal (typically low, with
// rare huge overshoots). There E[σ] and E[ln σ] (well behaved) are still checked.
// ---------------------------------------------------------------------------------------------

interface Case {
  M: number;
  estimator: 'mle' | 'unbiased';
  R: number;
  S: number;
  /** Generations at which σ² and μ² are well enough behaved for the 4-SE rule. */
  momentGens: number[];
}
const CASES: Case[] = [
  { M: 10, estimator: 'mle', R: 4000, S: 2000, momentGens: [1, 5] },
  { M: 10, estimator: 'unbiased', R: 4000, S: 2000, momentGens: [1, 5] },
  { M: 100, estimator: 'mle', R: 800, S: 400, momentGens: [1, 5, 20] },
  { M: 100, estimator: 'unbiased', R: 800, S: 400, momentGens: [1, 5, 20] },
];
const GENS = [1, 5, 20];

/** Chain 1's model at each generation, for S seeds starting at `firstSeed`. */
async function chainsAcrossSeeds(fields: Partial<GaussianRecipe>, S: number, firstSeed: number) {
  const mean: number[][] = [];
  const std: number[][] = [];
  for (let s = 0; s < S; s++) {
    const res = await simulateAll(recipe({ ...fields, replicates: 1, seed: firstSeed + s }));
    mean.push(res.map((g) => g.chain.shown.model.mean));
    std.push(res.map((g) => g.chain.shown.model.std));
  }
  return { mean, std };
}

function sampleMeanAndSe(xs: number[]): { mean: number; se: number; variance: number } {
  const n = xs.length;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  return { mean: m, se: Math.sqrt(variance / n), variance };
}

describe.each(CASES)('simulation against theory: share 1, replace, M = $M, $estimator', (c) => {
  const fields = { samplesPerGeneration: c.M, generations: 20, estimator: c.estimator };
  const d = c.estimator === 'mle' ? c.M : c.M - 1;
  const pts = theory(fields);

  it('matches E[σ²], E[σ] and E[μ] = 0 with the replicate means of its summaries', async () => {
    const res = await simulateAll(recipe({ ...fields, replicates: c.R, seed: 101 }));
    for (const n of GENS) {
      const p = pts[n];
      const s = res[n].stats;
      if (c.momentGens.includes(n)) {
        const fourth = ((c.M - 1) * (c.M + 1)) / (d * d);
        const sdVariance = Math.sqrt(fourth ** (n + 1) - p.variance ** 2);
        expect(Math.abs(s.variance.mean - p.variance), `variance n = ${n}`).toBeLessThan(
          (4 * sdVariance) / Math.sqrt(c.R),
        );
      }
      const sdStd = Math.sqrt(p.variance - (p.stdMean as number) ** 2);
      expect(Math.abs(s.std.mean - (p.stdMean as number)), `std n = ${n}`).toBeLessThan(
        (4 * sdStd) / Math.sqrt(c.R),
      );
      expect(Math.abs(s.mean.mean), `mean n = ${n}`).toBeLessThan(
        4 * Math.sqrt(p.meanSquare / c.R),
      );
    }
  });

  it('matches E[μ²], E[ln σ] and Var[ln σ] across independently seeded chains', async () => {
    const { mean, std } = await chainsAcrossSeeds(fields, c.S, 10_000);
    for (const n of GENS) {
      const p = pts[n];
      if (c.momentGens.includes(n)) {
        const ms = sampleMeanAndSe(mean.map((m) => m[n] ** 2));
        expect(Math.abs(ms.mean - p.meanSquare), `meanSquare n = ${n}`).toBeLessThan(4 * ms.se);
      }
      // ln σ_n is a sum of n + 1 independent log-χ² terms: its mean (ln of the theory median) is
      // exact, its sd is 0.5·√((n + 1)ψ'((M − 1)/2)), and it is close to normal.
      const sdLog = 0.5 * Math.sqrt((n + 1) * trigamma((c.M - 1) / 2));
      const logs = sampleMeanAndSe(std.map((s) => Math.log(s[n])));
      expect(Math.abs(logs.mean - Math.log(p.stdMedian as number)), `E ln σ n = ${n}`).toBeLessThan(
        (4 * sdLog) / Math.sqrt(c.S),
      );
      // SE of a sample variance: sd²·√(2/(S − 1) + κ/S); the excess kurtosis κ of a log-χ²₉ sum
      // is below 0.5, so √(2.5/S) covers it.
      expect(Math.abs(logs.variance / sdLog ** 2 - 1), `Var ln σ n = ${n}`).toBeLessThan(
        4 * Math.sqrt(2.5 / c.S),
      );
    }
  });
});

describe('simulation against theory: temperature, mixed shares and accumulation', () => {
  it('matches E[σ²] with temperature λ = 0.5 (exact SE, summaries)', async () => {
    const M = 100;
    const temperature = 0.5;
    const fields = { samplesPerGeneration: M, generations: 5, temperature };
    const pts = theory(fields);
    const R = 600;
    const res = await simulateAll(recipe({ ...fields, replicates: R, seed: 202 }));
    for (const n of [1, 5]) {
      const fourth = ((M - 1) * (M + 1)) / (M * M);
      const sd = Math.sqrt(temperature ** (2 * n) * fourth ** (n + 1) - pts[n].variance ** 2);
      expect(Math.abs(res[n].stats.variance.mean - pts[n].variance)).toBeLessThan(
        (4 * sd) / Math.sqrt(R),
      );
    }
  });

  // No closed-form second moments here, so method 2: chains across seeds, sample SE. σ² is well
  // behaved in these regimes (mixing and pooling keep it from compounding), so 4 SE applies.
  const regimes: [string, Partial<GaussianRecipe>, number][] = [
    [
      'share 0.5, replace, mle, M = 100',
      { samplesPerGeneration: 100, syntheticFraction: 0.5 },
      400,
    ],
    [
      'share 0.5, replace, unbiased, M = 10',
      { samplesPerGeneration: 10, syntheticFraction: 0.5, estimator: 'unbiased' },
      1500,
    ],
    ['share 1, accumulate, mle, M = 100', { samplesPerGeneration: 100, regime: 'accumulate' }, 400],
    [
      'share 1, accumulate, unbiased, M = 10',
      { samplesPerGeneration: 10, regime: 'accumulate', estimator: 'unbiased' },
      1500,
    ],
    [
      'share 0.5, accumulate, mle, M = 10',
      { samplesPerGeneration: 10, regime: 'accumulate', syntheticFraction: 0.5 },
      1500,
    ],
    [
      'share 1, accumulate, mle, λ = 0.5, M = 10',
      { samplesPerGeneration: 10, regime: 'accumulate', temperature: 0.5 },
      1500,
    ],
    [
      'share 0.7, replace, mle, λ = 0.5, M = 10',
      { samplesPerGeneration: 10, syntheticFraction: 0.7, temperature: 0.5 },
      1500,
    ],
  ];
  it.each(regimes)('matches E[σ²] and E[μ²] for %s', async (_, fields, S) => {
    const all = { ...fields, generations: 20 };
    const pts = theory(all);
    const { mean, std } = await chainsAcrossSeeds(all, S, 20_000);
    for (const n of GENS) {
      const v = sampleMeanAndSe(std.map((s) => s[n] ** 2));
      expect(Math.abs(v.mean - pts[n].variance), `variance n = ${n}`).toBeLessThan(4 * v.se);
      const m = sampleMeanAndSe(mean.map((x) => x[n] ** 2));
      expect(Math.abs(m.mean - pts[n].meanSquare), `meanSquare n = ${n}`).toBeLessThan(4 * m.se);
    }
  });
});
