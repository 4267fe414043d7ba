// Gaussian mixtures as a model family of the generation loop: every chain's EM fit of a
// generation goes to one GmmFitter call (plain TS, or batched tfjs EM), seeded per chain from its
// own init stream; samples come from the fitted mixture at the temperature (covariances scaled by
// λ); metrics are scored against the real mixture with the chain's own metrics stream. For the
// mitigations: a fit needs K points, chains may come with training sets of different sizes (a
// filter), and curation scores by the fitted or the real mixture's log-density.

import type { ModelFamily } from '../../generation/types';
import type { GmmModel } from '../../mixture';
import { GmmWorkspace, prepareTable, sampleGmm, tableLogDensity } from '../../mixture';
import { GMM_METRIC_SAMPLES, gmmScorer } from '../../mixtureScores';
import { realDistribution } from '../../realDistributions';
import { createRng, type Rng, Stream } from '../../rng';
import { type GmmFitter, tsGmmFitter } from './fitter';
import { GMM_METRICS, type GmmMetric, gmmSpec, type RealDistribution } from './spec';

export interface GmmFamilyRecipe {
  seed: number;
  samplesPerGeneration: number;
  realDistribution: RealDistribution;
  components: number;
  tol: number;
  maxIter: number;
  regCovar: number;
  init: 'kmeans++' | 'random';
}

/** What the views show of chain 1: its fitted mixture. */
export interface GmmShown {
  model: GmmModel;
}

interface GmmChain {
  init: Rng;
  metrics: Rng;
}

export type GmmFamily = ModelFamily<GmmMetric, GmmModel, GmmShown, Float64Array, GmmChain>;

export interface GmmFamilyOptions {
  fitter?: GmmFitter;
  /**
   * Model points per chain and generation for the Monte Carlo metrics (default 2000; scoring
   * costs roughly 0.3 µs per point, and tailMass's standard error is sqrt(t(1 − t)/N)).
   */
  metricSamples?: number;
}

const workspace = new GmmWorkspace();

/** log p(x) of the first n points (n×d) under a mixture. */
function logDensities(m: GmmModel, values: Float64Array, n: number, out: Float64Array): void {
  workspace.ensureComponents(m.k);
  const table = workspace.table;
  prepareTable(m, table);
  for (let i = 0; i < n; i++) out[i] = tableLogDensity(table, m.k, m.d, values, i * m.d);
}

export function gmmFamily(recipe: GmmFamilyRecipe, options: GmmFamilyOptions = {}): GmmFamily {
  const real = realDistribution(recipe.realDistribution);
  const K = recipe.components;
  const M = recipe.samplesPerGeneration;
  if (!(K >= 1 && K <= M)) throw new RangeError(`components must be in [1, M], got ${K}`);
  const fitter = options.fitter ?? tsGmmFitter;
  const scorer = gmmScorer(real, options.metricSamples ?? GMM_METRIC_SAMPLES);
  const d = real.d;
  return {
    metrics: GMM_METRICS,
    storage: gmmSpec.storage(recipe),
    alloc: (n) => new Float64Array(n),
    createChain: (s) => ({
      init: createRng(recipe.seed, s.index, Stream.init),
      metrics: createRng(recipe.seed, s.index, Stream.metrics),
    }),
    realSource: (_c, s) => (k, out) => {
      real.sample(k, s.real, out);
    },
    sample(model, n, rng, temperature, out) {
      sampleGmm(model, n, rng, temperature, out);
    },
    fitAll(sets, _previous, chains) {
      const n = sets[0].size;
      const equal = sets.every((s) => s.size === n);
      return fitter.fit({
        data: sets.map((s) => s.values.subarray(0, s.size * d)),
        n: equal ? n : Math.max(...sets.map((s) => s.size)),
        ...(equal ? {} : { sizes: sets.map((s) => s.size) }),
        d,
        k: K,
        tol: recipe.tol,
        maxIter: recipe.maxIter,
        regCovar: recipe.regCovar,
        seeds: chains.map((c) => c.init.int(4294967296)),
        init: recipe.init,
      });
    },
    score: (model, c, out, i) => scorer.scoreInto(model, c.metrics, out, i),
    shown: (m) => ({
      model: {
        k: m.k,
        d: m.d,
        weights: m.weights.slice(),
        means: m.means.slice(),
        covariances: m.covariances.slice(),
      },
    }),
    shownTrainingPoints: 2000,
    minPoints: () => K,
    logLikelihood: (model, values, n, out) => logDensities(model, values, n, out),
    realLogDensity: (values, n, out) => logDensities(real.mixture, values, n, out),
  };
}
