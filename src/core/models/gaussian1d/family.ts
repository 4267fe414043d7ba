// The 1-D Gaussian as a model family of the generation loop: fitted by moments (shifted by the
// previous mean for precision), sampled at a temperature, scored against the real N(0, 1). Under
// 'accumulate' it keeps running moments instead of a pool (the loop's fast path). For the
// mitigations: a fit needs 2 points; curation scores by the model's own log-density or by the
// real N(0, 1)'s.

import type { ModelFamily } from '../../generation/types';
import type { Estimator } from './gaussian';
import {
  emptyMoments,
  fitGaussian,
  type Gaussian1d,
  type Moments,
  mergeMoments,
  momentsOf,
  scoreGaussian,
} from './gaussian';
import type { GaussianMetric } from './spec';
import { GAUSSIAN_METRICS, gaussianSpec } from './spec';

/** What the views show of chain 1: its fitted model. */
export interface GaussianShown {
  model: Gaussian1d;
}

export type GaussianFamily = ModelFamily<
  GaussianMetric,
  Gaussian1d,
  GaussianShown,
  Float64Array,
  null
>;

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export function gaussianFamily(recipe: { estimator: Estimator }): GaussianFamily {
  const { estimator } = recipe;
  return {
    metrics: GAUSSIAN_METRICS,
    storage: gaussianSpec.storage(),
    alloc: (n) => new Float64Array(n),
    createChain: () => null,
    realSource: (_c, streams) => (k, out) => {
      const rng = streams.real;
      for (let i = 0; i < k; i++) out[i] = rng.normal();
    },
    sample(model, n, rng, temperature, out) {
      const { mean, std } = model;
      const s = std * Math.sqrt(temperature);
      for (let i = 0; i < n; i++) out[i] = mean + s * rng.normal();
    },
    fit: (set, previous) =>
      fitGaussian(momentsOf(set.values, set.size, previous?.mean ?? 0), estimator),
    score: (model, _c, out, i) => scoreGaussian(model, out, i),
    shown: (model) => ({ model: { ...model } }),
    sufficient: {
      empty: emptyMoments,
      add: (stats, values, size, previous) =>
        mergeMoments(stats as Moments, momentsOf(values, size, previous?.mean ?? 0)),
      fit: (stats) => fitGaussian(stats as Moments, estimator),
    },
    shownTrainingPoints: 2000,
    minPoints: () => 2,
    logLikelihood(model, values, n, out) {
      const { mean, std } = model;
      const c = -Math.log(std) - HALF_LOG_2PI;
      for (let i = 0; i < n; i++) {
        const z = (values[i] - mean) / std;
        out[i] = c - 0.5 * z * z;
      }
    },
    realLogDensity(values, n, out) {
      for (let i = 0; i < n; i++) out[i] = -0.5 * values[i] * values[i] - HALF_LOG_2PI;
    },
  };
}
