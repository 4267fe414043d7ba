// The generation loop (src/core/generation/loop.ts) run with the 1-D Gaussian family: regimes,
// training-set composition and provenance, reproducibility, splitting chains, and the replicate
// band against the theory.
import { describe, expect, it } from 'vitest';
import { mergeParts, runChains, simulate } from '../../../../src/core/generation/loop';
import { type GenerationResult, REAL, REGIMES } from '../../../../src/core/generation/types';
import { type GaussianShown, gaussianFamily } from '../../../../src/core/models/gaussian1d/family';
import { GAUSSIAN_METRICS, type GaussianMetric } from '../../../../src/core/models/gaussian1d/spec';
import { gaussianTheory } from '../../../../src/core/models/gaussian1d/theory';
import { type GaussianRecipe, parseRecipe } from '../../../../src/core/recipe';
import { Z95 } from '../../../../src/core/special';
import { SUMMARY_KEYS } from '../../../../src/core/summary';
import { collect, originCounts, realOf, runSplit, sampleOf, syntheticOf } from './helpers';

// Simulation budget for this file: about 1e7 normals in total (the two band runs at the end are
// most of it). Seeds are fixed, so every check is deterministic; each statistical tolerance says
// how often it would fail on a fresh seed.

type Result = GenerationResult<GaussianMetric, GaussianShown>;

/** Points of chain 1's training set shown per generation (the family's display cap). */
const CHAIN_SAMPLE_CAP = gaussianFamily({ estimator: 'mle' }).shownTrainingPoints;

function recipe(fields: Partial<GaussianRecipe>): GaussianRecipe {
  const r = parseRecipe(fields);
  if (!r.ok) throw new Error(r.error);
  expect(r.warnings).toEqual([]);
  return r.recipe as GaussianRecipe;
}

