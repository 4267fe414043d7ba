import { describe, expect, it } from 'vitest';
import { fitGmm, type GmmModel } from '../../../src/core/gmm';
import {
  GMM_CHAIN_SAMPLE_CAP,
  GMM_POOL_CAP,
  type GmmFitBatch,
  type GmmFitter,
  type GmmGenerationResult,
  type GmmLoopRecipe,
  gmmPoolValues,
  simulateGmm,
  tsGmmFitter,
} from '../../../src/core/gmmLoop';
import { GMM_METRICS } from '../../../src/core/gmmMetrics';
import { gmmTotalVarianceTheory } from '../../../src/core/gmmTheory';
import { REAL_DISTRIBUTIONS } from '../../../src/core/realDistributions';
import { createRng } from '../../../src/core/rng';

const BASE: GmmLoopRecipe = {
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
  metricSamples: 400,
};

async function run(
  recipe: Partial<GmmLoopRecipe>,
  fitter?: GmmFitter,
): Promise<GmmGenerationResult[]> {
  const out: GmmGenerationResult[] = [];
  for await (const g of simulateGmm({ ...BASE, ...recipe }, fitter)) out.push(g);
  return out;
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

const countFlags = (f: Uint8Array) => f.reduce((a, b) => a + b, 0);

describe('simulateGmm', () => {
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
      expect(three[g].chain.model).toEqual(one[g].chain.model);
      expect(three[g].chain.samples).toEqual(one[g].chain.samples);
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
    expect(res[g].chain.model).toEqual(fit.model);
  });

  it('replace: M points, round(M·share) of them synthetic after generation 0', async () => {
    const f = recording();
    const res = await run({ syntheticFraction: 0.3 }, f);
    expect(res[0].chain.training).toEqual({ size: 60, synthetic: 0, real: 60 });
    for (let g = 1; g <= BASE.generations; g++) {
      const { training, samples, synthetic } = res[g].chain;
      expect(training).toEqual({ size: 60, synthetic: 18, real: 42 });
      expect(samples.length).toBe(120);
      expect(countFlags(synthetic)).toBe(18);
      expect(Array.from(synthetic.subarray(0, 18)).every((s) => s === 1)).toBe(true);
      expect(Array.from(samples)).toEqual(Array.from(Float32Array.from(f.batches[g].chain0)));
    }
  });

  it('fixed real data reuses generation 0 points; fresh draws new ones', async () => {
    const fixed = await run({ syntheticFraction: 0.5, realData: 'fixed' });
    const fresh = await run({ syntheticFraction: 0.5, realData: 'fresh' });
    const realPart = (r: GmmGenerationResult) => Array.from(r.chain.samples.subarray(30 * 2));
    const gen0 = Array.from(fixed[0].chain.samples.subarray(0, 30 * 2));
    for (let g = 1; g <= BASE.generations; g++) expect(realPart(fixed[g])).toEqual(gen0);
    expect(realPart(fresh[1])).not.toEqual(Array.from(fresh[0].chain.samples.subarray(0, 60)));
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
      const shown = Math.min(n, GMM_CHAIN_SAMPLE_CAP);
      expect(res[g].chain.samples.length).toBe(2 * shown);
      expect(res[g].chain.synthetic.length).toBe(shown);
    }
    // All 2000 shown at generation 3: exactly the pool, flags included.
    expect(countFlags(res[3].chain.synthetic)).toBe(750);
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
      expect(countFlags(res[g].chain.synthetic)).toBe(t.synthetic);
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
    expect(gmmPoolValues(big)).toBeGreaterThan(GMM_POOL_CAP);
    expect(gmmPoolValues({ ...big, regime: 'replace' })).toBe(0);
    await expect(run(big)).rejects.toThrow(/pool/);
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
    for (const name of Object.keys(REAL_DISTRIBUTIONS) as (keyof typeof REAL_DISTRIBUTIONS)[]) {
      const res = await run({ realDistribution: name, generations: 2, init: 'random' });
      const d = REAL_DISTRIBUTIONS[name].d;
      const m: GmmModel = res[2].chain.model;
      expect(m.d).toBe(d);
      expect(res[2].chain.samples.length).toBe(60 * d);
      expect(res[2].stats.modesAlive.q95).toBeLessThanOrEqual(REAL_DISTRIBUTIONS[name].numModes);
    }
  });
});
