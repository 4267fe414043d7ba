// The mitigations with the mixture family, whose chains are fitted all at once (fitAll): a perfect
// filter, starved chains left out of the batch, training sets of different sizes on the TS fitter
// and on the batched tfjs fitter (Node: cpu and wasm), curation by the mixture's own or the real
// mixture's density, and the caps counting curation's candidates.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_POOL_BYTES, poolIssue, scratchBytes } from '../../../../src/core/generation/caps';
import { runChains, simulate } from '../../../../src/core/generation/loop';
import { fitGmm } from '../../../../src/core/mixture';
import { gmmFamily } from '../../../../src/core/models/gmm/family';
import {
  createTsGmmFitter,
  type GmmFitBatch,
  type GmmFitter,
} from '../../../../src/core/models/gmm/fitter';
import { gmmTheoryUnavailable } from '../../../../src/core/models/gmm/theory';
import { realDistribution } from '../../../../src/core/realDistributions';
import { DEFAULT_RECIPES, type GmmRecipe, parseRecipe, specOf } from '../../../../src/core/recipe';
import { createRng, Stream } from '../../../../src/core/rng';
import { fitGmmBatched } from '../../../../src/engine/models/gmm/batchedEm';
import { createTfjsGmmFitter, isUsableGmm } from '../../../../src/engine/models/gmm/fitters';
import { collect } from './helpers';

function recipe(fields: Record<string, unknown>): GmmRecipe {
  const r = parseRecipe({ model: 'gmm', engine: 'ts', ...fields });
  if (!r.ok) throw new Error(r.error);
  expect(r.warnings).toEqual([]);
  return r.recipe as GmmRecipe;
}

/** A fitter that records every batch it is handed. */
function spy(inner: GmmFitter = createTsGmmFitter()) {
  const batches: { chains: number; n: number; sizes?: number[] }[] = [];
  const fitter: GmmFitter = {
    fit(b: GmmFitBatch) {
      batches.push({ chains: b.data.length, n: b.n, sizes: b.sizes?.slice() });
      return inner.fit(b);
    },
  };
  return { fitter, batches };
}

const allFinite = (stats: Record<string, Record<string, number>>) =>
  Object.entries(stats).every(([, s]) => Number.isFinite(s.mean) && Number.isFinite(s.median));