function run(fields: Partial<GaussianRecipe>): Promise<Result[]> {
  const r = recipe(fields);
  return collect(simulate(r, gaussianFamily(r)));
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Chain 1's shown synthetic and real training points. */
const synthPoints = (g: Result) => syntheticOf(g.chain.sample);
const realPoints = (g: Result) => realOf(g.chain.sample);

/** Chain 1's whole shown training set. */
function shown(g: Result): Float32Array {
  return sampleOf(g.chain.sample).values;
}

const small = { samplesPerGeneration: 40, generations: 12, replicates: 6, seed: 11 } as const;

describe('simulate with the Gaussian family', () => {
  it('yields one result per generation, 0 to generations, each summarising every metric', async () => {
    const res = await run(small);
    expect(res.map((g) => g.generation)).toEqual(Array.from({ length: 13 }, (_, i) => i));
    for (const g of res) {
      expect(Object.keys(g.stats).sort()).toEqual([...GAUSSIAN_METRICS].sort());
      for (const m of GAUSSIAN_METRICS) {
        expect(Object.keys(g.stats[m]).sort()).toEqual([...SUMMARY_KEYS].sort());
        for (const k of SUMMARY_KEYS)
          expect(Number.isFinite(g.stats[m][k]), `${m}.${k}`).toBe(true);
      }
    }
  });

  it('keeps every summary free of NaN after chains collapse to a point', async () => {
    // Temperature 0.1 shrinks the variance ~10x per generation, so within ~20 generations the
    // samples round to the mean and the fitted std is exactly 0 (kl is then +∞, never NaN).
    const res = await run({
      samplesPerGeneration: 10,
      generations: 40,
      replicates: 20,
      temperature: 0.1,
    });
    const last = res[res.length - 1];
    expect(last.stats.std.q95).toBe(0);
    for (const g of res) {
      for (const m of GAUSSIAN_METRICS) {
        for (const k of SUMMARY_KEYS) expect(Number.isNaN(g.stats[m][k]), `${m}.${k}`).toBe(false);
      }
    }
    expect(last.stats.kl.median).toBe(Number.POSITIVE_INFINITY);
    expect(last.stats.tailMass.q95).toBe(0);
  });
});

describe('reproducibility', () => {
  const variants: Partial<GaussianRecipe>[] = [
    { regime: 'replace', syntheticFraction: 0.5 },
    { regime: 'replace', realData: 'fixed', syntheticFraction: 0.7, estimator: 'unbiased' },
    { regime: 'accumulate', temperature: 0.8 },
    { regime: 'accumulate-subsample', syntheticFraction: 0.9 },
    // Past CHAIN_SAMPLE_CAP, so the display subsample's own stream is exercised too.
    { regime: 'accumulate', samplesPerGeneration: 200, generations: 12, replicates: 2 },
  ];

  it('gives bit-identical results (all stats and chain samples) for the same seed', async () => {
    for (const v of variants) {
      const a = await run({ ...small, ...v });
      const b = await run({ ...small, ...v });
      // toEqual compares numbers with Object.is and typed arrays element by element.
      expect(a).toEqual(b);
    }
  });

  it('gives different numbers for a different seed', async () => {
    for (const v of variants) {
      const a = await run({ ...small, ...v, seed: 1 });
      const b = await run({ ...small, ...v, seed: 2 });
      for (let g = 0; g < a.length; g++) {
        expect(a[g].stats.std.mean).not.toBe(b[g].stats.std.mean);
        expect(a[g].stats.mean.median).not.toBe(b[g].stats.mean.median);
        expect(a[g].chain.shown.model.mean).not.toBe(b[g].chain.shown.model.mean);
        expect(Array.from(realPoints(a[g]))).not.toEqual(Array.from(realPoints(b[g])));
      }
    }
  });

  it('gives chain 1 the same results whatever the replicate count (replicate streams are independent)', async () => {
    for (const regime of REGIMES) {
      const base = {
        samplesPerGeneration: 30,
        generations: 10,
        seed: 7,
        syntheticFraction: 0.8,
        regime,
      };
      const one = await run({ ...base, replicates: 1 });
      const many = await run({ ...base, replicates: 50 });
      for (let g = 0; g < one.length; g++) {
        expect(many[g].chain).toEqual(one[g].chain);
        // With one replicate the summary is that chain; with 50 it is not.
        expect(one[g].stats.std.mean).toBe(one[g].chain.shown.model.std);
        expect(many[g].stats.std.q05).toBeLessThan(many[g].stats.std.q95);
      }
    }
  });

  it("never gives one seed's replicate the stream of another seed's replicate", async () => {
    // With two replicates, replicate 1's std is 2·mean − (replicate 0's std). A symmetric stream
    // hash once made (seed a, replicate b) equal (seed b, replicate a), and (seed s, replicate s)
    // the same chain for every s.
    const base = { samplesPerGeneration: 20, generations: 5 };
    const secondReplicate = async (seed: number) =>
      (await run({ ...base, seed, replicates: 2 })).map(
        (g) => 2 * g.stats.std.mean - g.chain.shown.model.std,
      );
    const firstReplicate = async (seed: number) =>
      (await run({ ...base, seed, replicates: 1 })).map((g) => g.chain.shown.model.std);
    const pairs: [number[], number[]][] = [
      [await secondReplicate(0), await firstReplicate(1)], // (seed 0, rep 1) vs (seed 1, rep 0)
      [await secondReplicate(1), await firstReplicate(0)], // (seed 1, rep 1) vs (seed 0, rep 0)
      [await secondReplicate(2), await firstReplicate(1)], // (seed 2, rep 1) vs (seed 1, rep 0): unrelated
    ];
    for (const [x, y] of pairs) {
      const gap = Math.max(...x.map((v, i) => Math.abs(v - y[i])));
      // Equal streams would agree to rounding (~1e-15); independent chains differ by ~0.1.
      expect(gap).toBeGreaterThan(1e-6);
    }
  });
});

describe("chain 1's training set", () => {
  it('under replace holds M points: round(M·share) synthetic from generation 1, none at 0', async () => {
    for (const M of [10, 37, 100]) {
      for (const share of [0, 0.25, 0.5, 0.9, 1]) {
        const res = await run({
          samplesPerGeneration: M,
          generations: 4,
          replicates: 2,
          syntheticFraction: share,
        });
        const k = Math.round(M * share);
        for (const g of res) {
          const synthetic = g.generation === 0 ? 0 : k;
          expect(g.chain.training).toEqual({ size: M, synthetic, real: M - synthetic });
          expect(synthPoints(g).length).toBe(synthetic);
          expect(realPoints(g).length).toBe(M - synthetic);
        }
      }
    }
  });

  it('under accumulate holds (g + 1)·M points, g·round(M·share) of them synthetic', async () => {
    for (const [M, share] of [
      [10, 0.25],
      [50, 1],
      [200, 0.6], // passes CHAIN_SAMPLE_CAP at generation 10
    ]) {
      const res = await run({
        samplesPerGeneration: M,
        generations: 15,
        replicates: 2,
        syntheticFraction: share,
        regime: 'accumulate',
      });
      const k = Math.round(M * share);
      for (const g of res) {
        const size = (g.generation + 1) * M;
        const synthetic = g.generation * k;
        expect(g.chain.training).toEqual({ size, synthetic, real: size - synthetic });
        const nShown = synthPoints(g).length + realPoints(g).length;
        expect(nShown).toBe(Math.min(size, CHAIN_SAMPLE_CAP));
        if (size <= CHAIN_SAMPLE_CAP) {
          expect(synthPoints(g).length).toBe(synthetic);
        } else {
          // A uniform subset: the synthetic count is hypergeometric; 4.5 SE (~1 in 150,000).
          const p = synthetic / size;
          const sd = Math.sqrt(
            (CHAIN_SAMPLE_CAP * p * (1 - p) * (size - CHAIN_SAMPLE_CAP)) / (size - 1),
          );
          expect(Math.abs(synthPoints(g).length - CHAIN_SAMPLE_CAP * p)).toBeLessThan(
            4.5 * sd + 1e-9,
          );
        }
      }
    }
  });

  it('under accumulate-subsample holds M points, mostly synthetic after many share-1 generations', async () => {
    const M = 100;
    const res = await run({
      samplesPerGeneration: M,
      generations: 30,
      replicates: 2,
      regime: 'accumulate-subsample',
    });
    for (const g of res) {
      const { size, synthetic, real } = g.chain.training;
      expect(size).toBe(M);
      expect(synthetic + real).toBe(M);
      expect(synthetic).toBeGreaterThanOrEqual(0);
      expect(synthetic).toBeLessThanOrEqual(M);
      if (g.generation === 0) expect(synthetic).toBe(0);
      expect(synthPoints(g).length).toBe(synthetic);
      expect(realPoints(g).length).toBe(real);
      // The pool holds M real and g·M synthetic points; a draw of M is hypergeometric with mean
      // M·g/(g + 1). 4.5 SE per generation: ~1 in 5,000 for the 30 checks together.
      if (g.generation > 0) {
        const N = (g.generation + 1) * M;
        const p = g.generation / (g.generation + 1);
        const sd = Math.sqrt((M * p * (1 - p) * (N - M)) / (N - 1));
        expect(Math.abs(synthetic - M * p)).toBeLessThan(4.5 * sd + 1e-9);
      }
    }
    expect(res[30].chain.training.synthetic).toBeGreaterThan(0.9 * M);
    // With share 0 nothing synthetic ever enters the pool.
    for (const g of await run({
      samplesPerGeneration: M,
      generations: 8,
      replicates: 1,
      regime: 'accumulate-subsample',
      syntheticFraction: 0,
    }))
      expect(g.chain.training.synthetic).toBe(0);
  });

  it('is what chain 1 was fitted to: the shown points reproduce its model', async () => {
    // The shown samples are float32 copies (relative rounding 6e-8); with M·(g + 1) ≤ the cap
    // they are the whole training set, so their mean and mle std match the model to ~1e-6.
    for (const regime of REGIMES) {
      const res = await run({
        samplesPerGeneration: 50,
        generations: 20,
        replicates: 2,
        syntheticFraction: 0.6,
        regime,
      });
      for (const g of res) {
        const xs = shown(g);
        expect(xs.length).toBe(g.chain.training.size);
        const m = mean(xs);
        const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
        expect(Math.abs(m - g.chain.shown.model.mean)).toBeLessThan(1e-5);
        expect(Math.abs(sd / g.chain.shown.model.std - 1)).toBeLessThan(1e-5);
      }
    }
  });
});

describe('real data fixed versus fresh', () => {
  it('with share 0 and fixed real data under replace, refits generation 0 every generation', async () => {
    const fixed = await run({ ...small, syntheticFraction: 0, realData: 'fixed' });
    const m0 = fixed[0].chain.shown.model;
    for (const g of fixed) {
      // Bit-identical data; the fit's shift (0 at generation 0, the previous mean later) can move
      // the last bit, hence 1e-14 rather than exact equality.
      expect(Math.abs(g.chain.shown.model.mean - m0.mean)).toBeLessThan(1e-14);
      expect(Math.abs(g.chain.shown.model.std / m0.std - 1)).toBeLessThan(1e-14);
      expect(realPoints(g)).toEqual(realPoints(fixed[0]));
      // Every replicate does the same, so the summaries are constant too.
      expect(g.stats.std.mean).toBeCloseTo(fixed[0].stats.std.mean, 14);
    }
    const fresh = await run({ ...small, syntheticFraction: 0, realData: 'fresh' });
    for (const g of fresh.slice(1)) {
      expect(Math.abs(g.chain.shown.model.std - fresh[0].chain.shown.model.std)).toBeGreaterThan(
        1e-6,
      );
    }
  });

  it('reuses the same real points beside the synthetic ones when mixed', async () => {
    const M = small.samplesPerGeneration;
    const fixed = await run({ ...small, syntheticFraction: 0.5, realData: 'fixed' });
    for (const g of fixed.slice(1)) {
      expect(realPoints(g)).toEqual(realPoints(fixed[0]).subarray(0, M / 2));
    }
    const fresh = await run({ ...small, syntheticFraction: 0.5, realData: 'fresh' });
    expect(Array.from(realPoints(fresh[2]))).not.toEqual(Array.from(realPoints(fresh[1])));
  });

  it('with share 0 and fixed real data under accumulate, never moves the mle fit', async () => {
    const res = await run({
      ...small,
      syntheticFraction: 0,
      realData: 'fixed',
      regime: 'accumulate',
    });
    for (const g of res) {
      expect(Math.abs(g.chain.shown.model.mean - res[0].chain.shown.model.mean)).toBeLessThan(
        1e-13,
      );
      expect(Math.abs(g.chain.shown.model.std / res[0].chain.shown.model.std - 1)).toBeLessThan(
        1e-13,
      );
    }
  });
});

describe('estimator and temperature', () => {
  it('scales the mle variance by ((M − 1)/M)^(n + 1) against the unbiased one, chain by chain', async () => {
    // Same seed, share 1, replace: both estimators see the same normals, so σ²_mle,n is
    // σ²_unbiased,n times ((M − 1)/M) per fit, exactly up to rounding.
    const M = 25;
    const base = { samplesPerGeneration: M, generations: 30, replicates: 5, seed: 3 };
    const mle = await run({ ...base, estimator: 'mle' });
    const unbiased = await run({ ...base, estimator: 'unbiased' });
    for (let n = 0; n <= 30; n++) {
      const ratio = mle[n].chain.shown.model.std ** 2 / unbiased[n].chain.shown.model.std ** 2;
      expect(Math.abs(ratio / ((M - 1) / M) ** (n + 1) - 1)).toBeLessThan(1e-10);
      expect(mle[n].stats.variance.median / unbiased[n].stats.variance.median).toBeCloseTo(
        ((M - 1) / M) ** (n + 1),
        10,
      );
    }
  });

  it('samples each generation with variance λσ² (temperature λ)', async () => {
    // share 1, replace, mle: σ²_n/σ²_{n−1} = λχ²_{M−1}/M, mean λ(M − 1)/M and sd λ√(2(M − 1))/M.
    // The mean of 30 ratios is checked to 4 SE (~1 in 16,000).
    const M = 1000;
    for (const temperature of [0.1, 0.5, 1, 2]) {
      const res = await run({
        samplesPerGeneration: M,
        generations: 30,
        replicates: 1,
        temperature,
        seed: 4,
      });
      const ratios = res
        .slice(1)
        .map((g, i) => (g.chain.shown.model.std / res[i].chain.shown.model.std) ** 2);
      const se = (temperature * Math.sqrt(2 * (M - 1))) / M / Math.sqrt(ratios.length);
      expect(Math.abs(mean(ratios) - (temperature * (M - 1)) / M)).toBeLessThan(4 * se);
    }
  });
});

describe('the replicate band against the theory (share 1, replace)', () => {
  /** sd of ln σ implied by the theory's own log-normal quantiles. */
  const logSd = (p: { stdMedian?: number; stdQ95?: number }) =>
    Math.log((p.stdQ95 as number) / (p.stdMedian as number)) / Z95;
  // Sampling SE of an empirical p-quantile, in sd units of a normal: sqrt(p(1 − p)/R)/φ(z_p).
  const quantileSe = (R: number, p: number, z: number) =>
    Math.sqrt((p * (1 - p)) / R) / (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI));
  // The theory treats ln σ_n as normal; it is a sum of n + 1 log-χ² terms with skewness
  // ≈ −0.2/√(n + 1) at M = 50, which by Cornish–Fisher moves the 5 %, 50 % and 95 % points by at
  // most ~0.06 sd (at n = 0). That allowance is added to 4 sampling SEs (~1 in 16,000 per check).
  const skewAllowance = 0.06;

  function checkBand(res: Result[], r: GaussianRecipe, generations: number[]) {
    const theory = gaussianTheory(r);
    expect(theory?.stdCurve).toBe('median');
    for (const n of generations) {
      const p = theory?.points[n] as NonNullable<typeof theory>['points'][number];
      const s = res[n].stats.std;
      const sd = logSd(p);
      expect(s.q25, `n = ${n}`).toBeLessThanOrEqual(p.stdMedian as number);
      expect(s.q75, `n = ${n}`).toBeGreaterThanOrEqual(p.stdMedian as number);
      const tolMedian = (4 * quantileSe(r.replicates, 0.5, 0) + skewAllowance) * sd;
      const tolTail = (4 * quantileSe(r.replicates, 0.05, Z95) + skewAllowance) * sd;
      expect(
        Math.abs(Math.log(s.median / (p.stdMedian as number))),
        `median n = ${n}`,
      ).toBeLessThan(tolMedian);
      expect(Math.abs(Math.log(s.q05 / (p.stdQ05 as number))), `q05 n = ${n}`).toBeLessThan(
        tolTail,
      );
      expect(Math.abs(Math.log(s.q95 / (p.stdQ95 as number))), `q95 n = ${n}`).toBeLessThan(
        tolTail,
      );
    }
  }

  it('puts the theory median inside [q25, q75] and its 5 %/95 % points at q05/q95 (mle)', async () => {
    // 1000 replicates × 50 points × 51 generations ≈ 2.6e6 normals.
    const r = recipe({ samplesPerGeneration: 50, generations: 50, replicates: 1000, seed: 21 });
    checkBand(await collect(simulate(r, gaussianFamily(r))), r, [0, 1, 5, 20, 50]);
  });

  it('collapses under the unbiased estimator: median std well below 1 by generation 200, mean variance ≈ 1', async () => {
    // 350 replicates × 100 points × 201 generations ≈ 7e6 normals.
    const r = recipe({
      samplesPerGeneration: 100,
      generations: 200,
      replicates: 350,
      estimator: 'unbiased',
      seed: 22,
    });
    const res = await collect(simulate(r, gaussianFamily(r)));
    checkBand(res, r, [1, 50, 100, 200]);
    const last = res[200].stats;
    // Theory: median σ_200 = exp(201·E ln(χ²_99/99)/2) ≈ 0.36. Over 20,000 simulated sets of
    // 350 exact chains the replicate median stayed in [0.28, 0.46].
    expect(last.std.median).toBeLessThan(0.5);
    expect(last.std.q05).toBeLessThan(0.15);
    // E[σ²] = 1 for every n, but σ²_200 is log-normal-like with log-sd ≈ 2, so the mean of 350
    // is skewed: over 20,000 simulated sets it fell outside [0.4, 8] about 1 time in 5,000.
    // (The mle estimator would give 0.99^201 ≈ 0.13.)
    expect(last.variance.mean).toBeGreaterThan(0.4);
    expect(last.variance.mean).toBeLessThan(8);
    // The typical chain has collapsed while the average has not: the mean variance exceeded 3×
    // the median variance in all 20,000 simulated sets (theory: ≈ 1 against ≈ 0.13).
    expect(last.variance.mean).toBeGreaterThan(3 * last.variance.median);
  });
});

