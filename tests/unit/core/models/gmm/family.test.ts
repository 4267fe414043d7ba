// Gaussian mixtures through the generation loop (simulate + gmmFamily): one fit batch per
// generation, the regimes, provenance, splitting chains, the memory cap and collapse.
import { describe, expect, it } from 'vitest';
import { MAX_POOL_BYTES, poolBytes } from '../../../../../src/core/generation/caps';
import { simulate } from '../../../../../src/core/generation/loop';
import {
  type GenerationResult,
  type LoopRecipe,
  REAL,
  type TrainingSample,
} from '../../../../../src/core/generation/types';
import { fitGmm, type GmmModel } from '../../../../../src/core/mixture';
import { GMM_METRICS } from '../../../../../src/core/mixtureScores';
import {
  type GmmFamilyRecipe,
  type GmmShown,
  gmmFamily,
} from '../../../../../src/core/models/gmm/family';
import {
  createTsGmmFitter,
  type GmmFitBatch,
  type GmmFitter,
  tsGmmFitter,
} from '../../../../../src/core/models/gmm/fitter';
import {
  REAL_DISTRIBUTIONS as GMM_DISTRIBUTIONS,
  type GmmMetric,
} from '../../../../../src/core/models/gmm/spec';
import { gmmTotalVarianceTheory } from '../../../../../src/core/models/gmm/theory';
import { REAL_DISTRIBUTIONS } from '../../../../../src/core/realDistributions';
import { createRng } from '../../../../../src/core/rng';
import { collect, originCounts, runSplit, sampleOf } from '../../generation/helpers';

type GmmRunRecipe = LoopRecipe & GmmFamilyRecipe;
type Result = GenerationResult<GmmMetric, GmmShown>;

const BASE: GmmRunRecipe = {
  samplesPerGeneration: 60,
  generations: 4,
  replicates: 3,
  seed: 7,
  syntheticFraction: 1,
  regime: 'replace',
  realData: 'fresh',
  temperature: 1,
  components: 2,
  realDistribution: 'gaussian2d',
  tol: 1e-3,
  maxIter: 100,
  regCovar: 1e-6,
  init: 'kmeans++',
};
/** Monte Carlo points per chain and generation for the metrics (the family's default is 2000). */
const METRIC_SAMPLES = 400;

function run(recipe: Partial<GmmRunRecipe>, fitter?: GmmFitter): Promise<Result[]> {
  const r = { ...BASE, ...recipe };
  return collect(simulate(r, gmmFamily(r, { fitter, metricSamples: METRIC_SAMPLES })));
}

/** A fitter that records each batch and fits with tsGmmFitter. */
function recording(): GmmFitter & {
  batches: { n: number; sizes: number[]; seeds: number[]; chain0: Float64Array }[];
} {
  const batches: { n: number; sizes: number[]; seeds: number[]; chain0: Float64Array }[] = [];
  return {
    batches,
    async fit(b: GmmFitBatch) {
      batches.push({
        n: b.n,
        sizes: b.data.map((x) => x.length),
        seeds: [...b.seeds],
        chain0: b.data[0].slice(),
      });
      return tsGmmFitter.fit(b);
    },
  };
}

/** Chain 1's model, its shown training points and (as the old loop had them) synthetic flags. */
const model = (g: Result): GmmModel => g.chain.shown.model;
const samples = (g: Result): Float32Array => sampleOf(g.chain.sample).values;
const flags = (g: Result): Uint8Array =>
  Uint8Array.from(sampleOf(g.chain.sample).origin, (o) => (o === REAL ? 0 : 1));
const countFlags = (f: Uint8Array) => f.reduce((a, b) => a + b, 0);
/** Points of the display cap (shown per generation). */
const CHAIN_SAMPLE_CAP = gmmFamily(BASE).shownTrainingPoints;