describe('the mixture family under the mitigations', () => {
  it('a perfect filter leaves exactly the real points: chain 1 equals a mixture fitted to them alone', async () => {
    const M = 120;
    const k = 72;
    const r = recipe({
      realDistribution: 'ring8',
      components: 4,
      samplesPerGeneration: M,
      generations: 5,
      replicates: 3,
      seed: 8,
      syntheticFraction: k / M,
      filter: { truePositiveRate: 1, falsePositiveRate: 0 },
    });
    const { fitter, batches } = spy();
    const res = await collect(simulate(r, gmmFamily(r, { fitter })));
    // Every chain kept M − k points: one batch of equal sizes per generation.
    expect(batches.map((b) => [b.chains, b.n, b.sizes])).toEqual(
      res.map((_, g) => [3, g === 0 ? M : M - k, undefined]),
    );
    const real = realDistribution('ring8');
    const realRng = createRng(r.seed, 0, Stream.real);
    const init = createRng(r.seed, 0, Stream.init);
    for (const g of res) {
      const n = g.generation === 0 ? M : M - k;
      const x = real.sample(n, realRng);
      const want = fitGmm(x, n, 2, {
        components: 4,
        tol: r.tol,
        maxIter: r.maxIter,
        regCovar: r.regCovar,
        init: r.init,
        rng: createRng(init.int(4294967296)),
      }).model;
      expect(g.chain.shown.model).toEqual(want);
    }
  });

  it('leaves starved chains out of the batch and keeps their mixtures', async () => {
    // K = 8 but only 5 real points survive and every synthetic one is caught: always starved.
    const r = recipe({
      realDistribution: 'ring8',
      components: 8,
      samplesPerGeneration: 20,
      generations: 4,
      replicates: 3,
      syntheticFraction: 0.75,
      filter: { truePositiveRate: 1, falsePositiveRate: 0 },
    });
    const { fitter, batches } = spy();
    const res = await collect(simulate(r, gmmFamily(r, { fitter })));
    expect(batches).toHaveLength(1); // generation 0 only
    for (const g of res.slice(1)) {
      expect(g.chain.shown.model).toEqual(res[0].chain.shown.model);
      expect(g.chain.training).toMatchObject({ size: 5, starved: true });
      expect(g.mitigations?.starved).toBe(3);
      expect(g.stats).toEqual(res[0].stats);
    }
  });

  it('fits chains of different sizes on the TS fitter, each at its own size', async () => {
    const r = recipe({
      realDistribution: 'bimodal1d',
      components: 2,
      samplesPerGeneration: 40,
      generations: 6,
      replicates: 6,
      syntheticFraction: 0.5,
      filter: { truePositiveRate: 0.9, falsePositiveRate: 0.5 },
    });
    const { fitter, batches } = spy();
    const parts = await collect(runChains(r, gmmFamily(r, { fitter })));
    const unequal = batches.filter((b) => b.sizes);
    expect(unequal.length).toBeGreaterThan(0);
    for (const b of unequal) {
      expect(b.n).toBe(Math.max(...(b.sizes as number[])));
      expect(new Set(b.sizes).size).toBeGreaterThan(1);
    }
    // Chain 1's reported size is the size its fit got.
    for (let g = 1; g < parts.length; g++)
      expect(batches[g].sizes?.[0] ?? batches[g].n).toBe(parts[g].chain?.training.size);
    for (const p of parts)
      for (const v of Object.values(p.values)) expect(v.every(Number.isFinite)).toBe(true);
  });

  it('curates by the mixture’s own density and by a verifier of the real mixture, staying finite', async () => {
    for (const by of ['model', 'verifier']) {
      const r = recipe({
        realDistribution: 'grid25',
        components: 25,
        samplesPerGeneration: 300,
        generations: 3,
        replicates: 2,
        curation: { keep: 0.5, by, accuracy: 1 },
      });
      const res = await collect(simulate(r, gmmFamily(r)));
      expect(res[1].chain.training).toMatchObject({ synthetic: 300, candidates: 600 });
      for (const g of res) expect(allFinite(g.stats as never), by).toBe(true);
    }
  });
});

