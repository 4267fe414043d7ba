// The batched float32 EM over long collapsing runs (issue 9 §1: "25 modes" went NaN from about
// generation 35): every real distribution with K at its mode count and every GMM preset, through
// the generation loop with the tfjs fitter on cpu and on wasm for 200 generations. Every summary
// field of every metric must be finite in every generation, no chain may be left out as NaN, and
// no chain may need the TS refit (the float32 EM itself must hold). The tfjs chains' median std
// and modesAlive must agree with the TS engine's within AGREE_SE standard errors.
//
// Shrunk to keep the file near two minutes on 2 cores (the collapse still reaches components of
// a few points, which is what broke float32): 200 generations everywhere, M and R per backend in
// SIZES (the presets have M = 200–1000 and R = 8–32), 500 Monte Carlo points per chain for the
// sampled metrics (the family's default is 2000; std and modesAlive do not depend on it). The
// cpu backend is several times slower than wasm here, so it runs fewer chains and points.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeParts, runChains } from '../../../../../src/core/generation/loop';
import type { LoopRecipe } from '../../../../../src/core/generation/types';
import { type GmmFamilyRecipe, gmmFamily } from '../../../../../src/core/models/gmm/family';
import type { GmmFitter } from '../../../../../src/core/models/gmm/fitter';
import { GMM_METRICS, type GmmMetric, gmmSpec } from '../../../../../src/core/models/gmm/spec';
import type { Summary } from '../../../../../src/core/summary';
import { createTfjsGmmFitter } from '../../../../../src/engine/models/gmm/fitters';

type Recipe = LoopRecipe & GmmFamilyRecipe;
/** Per generation: every metric summarised across chains, and the chains' own values. */
type Run = { stats: Record<GmmMetric, Summary>; values: Record<GmmMetric, Float64Array> }[];

const GENERATIONS = 200;
const METRIC_SAMPLES = 500;
/** Agreement tolerance on the median, in standard errors of the difference (medianDiffSE). */
const AGREE_SE = 4;
const CHECKPOINTS = [50, 100, 150, 200];

const BASE: Omit<
  Recipe,
  'realDistribution' | 'components' | 'samplesPerGeneration' | 'replicates'
> = {
  generations: GENERATIONS,
  seed: 11,
  syntheticFraction: 1,
  regime: 'replace',
  realData: 'fresh',
  temperature: 1,
  tol: 1e-3,
  maxIter: 100,
  regCovar: 1e-6,
  init: 'kmeans++',
};

/** Shrunk sizes per backend, by preset name (plus gaussian2d at K = 1). */
const SIZES: Record<string, Record<string, { M: number; R: number }>> = {
  wasm: {
    'Curse of Recursion GMM': { M: 200, R: 12 }, // preset M = 1000, R = 16, 2050 generations
    '25 modes': { M: 200, R: 6 }, // preset M = 1000, R = 8
    'Ring of 8': { M: 200, R: 12 }, // preset M = 500, R = 16, 300 generations
    '1-D bimodal': { M: 200, R: 12 }, // preset M = 200, R = 32, 300 generations
    'gaussian2d, K = 1': { M: 100, R: 12 },
  },
  cpu: {
    'Curse of Recursion GMM': { M: 100, R: 12 },
    '25 modes': { M: 100, R: 4 },
    'Ring of 8': { M: 100, R: 12 },
    '1-D bimodal': { M: 100, R: 12 },
    'gaussian2d, K = 1': { M: 100, R: 12 },
  },
};

/** Every GMM preset (its real distribution and K), and gaussian2d at K = 1, its mode count. */
const SHAPES: { name: string; realDistribution: Recipe['realDistribution']; components: number }[] =
  [
    ...gmmSpec.presets.map((p) => {
      const r = p.recipe as Partial<Recipe>;
      return {
        name: p.name,
        realDistribution: r.realDistribution as Recipe['realDistribution'],
        components: r.components as number,
      };
    }),
    { name: 'gaussian2d, K = 1', realDistribution: 'gaussian2d', components: 1 },
  ];

function cases(backend: string): [string, Recipe][] {
  return SHAPES.map((c) => {
    const size = SIZES[backend][c.name];
    if (!size)
      throw new Error(`no shrunk size for the GMM preset "${c.name}" on ${backend}: add one`);
    return [
      `${c.name} (${c.realDistribution}, K = ${c.components}, M = ${size.M}, R = ${size.R})`,
      {
        ...BASE,
        realDistribution: c.realDistribution,
        components: c.components,
        samplesPerGeneration: size.M,
        replicates: size.R,
      },
    ];
  });
}

async function run(recipe: Recipe, fitter?: GmmFitter): Promise<Run> {
  const out: Run = [];
  const family = gmmFamily(recipe, { fitter, metricSamples: METRIC_SAMPLES });
  for await (const part of runChains(recipe, family)) {
    const values = Object.fromEntries(
      GMM_METRICS.map((m) => [m, part.values[m].slice()]),
    ) as Record<GmmMetric, Float64Array>;
    out.push({ stats: mergeParts([part], GMM_METRICS).stats, values });
  }
  return out;
}

const median = (x: ArrayLike<number>) => {
  const s = Float64Array.from(x).sort();
  const h = (s.length - 1) / 2;
  return (s[Math.floor(h)] + s[Math.ceil(h)]) / 2;
};

/**
 * The standard error of median(a) − median(b) from the spread across chains: each median's
 * large-sample SE, sqrt(π/2) · sd / √R with the chains' sample sd, combined in quadrature.
 */
function medianDiffSE(a: Float64Array, b: Float64Array): number {
  const variance = (x: Float64Array) => {
    const m = x.reduce((s, v) => s + v, 0) / x.length;
    return x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1);
  };
  return Math.sqrt(Math.PI / 2) * Math.sqrt((variance(a) + variance(b)) / a.length);
}

describe.each(['cpu', 'wasm'])('the float32 batched EM over 200 generations on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    expect(tf.getBackend()).toBe(backend);
  });

  it.each(cases(backend))(
    `%s: every statistic finite, no refit, median std and modesAlive within ${AGREE_SE} SE of the TS engine`,
    async (_name, recipe) => {
      const refits: number[] = [];
      const tfjs = await run(
        recipe,
        createTfjsGmmFitter({ onRefit: (_chains, fit) => refits.push(fit) }),
      );
      expect(tfjs).toHaveLength(GENERATIONS + 1);
      const bad: string[] = [];
      tfjs.forEach(({ stats }, g) => {
        for (const [metric, s] of Object.entries(stats)) {
          for (const [field, v] of Object.entries(s))
            if (field === 'nonFinite' || !Number.isFinite(v))
              bad.push(`${g}:${metric}.${field}=${v}`);
        }
      });
      expect(bad.slice(0, 10)).toEqual([]);
      expect(refits).toEqual([]);

      const ts = await run(recipe);
      const off: string[] = [];
      for (const g of CHECKPOINTS) {
        for (const metric of ['std', 'modesAlive'] as const) {
          const a = tfjs[g].values[metric];
          const b = ts[g].values[metric];
          const diff = Math.abs(median(a) - median(b));
          const bound = AGREE_SE * medianDiffSE(a, b);
          if (!(diff <= bound))
            off.push(
              `generation ${g} ${metric}: median tfjs ${median(a)}, ts ${median(b)}, |Δ| ${diff.toFixed(4)} > ${bound.toFixed(4)}`,
            );
        }
      }
      expect(off).toEqual([]);
    },
    180_000,
  );
});
