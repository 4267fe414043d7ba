// The DDPM on 2-D points as a model family of the one generation loop (core/generation/loop.ts):
// - fit: a FRESH model (new weights, new Adam) per chain and generation, its seed drawn from the
//   chain's own model stream createRng(seed, chain, Stream.model), trained for
//   epochs × ⌊n / 256⌋ Adam steps on the training set in the model's units (each coordinate divided
//   by the real distribution's std, a fixed constant, so every distribution reaches the network at
//   unit scale), with progress, yielding to the worker's event loop, and stopping (RunCancelled)
//   when the run is cancelled. Adam's state is freed once it is trained.
// - sample: the full reverse chain (ddpm.ts) at the temperature, noise from the stream the loop
//   passes in, scaled back to the data's units.
// - score: DIFFUSION_METRIC_SAMPLES points at the recipe's temperature from the chain's metrics
//   stream createRng(seed, chain, Stream.metrics): modesAlive and the sliced w2 as the mixtures
//   score them (core/mixtureScores.ts), std, and precision / recall against the first as many points of
//   the fixed held-out real sample (core/models/diffusion/metrics.ts).
// - shown (chain 1): those same metric points, the last training loss, and tf.memory().
// - realSource: the real distribution's own sampler on the chain's real stream.
// - mitigations: a fit needs 1 point; curation by the model ranks a point by minus its mean
//   denoising error over CURATION_DRAWS fixed (t, ε) draws with t in the lowest fifth of the
//   steps (a DDPM has no cheap likelihood; the error is the per-point term of its variational
//   bound, up to weights, and only the low-noise terms tell a point on the data from one off it:
//   at high noise every point's error is alike); a verifier ranks by the real density.
// The loop owns the regimes, the real-data options and the pools.
//
// Backend fallback: every trained model keeps a host copy of its weights (a few thousand floats),
// so when the backend fails (a kernel it lacks, a lost GPU) at any generation, the next rung of
// the ladder takes over: the live models are rebuilt there from their weights and the failed step
// is redone — a training from its start with the same seed, or the same draw (its stream goes on
// from where the failed attempt left it). Finished generations are kept.
import * as tf from '@tensorflow/tfjs';
import type { ModelFamily } from '../../../core/generation/types';
import { gmmScorer } from '../../../core/mixtureScores';
import {
  type PrecisionRecallReference,
  pointStd,
  precisionRecall,
  precisionRecallReference,
} from '../../../core/models/diffusion/metrics';
import type { DiffusionShown } from '../../../core/models/diffusion/shown';
import {
  DIFFUSION_BATCH,
  DIFFUSION_METRICS,
  type DiffusionMetric,
  diffusionSpec,
} from '../../../core/models/diffusion/spec';
import { heldOutSample, realDistribution } from '../../../core/realDistributions';
import type { DiffusionRecipe } from '../../../core/recipe';
import { createRng, type Rng, Stream } from '../../../core/rng';
import { type BackendFallback, ladderStep } from '../../backend/fallback';
import type { JobContext } from '../../job/context';
import { RunCancelled } from '../../job/context';
import type { TrainingProgressReporter } from '../../job/trainingProgress';
import {
  DIFFUSION_METRIC_SAMPLES,
  DIFFUSION_SHOWN_TRAINING_POINTS,
  diffusionSteps,
} from './constants';
import { Ddpm } from './ddpm';
import { diffusionProgress } from './progress';

/** A trained DDPM (a box, so that a backend fallback can rebuild it in place). */
export interface DiffusionModel {
  ddpm: Ddpm;
  loss: number;
  /** Its parameters on the host, to rebuild it on another backend. */
  weights: Float32Array;
}

export interface DiffusionChain {
  index: number;
  models: Rng;
  metrics: Rng;
  /** The latest metric samples (data units), shown for chain 1. */
  samples: Float32Array;
}

export type DiffusionFamily = ModelFamily<
  DiffusionMetric,
  DiffusionModel,
  DiffusionShown,
  Float64Array,
  DiffusionChain
>;

/** The ladder's parts (engine/backend/fallback.ts) come with a run; tests may leave them out. */
export interface DiffusionFamilyOptions extends BackendFallback {
  ctx: JobContext;
  progress?: TrainingProgressReporter;
  /** Model points per scoring (default DIFFUSION_METRIC_SAMPLES; tests use fewer). */
  metricSamples?: number;
}

/** (t, ε) draws per point when curation ranks by the model's denoising error. */
export const CURATION_DRAWS = 8;
/** Curation's draws take t in the lowest 1 / CURATION_NOISE_SHARE of the steps. */
const CURATION_NOISE_SHARE = 5;
const CURATION_SEED = 0xd1ff;

const references = new Map<string, PrecisionRecallReference>();

/** The first n held-out real points and their k-NN balls (computed once per distribution). */
function referenceFor(name: DiffusionRecipe['realDistribution'], n: number) {
  const key = `${name}:${n}`;
  let r = references.get(key);
  if (!r) {
    r = precisionRecallReference(heldOutSample(name).subarray(0, 2 * n), n);
    references.set(key, r);
  }
  return r;
}

