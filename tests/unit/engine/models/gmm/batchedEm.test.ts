// The batched tfjs EM against the plain-TS reference, on cpu and wasm in Node.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../../../src/core/generation/loop';
import { fitGmm, GmmWorkspace, initialModel } from '../../../../../src/core/mixture';
import { gmmFamily } from '../../../../../src/core/models/gmm/family';
import type { GmmFitter } from '../../../../../src/core/models/gmm/fitter';
import { realDistribution } from '../../../../../src/core/realDistributions';
import { DEFAULT_RECIPES, type GmmRecipe, parseRecipe } from '../../../../../src/core/recipe';
import { createRng } from '../../../../../src/core/rng';
import { fitGmmBatched } from '../../../../../src/engine/models/gmm/batchedEm';
import { createTfjsGmmFitter } from '../../../../../src/engine/models/gmm/fitters';

/** The old simulateGmm's shape: the mixture family on the one loop, with a given fitter. */
const simulateGmm = (recipe: GmmRecipe, fitter?: GmmFitter) =>
  simulate(recipe, gmmFamily(recipe, { fitter }));

/** R chains of n points from a named real distribution, and each chain's k-means++ start. */
function problem(
  dist: 'gaussian2d' | 'bimodal1d' | 'ring8',
  R: number,
  n: number,
  K: number,
  seed: number,
) {
  const real = realDistribution(dist);
  const d = real.d;
  const chains = Array.from({ length: R }, (_, r) => real.sample(n, createRng(seed, r)));
  const ws = new GmmWorkspace();
  const inits = chains.map((x, r) =>
    initialModel(x, n, d, K, 'kmeans++', 1e-6, createRng(seed, r, 99), ws),
  );
  const data = new Float64Array(R * n * d);
  for (let r = 0; r < R; r++) data.set(chains[r], r * n * d);
  const cat = (f: (m: (typeof inits)[number]) => Float64Array) => {
    const parts = inits.map(f);
    const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  return {
    d: d as 1 | 2,
    chains,
    inits,
    data,
    init: {
      weights: cat((m) => m.weights),
      means: cat((m) => m.means),
      covariances: cat((m) => m.covariances),
    },
  };
}

describe.each(['cpu', 'wasm'])('batched EM on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    expect(tf.getBackend()).toBe(backend);
  });

  it.each([
    ['gaussian2d', 2],
    ['ring8', 3],
    ['bimodal1d', 2],
    ['gaussian2d', 1],
  ] as const)('agrees with the TS EM within 1e-3 on %s with K = %i', async (dist, K) => {
    const R = 6;
    const n = 400;
    const p = problem(dist, R, n, K, 7);
    const res = await fitGmmBatched({
      data: p.data,
      R,
      n,
      d: p.d,
      K,
      init: p.init,
      tol: 1e-3,
      maxIter: 100,
      regCovar: 1e-6,
    });
    const ws = new GmmWorkspace();
    for (let r = 0; r < R; r++) {
      const ref = fitGmm(p.chains[r], n, p.d, {
        components: K,
        tol: 1e-3,
        maxIter: 100,
        regCovar: 1e-6,
        init: p.inits[r],
        workspace: ws,
      });
      const kd = K * p.d;
      // float32 on the device against float64: 1e-3 absolute on every parameter.
      for (let i = 0; i < K; i++)
        expect(Math.abs(res.weights[r * K + i] - ref.model.weights[i])).toBeLessThan(1e-3);
      for (let i = 0; i < kd; i++)
        expect(Math.abs(res.means[r * kd + i] - ref.model.means[i])).toBeLessThan(1e-3);
      const kdd = K * p.d * p.d;
      for (let i = 0; i < kdd; i++)
        expect(Math.abs(res.covariances[r * kdd + i] - ref.model.covariances[i])).toBeLessThan(
          1e-3,
        );
      expect(Math.abs(res.logLikelihood[r] - ref.logLikelihood)).toBeLessThan(1e-3);
      expect(res.iterations[r]).toBe(ref.iterations);
      expect(res.converged[r]).toBe(ref.converged ? 1 : 0);
    }
  });

  it('honours maxIter when no chain can converge', async () => {
    const p = problem('ring8', 3, 300, 4, 3);
    const res = await fitGmmBatched({
      data: p.data,
      R: 3,
      n: 300,
      d: 2,
      K: 4,
      init: p.init,
      tol: -1,
      maxIter: 5,
      regCovar: 1e-6,
    });
    expect(Array.from(res.iterations)).toEqual([5, 5, 5]);
    expect(Array.from(res.converged)).toEqual([0, 0, 0]);
  });

  it('freezes each chain at its own convergence while the others go on', async () => {
    const p = problem('ring8', 4, 300, 4, 5);
    const res = await fitGmmBatched({
      data: p.data,
      R: 4,
      n: 300,
      d: 2,
      K: 4,
      init: p.init,
      tol: 1e-3,
      maxIter: 200,
      regCovar: 1e-6,
      checkEvery: 1,
    });
    const ws = new GmmWorkspace();
    const want = p.chains.map(
      (x, r) =>
        fitGmm(x, 300, 2, {
          components: 4,
          tol: 1e-3,
          maxIter: 200,
          regCovar: 1e-6,
          init: p.inits[r],
          workspace: ws,
        }).iterations,
    );
    expect(Array.from(res.iterations)).toEqual(want);
    expect(new Set(want).size).toBeGreaterThan(1); // the chains really stop at different times
  });
});

describe('the tfjs fitter in the generation loop', () => {
  it('gives the same generations as the TS engine within 1e-3, and leaks no tensors over 200 generations', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const parsed = parseRecipe({
      ...DEFAULT_RECIPES.gmm,
      generations: 200,
      replicates: 3,
      samplesPerGeneration: 60,
      components: 2,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const recipe = parsed.recipe as GmmRecipe;
    const fitter = createTfjsGmmFitter();
    // Warm up once (kernel and backend caches), then count.
    const warm = parseRecipe({ ...recipe, generations: 1 });
    if (!warm.ok) throw new Error(warm.error);
    for await (const _ of simulateGmm(warm.recipe as GmmRecipe, fitter)) {
      // drain
    }
    const before = tf.memory().numTensors;
    const ts: number[] = [];
    const tfjs: number[] = [];
    for await (const g of simulateGmm({ ...recipe, generations: 5 })) ts.push(g.stats.std.median);
    let count = 0;
    for await (const g of simulateGmm(recipe, fitter)) {
      if (g.generation <= 5) tfjs.push(g.stats.std.median);
      count++;
    }
    expect(count).toBe(201);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < ts.length; i++) expect(Math.abs(ts[i] - tfjs[i])).toBeLessThan(1e-3);
  }, 120_000);
});
