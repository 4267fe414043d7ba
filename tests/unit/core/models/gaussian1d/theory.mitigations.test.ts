// The 1-D Gaussian's theory with the mitigations (core/models/gaussian1d/theory.ts): E[σ²], E[μ²]
// recursion with a watermark filter and its stationary point under a fresh real share p = 1 − s,
// temperature λ and a filter; a synthetic-share schedule; and where no closed form is shown.
//
// Simulation budget: about 2e7 normals. Seeds are fixed; statistical checks allow 4 standard
// errors of the mean over independent chains (each chain's values averaged over a window of
// generations, so the chains are the independent units).
import { describe, expect, it } from 'vitest';
import { runChains } from '../../../../../src/core/generation/loop';
import { gaussianFamily } from '../../../../../src/core/models/gaussian1d/family';
import { gaussianSpec } from '../../../../../src/core/models/gaussian1d/spec';
import {
  approximateStationaryVariance,
  gaussianTheory,
  stationaryVariance,
  theoryUnavailable,
} from '../../../../../src/core/models/gaussian1d/theory';
import { DEFAULT_RECIPE, type GaussianRecipe, parseRecipe } from '../../../../../src/core/recipe';

function recipe(fields: Record<string, unknown>): GaussianRecipe {
  const r = parseRecipe(fields);
  if (!r.ok) throw new Error(r.error);
  expect(r.warnings).toEqual([]);
  return r.recipe as GaussianRecipe;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function theory(r: GaussianRecipe) {
  const t = gaussianTheory(r);
  if (!t) throw new Error(`no theory: ${theoryUnavailable(r)}`);
  return t.points;
}

/**
 * Per chain, the mean over generations [from, to] of σ² and μ²; returned as the mean over chains
 * and its standard error.
 */
async function chainAverages(r: GaussianRecipe, from: number, to = r.generations) {
  const R = r.replicates;
  const v = new Float64Array(R);
  const m = new Float64Array(R);
  for await (const p of runChains(r, gaussianFamily(r))) {
    if (p.generation < from || p.generation > to) continue;
    for (let i = 0; i < R; i++) {
      v[i] += p.values.variance[i];
      m[i] += p.values.mean[i] ** 2;
    }
  }
  const G = to - from + 1;
  const stat = (a: Float64Array) => {
    let s = 0;
    for (const x of a) s += x / G;
    const mean = s / R;
    let ss = 0;
    for (const x of a) ss += (x / G - mean) ** 2;
    return { mean, se: Math.sqrt(ss / (R - 1) / R) };
  };
  return { variance: stat(v), meanSquare: stat(m) };
}

const within = (got: { mean: number; se: number }, want: number, what: string) =>
  expect(Math.abs(got.mean - want), `${what}: ${got.mean} ± ${got.se} vs ${want}`).toBeLessThan(
    4 * got.se,
  );

describe('the filter recursion', () => {
  it('is the unfiltered recursion when the filter flags nothing', () => {
    for (const estimator of ['mle', 'unbiased'] as const) {
      for (const [M, s, lambda] of [
        [10, 1, 1],
        [37, 0.6, 0.8],
        [100, 0.9, 1.3],
      ]) {
        const base = { samplesPerGeneration: M, syntheticFraction: s, temperature: lambda };
        const plain = theory(recipe({ ...base, estimator, generations: 60 }));
        const none = theory(
          recipe({
            ...base,
            estimator,
            generations: 60,
            filter: { truePositiveRate: 0, falsePositiveRate: 0 },
          }),
        );
        for (let n = 0; n <= 60; n++) {
          expect(rel(none[n].variance, plain[n].variance)).toBeLessThan(1e-12);
          expect(rel(none[n].meanSquare, plain[n].meanSquare)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('converges to stationaryVariance, the fixed point of the recursion', () => {
    const fields = {
      samplesPerGeneration: 20,
      syntheticFraction: 0.8,
      temperature: 0.9,
      generations: 1000,
      filter: { truePositiveRate: 0.4, falsePositiveRate: 0.3 },
    };
    for (const estimator of ['mle', 'unbiased'] as const) {
      const r = recipe({ ...fields, estimator });
      const last = theory(r)[1000];
      const fixed = stationaryVariance(r);
      expect(fixed?.variance).toBeCloseTo(last.variance, 10);
      expect(fixed?.meanSquare).toBeCloseTo(last.meanSquare, 10);
    }
    // No finite fixed point when the chain's variance grows: λ > 1 with everything synthetic.
    expect(
      stationaryVariance({ ...DEFAULT_RECIPE, syntheticFraction: 1, temperature: 1.5 }),
    ).toBeNull();
    // All synthetic and nothing caught: σ² → 0 but the mean wanders without bound (E[μ²] grows
    // by E[σ²]/M per fit), so there is no joint fixed point either.
    expect(stationaryVariance({ ...DEFAULT_RECIPE, syntheticFraction: 1 })).toBeNull();
  });

  it('approaches the large-M formula (1 − 1/N̄)(1 − s_eff) / (1 − λ s_eff (1 − 1/N̄)) as O(1/M)', () => {
    for (const [s, lambda, t, f] of [
      [0.8, 0.9, 0.5, 0.2],
      [0.9, 1, 0.3, 0.5],
      [0.5, 1.1, 0.9, 0.1],
    ]) {
      const gap = (M: number) => {
        const r = {
          samplesPerGeneration: M,
          syntheticFraction: s,
          temperature: lambda,
          estimator: 'mle' as const,
          filter: { truePositiveRate: t, falsePositiveRate: f },
        };
        return (
          (stationaryVariance(r)?.variance ?? Number.NaN) -
          (approximateStationaryVariance(r) ?? Number.NaN)
        );
      };
      // Measured: M · gap is 0.2 to 9.6 here, and settles as M grows.
      expect(Math.abs(gap(1000))).toBeLessThan(20 / 1000);
      expect(Math.abs(gap(10_000))).toBeLessThan(20 / 10_000);
      expect(Math.abs(gap(10_000) * 10_000 - gap(1000) * 1000)).toBeLessThan(0.5);
    }
    // The effective share: s = 0.8, TPR 0.5, FPR 0.2 leave s_eff = 0.4 / (0.4 + 0.16) of
    // N̄ = 0.56 M points.
    const sEff = 0.4 / 0.56;
    const N = 0.56 * 1e6;
    expect(
      approximateStationaryVariance({
        samplesPerGeneration: 1e6,
        syntheticFraction: 0.8,
        temperature: 0.9,
        filter: { truePositiveRate: 0.5, falsePositiveRate: 0.2 },
      }),
    ).toBeCloseTo(((1 - 1 / N) * (1 - sEff)) / (1 - 0.9 * sEff * (1 - 1 / N)), 12);
  });
});

describe('the stationary variance against the simulation (within 4 SEs)', () => {
  it.each([
    // [M, share s, λ, estimator, TPR, FPR]
    [10, 0.9, 1, 'mle', 0.3, 0.5], // the mean wanders: E[μ²] ≈ 0.56
    [50, 0.8, 0.8, 'mle', 0.5, 0.2],
    [20, 0.7, 1.2, 'unbiased', 0.4, 0.1],
    [10, 0.5, 1, 'mle', 0.9, 0.7], // starved in about a third of the generations
  ] as const)(
    'M = %i, s = %s, λ = %s, %s, TPR %s, FPR %s',
    async (M, s, lambda, estimator, t, f) => {
      const r = recipe({
        samplesPerGeneration: M,
        syntheticFraction: s,
        temperature: lambda,
        estimator,
        generations: 400,
        replicates: 800,
        seed: 17,
        filter: { truePositiveRate: t, falsePositiveRate: f },
      });
      const fixed = stationaryVariance(r);
      if (!fixed) throw new Error('no fixed point');
      // The theory has settled by generation 100 (to well under the simulation's SE).
      const pts = theory(r);
      expect(Math.abs(pts[100].variance - fixed.variance)).toBeLessThan(1e-4);
      const sim = await chainAverages(r, 100);
      within(sim.variance, fixed.variance, 'E[σ²]');
      within(sim.meanSquare, fixed.meanSquare, 'E[μ²]');
    },
  );

  it('follows the recursion generation by generation on the way there', async () => {
    const r = recipe({
      samplesPerGeneration: 20,
      syntheticFraction: 0.9,
      temperature: 0.9,
      generations: 8,
      replicates: 1000,
      seed: 23,
      filter: { truePositiveRate: 0.5, falsePositiveRate: 0.3 },
    });
    const pts = theory(r);
    for (const n of [1, 3, 8]) {
      const sim = await chainAverages(r, n, n);
      within(sim.variance, pts[n].variance, `E[σ²] at generation ${n}`);
    }
  });
});

describe('the schedule in the theory', () => {
  it.each(['replace', 'accumulate'] as const)(
    'follows a ramp under %s (within 4 SEs)',
    async (regime) => {
      const r = recipe({
        samplesPerGeneration: 30,
        generations: 20,
        replicates: 1000,
        seed: 31,
        regime,
        syntheticSchedule: { from: 0.2, to: 1, over: 8 },
      });
      expect(theoryUnavailable(r)).toBeNull();
      const pts = theory(r);
      for (const n of [2, 8, 20]) {
        const sim = await chainAverages(r, n, n);
        within(sim.variance, pts[n].variance, `E[σ²] at generation ${n}`);
      }
    },
  );
});

describe('where no closed form is shown', () => {
  it('says so for curation, a filter under accumulate or on a fixed real set, and a schedule mixing a fixed real set', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ curation: { keep: 0.5 } }, /curation/],
      [{ regime: 'accumulate', filter: {} }, /filter under accumulate/],
      [{ syntheticFraction: 0.5, realData: 'fixed', filter: {} }, /fixed real set/],
      [{ realData: 'fixed', syntheticSchedule: { from: 0, to: 1, over: 5 } }, /fixed real set/],
    ];
    for (const [fields, why] of cases) {
      const r = recipe(fields);
      expect(theoryUnavailable(r)).toMatch(why);
      expect(gaussianTheory(r)).toBeNull();
      expect(gaussianSpec.theoryNote(r)).toMatch(why);
    }
    // Shown: a filter under replace with fresh data; all-synthetic schedules on a fixed set.
    expect(theoryUnavailable(recipe({ filter: {} }))).toBeNull();
    expect(
      theoryUnavailable(
        recipe({ realData: 'fixed', syntheticSchedule: { from: 1, to: 1, over: 5 } }),
      ),
    ).toBeNull();
  });
});