describe.each(['cpu', 'wasm'])('the batched tfjs fitter under a filter, on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  it('fits chains of unequal sizes in groups of equal size, in the batch order, as the TS fitter does', async () => {
    const real = realDistribution('bimodal1d');
    const sizes = [30, 50, 30, 45, 50];
    const batch: GmmFitBatch = {
      data: sizes.map((n, r) => real.sample(n, createRng(41, r))),
      n: 50,
      sizes,
      d: 1,
      k: 2,
      tol: 1e-3,
      maxIter: 100,
      regCovar: 1e-6,
      seeds: sizes.map((_, r) => createRng(42, r).int(4294967296)),
    };
    const groups: number[][] = [];
    const tfjs = createTfjsGmmFitter({
      fitBatched: (input) => {
        groups.push([input.R, input.n]);
        return fitGmmBatched(input);
      },
    });
    const got = await tfjs.fit(batch);
    const want = await createTsGmmFitter().fit(batch);
    expect(groups.sort((a, b) => a[1] - b[1])).toEqual([
      [2, 30],
      [1, 45],
      [2, 50],
    ]);
    for (let r = 0; r < sizes.length; r++) {
      expect(isUsableGmm(got[r])).toBe(true);
      // Float32 EM from the same initialisation: the same modes to well under their spread.
      for (let j = 0; j < 2; j++) expect(got[r].means[j]).toBeCloseTo(want[r].means[j], 2);
    }
  });

  it('reports refits by the chains’ places in the whole batch', async () => {
    const real = realDistribution('bimodal1d');
    const sizes = [30, 50, 30, 50];
    const calls: number[][] = [];
    const tfjs = createTfjsGmmFitter({
      // Poison the second chain of every group: batch chains 2 and 3.
      fitBatched: async (input) => {
        const res = await fitGmmBatched(input);
        if (input.R > 1) res.means[input.K * input.d] = Number.NaN;
        return res;
      },
      onRefit: (chains) => calls.push(chains),
    });
    const models = await tfjs.fit({
      data: sizes.map((n, r) => real.sample(n, createRng(43, r))),
      n: 50,
      sizes,
      d: 1,
      k: 2,
      tol: 1e-3,
      maxIter: 100,
      regCovar: 1e-6,
      seeds: sizes.map((_, r) => createRng(44, r).int(4294967296)),
    });
    expect(tfjs.lastRefits).toEqual([2, 3]);
    expect(calls).toEqual([[2, 3]]);
    expect(models.every(isUsableGmm)).toBe(true);
  });

  it('runs a filtered, starving mixture recipe to the end with every statistic finite', async () => {
    const r = recipe({
      realDistribution: 'gaussian2d',
      components: 3,
      samplesPerGeneration: 20,
      generations: 8,
      replicates: 8,
      seed: 3,
      // About 1 synthetic and 1.4 real points survive: chains of a few points, or starved.
      syntheticFraction: 0.9,
      filter: { truePositiveRate: 0.95, falsePositiveRate: 0.3 },
    });
    const { fitter, batches } = spy(createTfjsGmmFitter());
    const res = await collect(simulate(r, gmmFamily(r, { fitter })));
    expect(batches.some((b) => b.sizes)).toBe(true);
    expect(res.some((g) => (g.mitigations?.starved ?? 0) > 0)).toBe(true);
    for (const g of res) expect(allFinite(g.stats as never)).toBe(true);
  }, 60_000);
});

describe('the caps with curation', () => {
  it("counts one generation's candidates (at the schedule's largest share) off the pools' budget", () => {
    const storage = specOf('vae').storage(DEFAULT_RECIPES.vae);
    const base = {
      samplesPerGeneration: 8000,
      syntheticFraction: 0.2,
      regime: 'replace' as const,
      replicates: 1,
      generations: 5,
    };
    expect(scratchBytes(base, storage)).toBe(0);
    const curated = { ...base, curation: { keep: 0.1, by: 'model' as const, accuracy: 1 } };
    expect(scratchBytes(curated, storage)).toBe(16_000 * (784 + 21));
    const ramp = { ...curated, syntheticSchedule: { from: 1, to: 0, over: 3 } };
    expect(scratchBytes(ramp, storage)).toBe(80_000 * (784 + 21));
    // A recipe whose pools fit alone but not beside the candidates is capped by the parser, and
    // what parses runs.
    const parsed = parseRecipe({
      model: 'vae',
      samplesPerGeneration: 8000,
      generations: 14,
      replicates: 1,
      regime: 'accumulate-subsample',
      curation: { keep: 0.1 },
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const r = parsed.recipe as unknown as Parameters<typeof poolIssue>[0];
    expect(parsed.warnings.some((w) => w.startsWith('generations:'))).toBe(true);
    expect(poolIssue(r, storage)).toBeNull();
    expect(poolIssue({ ...r, curation: undefined }, storage)).toBeNull();
    expect(scratchBytes(r, storage)).toBeLessThan(MAX_POOL_BYTES);
  });
});

describe('the mixture theory under the mitigations', () => {
  it('is not shown, and the note says why', () => {
    for (const group of ['syntheticSchedule', 'filter', 'curation']) {
      const r = recipe({ [group]: {} });
      expect(gmmTheoryUnavailable(r)).toMatch(/mitigations/);
      expect(specOf('gmm').theoryNote?.(r)).toMatch(/mitigations/);
    }
    expect(gmmTheoryUnavailable(recipe({}))).toBeNull();
  });
});