export function diffusionFamily(
  recipe: DiffusionRecipe,
  options: DiffusionFamilyOptions,
): DiffusionFamily {
  const { ctx } = options;
  const real = realDistribution(recipe.realDistribution);
  // The network works in units of the real distribution's std (a constant of the distribution).
  const unit = Math.sqrt(real.variance);
  const N = options.metricSamples ?? DIFFUSION_METRIC_SAMPLES;
  const scorer = gmmScorer(real, N);
  const reference = referenceFor(recipe.realDistribution, N);
  const progress = options.progress ?? diffusionProgress(recipe, ctx);
  const checkCancelled = () => {
    if (ctx.cancelled()) throw new RunCancelled();
  };
  const config = (seed: number) => ({
    steps: recipe.steps,
    hiddenSize: recipe.hiddenSize,
    learningRate: recipe.learningRate,
    seed,
  });
  /** Models not yet released: what a fallback rebuilds. */
  const live = new Set<DiffusionModel>();

  /** Moves to the next backend that works, or rethrows `error`. */
  const fallBack = ladderStep(options);

  /** Rebuilds every live model on the backend now active, from its host weights. */
  const rebuild = () => {
    for (const m of live) {
      try {
        m.ddpm.dispose();
      } catch {
        // its backend is gone
      }
      m.ddpm = new Ddpm(config(0), m.weights);
    }
  };

  /** Runs `op`; a failing backend hands over to the next rung and `op` runs again there. */
  const guarded = async <T>(op: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await op();
      } catch (e) {
        if (e instanceof RunCancelled || e instanceof RangeError || ctx.cancelled()) throw e;
        await fallBack(e);
        rebuild();
      }
    }
  };

  const toModelUnits = (values: Float64Array, n: number) => {
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n * 2; i++) out[i] = values[i] / unit;
    return out;
  };

  /** n points of `model` at temperature λ in data units, as float64 into `out`. */
  const draw = async (model: DiffusionModel, n: number, rng: Rng, temperature: number) => {
    const pts = await model.ddpm.sample(n, rng, temperature);
    for (let i = 0; i < pts.length; i++) pts[i] *= unit;
    return pts;
  };

  return {
    metrics: DIFFUSION_METRICS,
    storage: diffusionSpec.storage(),
    alloc: (n) => new Float64Array(n),
    createChain: (s) => ({
      index: s.index,
      models: createRng(recipe.seed, s.index, Stream.model),
      metrics: createRng(recipe.seed, s.index, Stream.metrics),
      samples: new Float32Array(0),
    }),
    realSource: (_c, s) => (k, out) => {
      real.sample(k, s.real, out);
    },

    async fit(set, _previous, c) {
      checkCancelled();
      const gen = set.generation ?? 0;
      const n = set.size;
      const seed = c.models.int(4294967296);
      const data = toModelUnits(set.values, n);
      const steps = diffusionSteps(recipe, n);
      const perEpoch = recipe.epochs > 0 ? steps / recipe.epochs : 1;
      const at = (step: number) => ({
        generation: gen,
        chain: c.index,
        epoch: Math.min(recipe.epochs, Math.floor(step / perEpoch) + 1),
        step,
        steps,
      });
      const model = await guarded(async () => {
        const ddpm = new Ddpm(config(seed));
        try {
          const loss = await ddpm.train(data, n, {
            steps,
            batchSize: DIFFUSION_BATCH,
            progressEvery: () => progress.every(),
            onProgress: (step) => progress.step(at(step)),
          });
          ddpm.endTraining();
          return { ddpm, loss, weights: await ddpm.weights() };
        } catch (e) {
          try {
            ddpm.dispose();
          } catch {
            // its backend is gone
          }
          throw e;
        }
      });
      live.add(model);
      progress.phase('measuring', { ...at(steps), epoch: recipe.epochs });
      return model;
    },

    async sample(model, n, rng, temperature, out) {
      const pts = await guarded(() => draw(model, n, rng, temperature));
      for (let i = 0; i < n * 2; i++) out[i] = pts[i];
    },

    async score(model, c, out, i) {
      checkCancelled();
      const pts = await guarded(() => draw(model, N, c.metrics, recipe.temperature));
      const x = Float64Array.from(pts);
      const [, modesAlive] = scorer.tailAndModes(x);
      const pr = precisionRecall(pts, N, reference);
      out.modesAlive[i] = modesAlive;
      out.w2[i] = scorer.w2(x);
      out.std[i] = pointStd(pts, N, 2);
      out.precision[i] = pr.precision;
      out.recall[i] = pr.recall;
      c.samples = pts;
      await ctx.yieldNow();
      checkCancelled();
    },

    shown(model, c) {
      const { numTensors, numBytes } = tf.memory();
      return { samples: c.samples.slice(), loss: model.loss, memory: { numTensors, numBytes } };
    },

    release(model) {
      live.delete(model);
      model.ddpm.dispose();
    },

    shownTrainingPoints: DIFFUSION_SHOWN_TRAINING_POINTS,

    minPoints: () => 1,

    async logLikelihood(model, values, n, out) {
      checkCancelled();
      const data = toModelUnits(values, n);
      const err = new Float64Array(n);
      out.fill(0, 0, n);
      const rng = createRng(CURATION_SEED);
      for (let k = 0; k < CURATION_DRAWS; k++) {
        await guarded(() =>
          model.ddpm.loss(data, n, rng, err, Math.ceil(recipe.steps / CURATION_NOISE_SHARE)),
        );
        for (let i = 0; i < n; i++) out[i] -= err[i] / CURATION_DRAWS;
      }
    },

    realLogDensity(values, n, out) {
      for (let i = 0; i < n; i++) out[i] = Math.log(real.density(values, 2 * i));
    },
  };
}