describe("provenance of chain 1's training points", () => {
  it.each(REGIMES)(
    'under %s, every origin is REAL or an earlier generation, and the counts match the composition',
    async (regime) => {
      // (g + 1)·M ≤ the display cap, so the sample is chain 1's whole training set.
      const res = await run({
        samplesPerGeneration: 30,
        generations: 12,
        replicates: 3,
        syntheticFraction: 0.6,
        regime,
      });
      for (const g of res) {
        const s = sampleOf(g.chain.sample);
        expect(s.width).toBe(1);
        expect(s.origin.length).toBe(g.chain.training.size);
        expect(s.values.length).toBe(s.origin.length);
        const counts = originCounts(s);
        for (const o of counts.keys()) {
          expect(
            o === REAL || (Number.isInteger(o) && o >= 0 && o < g.generation),
            `origin ${o}`,
          ).toBe(true);
        }
        expect(counts.get(REAL) ?? 0, `generation ${g.generation}`).toBe(g.chain.training.real);
        expect(s.origin.length - (counts.get(REAL) ?? 0)).toBe(g.chain.training.synthetic);
      }
    },
  );

  it('under replace with share s, exactly round(M·s) points come from generation − 1, the rest are real', async () => {
    for (const M of [10, 37, 100]) {
      for (const share of [0, 0.25, 0.5, 0.9, 1]) {
        const res = await run({
          samplesPerGeneration: M,
          generations: 4,
          replicates: 2,
          syntheticFraction: share,
        });
        const k = Math.round(M * share);
        for (const g of res) {
          const counts = originCounts(sampleOf(g.chain.sample));
          if (g.generation === 0) {
            // Generation 0 is fitted to real points only.
            expect([...counts.entries()]).toEqual([[REAL, M]]);
            continue;
          }
          const fromPrevious = k;
          expect(counts.get(g.generation - 1) ?? 0, `M ${M} share ${share}`).toBe(fromPrevious);
          expect(counts.get(REAL) ?? 0).toBe(M - fromPrevious);
          expect(counts.size).toBe((fromPrevious > 0 ? 1 : 0) + (fromPrevious < M ? 1 : 0));
        }
      }
    }
  });

  it('under accumulate the pool holds round(M·s) points from every earlier generation', async () => {
    const M = 30;
    const res = await run({
      samplesPerGeneration: M,
      generations: 12,
      replicates: 3,
      syntheticFraction: 0.6,
      regime: 'accumulate',
    });
    for (const g of res) {
      const counts = originCounts(sampleOf(g.chain.sample));
      for (let j = 0; j < g.generation; j++)
        expect(counts.get(j), `gen ${g.generation} from ${j}`).toBe(18);
      expect(counts.get(REAL)).toBe((g.generation + 1) * M - g.generation * 18);
      expect(counts.size).toBe(g.generation + 1);
    }
    // Past the display cap the shown subset still spans every generation (each is 6 % of the
    // pool: a subset of 2000 misses one with probability ~1e-50).
    const big = await run({
      samplesPerGeneration: 200,
      generations: 15,
      replicates: 1,
      syntheticFraction: 0.6,
      regime: 'accumulate',
    });
    const counts = originCounts(sampleOf(big[15].chain.sample));
    expect(big[15].chain.training.size).toBe(3200);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(CHAIN_SAMPLE_CAP);
    for (let j = 0; j < 15; j++) expect(counts.get(j)).toBeGreaterThan(0);
    expect(counts.size).toBe(16);
  });

  it('under accumulate-subsample the training set mixes points from many earlier generations', async () => {
    const res = await run({
      samplesPerGeneration: 30,
      generations: 12,
      replicates: 1,
      regime: 'accumulate-subsample',
    });
    // 30 points drawn from a pool of 30 real and 30 per generation 0–11: ~14 distinct origins
    // expected; fewer than 6 would take a wildly skewed draw.
    expect(originCounts(sampleOf(res[12].chain.sample)).size).toBeGreaterThan(6);
  });
});