describe('simulate with the mixture family', () => {
  it('is reproducible for a fixed seed and changes with the seed', async () => {
    const a = await run({});
    const b = await run({});
    expect(a).toEqual(b);
    expect(a.length).toBe(BASE.generations + 1);
    for (const g of a)
      for (const m of GMM_METRICS) expect(Number.isFinite(g.stats[m].mean)).toBe(true);
    const c = await run({ seed: 8 });
    expect(c[2].stats.std.mean).not.toBe(a[2].stats.std.mean);
  });

  it('gives each chain its own streams: chain 1 does not depend on the number of replicates', async () => {
    const one = await run({ replicates: 1 });
    const three = await run({ replicates: 3 });
    for (let g = 0; g <= BASE.generations; g++) {
      expect(model(three[g])).toEqual(model(one[g]));
      expect(three[g].chain.sample).toEqual(one[g].chain.sample);
    }
  });

  it('sends one batch per generation: every chain, same n, 32-bit seeds; uses the returned models', async () => {
    const f = recording();
    const res = await run({ replicates: 4 }, f);
    expect(f.batches.length).toBe(BASE.generations + 1);
    for (const b of f.batches) {
      expect(b.n).toBe(60);
      expect(b.sizes).toEqual([120, 120, 120, 120]);
      for (const s of b.seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
      expect(new Set(b.seeds).size).toBe(4);
    }
    // The chain's model is the fit of the batch's chain-0 data with the batch's seed.
    const g = 2;
    const fit = fitGmm(f.batches[g].chain0, 60, 2, {
      components: 2,
      tol: 1e-3,
      maxIter: 100,
      regCovar: 1e-6,
      rng: createRng(f.batches[g].seeds[0]),
    });
    expect(model(res[g])).toEqual(fit.model);
  });

  it('replace: M points, round(M·share) of them synthetic after generation 0', async () => {
    const f = recording();
    const res = await run({ syntheticFraction: 0.3 }, f);
    expect(res[0].chain.training).toEqual({ size: 60, synthetic: 0, real: 60 });
    for (let g = 1; g <= BASE.generations; g++) {
      const { training } = res[g].chain;
      const synthetic = flags(res[g]);
      expect(training).toEqual({ size: 60, synthetic: 18, real: 42 });
      expect(samples(res[g]).length).toBe(120);
      expect(countFlags(synthetic)).toBe(18);
      expect(Array.from(synthetic.subarray(0, 18)).every((s) => s === 1)).toBe(true);
      expect(Array.from(samples(res[g]))).toEqual(
        Array.from(Float32Array.from(f.batches[g].chain0)),
      );
    }
  });

  it('fixed real data reuses generation 0 points; fresh draws new ones', async () => {
    const fixed = await run({ syntheticFraction: 0.5, realData: 'fixed' });
    const fresh = await run({ syntheticFraction: 0.5, realData: 'fresh' });
    const realPart = (r: Result) => Array.from(samples(r).subarray(30 * 2));
    const gen0 = Array.from(samples(fixed[0]).subarray(0, 30 * 2));
    for (let g = 1; g <= BASE.generations; g++) expect(realPart(fixed[g])).toEqual(gen0);
    expect(realPart(fresh[1])).not.toEqual(Array.from(samples(fresh[0]).subarray(0, 60)));
  });

  it('accumulate: the training set is everything so far; the shown points are capped', async () => {
    const f = recording();
    const res = await run(
      {
        regime: 'accumulate',
        syntheticFraction: 0.5,
        samplesPerGeneration: 500,
        generations: 5,
        replicates: 2,
      },
      f,
    );
    for (let g = 0; g <= 5; g++) {
      const n = (g + 1) * 500;
      expect(f.batches[g].n).toBe(n);
      expect(f.batches[g].sizes).toEqual([2 * n, 2 * n]);
      expect(res[g].chain.training).toEqual({ size: n, synthetic: g * 250, real: n - g * 250 });
      const shown = Math.min(n, CHAIN_SAMPLE_CAP);
      expect(samples(res[g]).length).toBe(2 * shown);
      expect(flags(res[g]).length).toBe(shown);
    }
    // All 2000 shown at generation 3: exactly the pool, flags included.
    expect(countFlags(flags(res[3]))).toBe(750);
    // Earlier points stay in the pool unchanged.
    expect(Array.from(f.batches[5].chain0.subarray(0, 1000))).toEqual(
      Array.from(f.batches[0].chain0),
    );
  });

  it('accumulate-subsample: M points drawn from the pool, flags tracked', async () => {
    const f = recording();
    const res = await run(
      { regime: 'accumulate-subsample', syntheticFraction: 1, generations: 6 },
      f,
    );
    expect(res[0].chain.training).toEqual({ size: 60, synthetic: 0, real: 60 });
    for (let g = 1; g <= 6; g++) {
      expect(f.batches[g].n).toBe(60);
      const t = res[g].chain.training;
      expect(t.size).toBe(60);
      expect(t.synthetic + t.real).toBe(60);
      expect(countFlags(flags(res[g]))).toBe(t.synthetic);
      // The pool holds g·60 synthetic of (g + 1)·60 points: the draw is about that share.
      expect(t.synthetic).toBeGreaterThan(0);
    }
    const share =
      res.slice(1).reduce((s, r, i) => s + r.chain.training.synthetic / 60 - (i + 1) / (i + 2), 0) /
      6;
    expect(Math.abs(share)).toBeLessThan(0.1);
  });

  it('refuses accumulate pools beyond the cap', async () => {
    const big = {
      ...BASE,
      regime: 'accumulate' as const,
      replicates: 1000,
      generations: 1000,
      samplesPerGeneration: 1000,
    };
    const storage = gmmFamily(big).storage;
    expect(poolBytes(big, storage)).toBeGreaterThan(MAX_POOL_BYTES);
    expect(poolBytes({ ...big, regime: 'replace' }, storage)).toBe(0);
    await expect(run(big)).rejects.toThrow(RangeError);
    await expect(run(big)).rejects.toThrow(/accumulate would keep \d+ MiB of training data/);
  });

  it('collapses under replace with share 1: median std falls, as theory says for the variance', async () => {
    const M = 50;
    const G = 40;
    const res = await run({
      samplesPerGeneration: M,
      generations: G,
      replicates: 60,
      components: 2,
    });
    expect(res[G].stats.std.median).toBeLessThan(0.8 * res[0].stats.std.median);
    // The mean variance tracks E[v] = q^(g+1) (loose: the SE over 60 chains is ~10 % here).
    const theory = gmmTotalVarianceTheory(M, G, 1, 1e-6);
    expect(res[G].stats.variance.mean).toBeGreaterThan(0.6 * theory[G]);
    expect(res[G].stats.variance.mean).toBeLessThan(1.4 * theory[G]);
    // The typical chain loses its tails (the mean tail mass need not fall: chains whose mean
    // drifted put mass into the real distribution's tail region).
    expect(res[G].stats.tailMass.median).toBeLessThan(0.2 * res[0].stats.tailMass.median);
    expect(res[G].stats.componentStd.median).toBeLessThan(0.5 * res[0].stats.componentStd.median);
  });

  it('loses grid25 modes under replace with share 1, keeps them with fresh real data', async () => {
    const recipe = {
      realDistribution: 'grid25' as const,
      components: 10,
      samplesPerGeneration: 100,
      generations: 30,
      replicates: 8,
    };
    const collapse = await run(recipe);
    expect(collapse[30].stats.modesAlive.median).toBeLessThan(
      collapse[0].stats.modesAlive.median - 3,
    );
    expect(collapse[30].stats.w2.median).toBeGreaterThan(collapse[0].stats.w2.median);
    const mixed = await run({ ...recipe, syntheticFraction: 0.5 });
    expect(mixed[30].stats.modesAlive.median).toBeGreaterThan(collapse[30].stats.modesAlive.median);
  });

  it('temperature below 1 speeds the loss of spread', async () => {
    const cold = await run({ temperature: 0.8, generations: 6, replicates: 10 });
    const warm = await run({ temperature: 1, generations: 6, replicates: 10 });
    expect(cold[6].stats.std.median).toBeLessThan(warm[6].stats.std.median);
    // Generation 0 sees real data only: the temperature does not matter yet.
    expect(cold[0].stats).toEqual(warm[0].stats);
  });

  it('runs every real distribution in 1-D and 2-D, and random initialisation', async () => {
    for (const name of GMM_DISTRIBUTIONS) {
      const res = await run({ realDistribution: name, generations: 2, init: 'random' });
      const d = REAL_DISTRIBUTIONS[name].d;
      const m: GmmModel = model(res[2]);
      expect(m.d).toBe(d);
      expect(sampleOf(res[2].chain.sample).width).toBe(d);
      expect(samples(res[2]).length).toBe(60 * d);
      expect(res[2].stats.modesAlive.q95).toBeLessThanOrEqual(REAL_DISTRIBUTIONS[name].numModes);
    }
  });
});

describe("provenance of chain 1's training points (mixtures)", () => {
  /** Origins per point must be REAL or an earlier generation; returns the counts. */
  function checkOrigins(s: TrainingSample, generation: number): Map<number, number> {
    const counts = originCounts(s);
    for (const o of counts.keys())
      expect(o === REAL || (o >= 0 && o < generation), `origin ${o}`).toBe(true);
    return counts;
  }

  it.each(['replace', 'accumulate', 'accumulate-subsample'] as const)(
    'under %s, origins are REAL or earlier generations and match the composition',
    async (regime) => {
      const res = await run({ regime, syntheticFraction: 0.4, generations: 6, replicates: 2 });
      for (const g of res) {
        const s = sampleOf(g.chain.sample);
        expect(s.origin.length).toBe(g.chain.training.size);
        const counts = checkOrigins(s, g.generation);
        expect(counts.get(REAL) ?? 0).toBe(g.chain.training.real);
        expect(s.origin.length - (counts.get(REAL) ?? 0)).toBe(g.chain.training.synthetic);
        if (regime === 'replace' && g.generation > 0) expect(counts.get(g.generation - 1)).toBe(24);
        if (regime === 'accumulate')
          for (let j = 0; j < g.generation; j++) expect(counts.get(j)).toBe(24);
      }
    },
  );
});

describe('splitting mixture chains between loops', () => {
  it.each([
    { regime: 'replace' as const, syntheticFraction: 0.8 },
    { regime: 'accumulate' as const, syntheticFraction: 0.5, realDistribution: 'ring8' as const },
    { regime: 'accumulate-subsample' as const, realData: 'fixed' as const },
  ])('chains [0, 3) and [3, 7) merged give one 7-chain run exactly (%o)', async (v) => {
    const r: GmmRunRecipe = { ...BASE, generations: 3, replicates: 7, ...v };
    const options = { metricSamples: METRIC_SAMPLES };
    const whole = await collect(
      simulate(r, gmmFamily(r, { ...options, fitter: createTsGmmFitter() })),
    );
    const split = await runSplit(
      r,
      () => gmmFamily(r, { ...options, fitter: createTsGmmFitter() }),
      [
        [0, 3],
        [3, 7],
      ],
    );
    expect(split).toEqual(whole);
  });
});