describe('splitting chains between loops', () => {
  const variants: Partial<GaussianRecipe>[] = [
    { regime: 'replace', syntheticFraction: 0.7 },
    { regime: 'replace', realData: 'fixed', syntheticFraction: 0.5, estimator: 'unbiased' },
    { regime: 'accumulate', temperature: 0.8 },
    { regime: 'accumulate-subsample', syntheticFraction: 0.9, realData: 'fixed' },
  ];

  it.each(variants)(
    'chains [0, 3) and [3, 7) merged give one 7-chain run exactly (%o)',
    async (v) => {
      const r = recipe({ samplesPerGeneration: 40, generations: 10, replicates: 7, seed: 5, ...v });
      const whole = await collect(simulate(r, gaussianFamily(r)));
      const split = await runSplit(r, () => gaussianFamily(r), [
        [0, 3],
        [3, 7],
      ]);
      expect(split).toEqual(whole);
      const thirds = await runSplit(r, () => gaussianFamily(r), [
        [0, 1],
        [1, 5],
        [5, 7],
      ]);
      expect(thirds).toEqual(whole);
    },
  );

  it('keeps chain 1 in the part that starts at 0, and merging needs that part', async () => {
    const r = recipe({ samplesPerGeneration: 20, generations: 2, replicates: 4 });
    const rest = runChains(r, gaussianFamily(r), { chains: [1, 4] });
    const part = (await rest.next()).value;
    await rest.return();
    if (!part) throw new Error('no part');
    expect(part.chain).toBeNull();
    expect(part.start).toBe(1);
    expect(part.values.std.length).toBe(3);
    expect(() => mergeParts([part], gaussianFamily(r).metrics)).toThrow(/chain 1/);
  });
});
