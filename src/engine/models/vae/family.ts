// The VAE on MNIST as a model family of the one generation loop (core/generation/loop.ts):
// - fit: a FRESH VAE (new weights, new Adam) per chain and generation, its seed drawn from the
//   chain's own model stream createRng(seed, chain, Stream.model), trained on the training set's
//   digits (bytes / 255) epoch by epoch with progress, yielding to the worker's event loop, and
//   stopping (RunCancelled) when the run is cancelled. Adam's state is freed once it is trained.
// - sample: decoder means (grey levels, like the real digits) of z ~ N(0, λ I), i.e. prior std
//   sqrt(λ) for the temperature λ (docs/architecture.md, "Temperature"), quantised to
//   bytes; z is drawn on the host from the stream the loop passes in.
// - score (metrics.ts): heldOutElbo and latentStd on the first VAE_TEST_DIGITS test digits;
//   classEntropy and diversity on VAE_METRIC_SAMPLES samples at the recipe's temperature drawn
//   from the chain's metrics stream createRng(seed, chain, Stream.metrics).
// - shown (chain 1): VAE_FILMSTRIP_DIGITS digits from its display stream createRng(seed, chain,
//   Stream.display), the 2-D latent means of the first test digits (latentSize 2), the class
//   shares of its metric samples, the real digits' own metrics, and tf.memory().
// - realSource: each chain walks its own permutation of the training digits (data.ts).
// - mitigations: a fit needs 1 digit; curation by the model scores a digit x (grey levels / 255)
//   by log p(x | z = μ(x)) + log N(μ(x); 0, I) + const, the ELBO's terms at the encoder's mean
//   (no real density: the spec turns a verifier into the model's own ranking).
// The loop owns the regimes, the real-data options and the pools.
//
// Backend fallback: a backend that fails before generation 0 has been shown (a kernel it lacks, a
// lost GPU) hands over to the next rung of the ladder, and generation 0 is redone there from
// copies of its training sets, with every stream restarted, so that the run is the one that
// would have run on that backend from the start. Later failures end the run with the error.
import * as tf from '@tensorflow/tfjs';
import type { ModelFamily, TrainingSet } from '../../../core/generation/types';
import type { VaeShown } from '../../../core/models/vae/shown';
import { DIGIT_PIXELS, VAE_METRICS, type VaeMetric, vaeSpec } from '../../../core/models/vae/spec';
import type { VaeRecipe } from '../../../core/recipe';
import { createRng, type Rng, Stream } from '../../../core/rng';
import { type BackendFallback, ladderStep } from '../../backend/fallback';
import type { JobContext } from '../../job/context';
import { RunCancelled } from '../../job/context';
import { type Classifier, createClassifier } from './classifier';
import {
  VAE_FILMSTRIP_DIGITS,
  VAE_LATENT_POINTS,
  VAE_METRIC_SAMPLES,
  VAE_SAMPLE_CHUNK,
  VAE_SHOWN_TRAINING_DIGITS,
  VAE_TEST_DIGITS,
  vaeSteps,
} from './constants';
import { realDigits, type VaeData } from './data';
import { entropyBits, meanPairwiseDistance, vaeMetrics } from './metrics';
import { mnistToFloat } from './mnist';
import { type VaeProgressReporter, vaeProgress } from './progress';
import { Vae } from './vae';

/** A trained VAE. (A box, so that a backend fallback can put generation 0's retrained VAE in it.) */
export interface VaeModel {
  vae: Vae;
}

/** One chain's own state. */
export interface VaeChain {
  index: number;
  /** Seeds of its fresh VAEs, one per generation. */
  models: Rng;
  metrics: Rng;
  display: Rng;
  /** Generations fitted so far. */
  fitted: number;
  /** Class shares of the latest metric samples (length 10, sum 1). */
  classHistogram: number[];
  /** Generation 0, kept until it is shown, to redo it on another backend. */
  first: {
    digits: Uint8Array;
    size: number;
    model: VaeModel | null;
    scored: { out: Record<VaeMetric, Float64Array>; i: number } | null;
  } | null;
}

export type VaeFamily = ModelFamily<VaeMetric, VaeModel, VaeShown, Uint8Array, VaeChain>;

/** The ladder's parts (engine/backend/fallback.ts) come with a run; tests may leave them out. */
export interface VaeFamilyOptions extends BackendFallback {
  data: VaeData;
  ctx: JobContext;
  progress?: VaeProgressReporter;
}

/** What the family holds on the backend for the whole run. */
interface Resources {
  testX: tf.Tensor2D;
  latentX: tf.Tensor2D | null;
  classifier: Classifier;
  reference: { classEntropy: number; diversity: number };
}

const BYTE_TO_FLOAT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** Decoder means in [0, 1] to bytes, like the real digits: round(255 · v), rows from `outRow`. */
function quantise(values: Float32Array, out: Uint8Array, rows: number, outRow = 0): void {
  const n = rows * DIGIT_PIXELS;
  const o = outRow * DIGIT_PIXELS;
  for (let i = 0; i < n; i++) {
    const v = Math.round(values[i] * 255);
    out[o + i] = Math.max(0, Math.min(255, v));
  }
}

const shares = (counts: readonly number[]) => {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
};

export function vaeFamily(recipe: VaeRecipe, options: VaeFamilyOptions): VaeFamily {
  const { data, ctx } = options;
  const D = DIGIT_PIXELS;
  const priorStd = Math.sqrt(recipe.temperature);
  const progress = options.progress ?? vaeProgress(recipe, ctx);
  if (recipe.samplesPerGeneration > data.train.count) {
    throw new RangeError(
      `samplesPerGeneration ${recipe.samplesPerGeneration} exceeds the ${data.train.count} real digits`,
    );
  }
  const nTest = Math.min(VAE_TEST_DIGITS, data.test.count);
  const nLatent = Math.min(VAE_LATENT_POINTS, nTest);
  const chains: VaeChain[] = [];
  let resources: Resources | null = null;
  /** Generation 0 has been shown: no more fallbacks. */
  let firstShown = false;

  const checkCancelled = () => {
    if (ctx.cancelled()) throw new RunCancelled();
  };
  const pause = async () => {
    await ctx.yieldNow();
    checkCancelled();
  };

  const createResources = async (): Promise<Resources> => {
    const testX = tf.tensor2d(mnistToFloat(data.test, 0, nTest), [nTest, D]);
    let latentX: tf.Tensor2D | null = null;
    let classifier: Classifier | null = null;
    try {
      if (recipe.latentSize === 2) latentX = tf.slice(testX, [0, 0], [nLatent, D]);
      classifier = createClassifier(data.classifier);
      return { testX, latentX, classifier, reference: await realReference(testX, classifier) };
    } catch (e) {
      tf.dispose([testX, ...(latentX ? [latentX] : [])]);
      classifier?.dispose();
      throw e;
    }
  };
  const res = async () => {
    resources ??= await createResources();
    return resources;
  };
  const disposeResources = () => {
    const r = resources;
    resources = null;
    if (!r) return;
    try {
      r.testX.dispose();
      r.latentX?.dispose();
      r.classifier.dispose();
    } catch {
      // a lost backend may refuse; nothing else holds them
    }
  };

  const streamsOf = (index: number) => ({
    models: createRng(recipe.seed, index, Stream.model),
    metrics: createRng(recipe.seed, index, Stream.metrics),
    display: createRng(recipe.seed, index, Stream.display),
  });

  /** Trains a fresh VAE on `n` digits (bytes, n × 784) as chain `c`'s generation `gen`. */
  const train = async (digits: Uint8Array, n: number, c: VaeChain, gen: number): Promise<Vae> => {
    const vae = new Vae({
      latentSize: recipe.latentSize,
      hiddenSize: recipe.hiddenSize,
      learningRate: recipe.learningRate,
      seed: c.models.int(4294967296),
    });
    let x: tf.Tensor2D | null = null;
    try {
      const host = new Float32Array(n * D);
      for (let i = 0; i < host.length; i++) host[i] = BYTE_TO_FLOAT[digits[i]];
      x = tf.tensor2d(host, [n, D]);
      const steps = vaeSteps(recipe, n);
      const perEpoch = recipe.epochs > 0 ? steps / recipe.epochs : 0;
      // One call per epoch, so that the steps between yields adapt as the step time is learnt
      // (the same steps as one call: Adam and the shuffling stream carry over).
      for (let e = 0; e < recipe.epochs; e++) {
        const at = { generation: gen, chain: c.index, epoch: e + 1, steps };
        await vae.trainEpochs(x, {
          epochs: 1,
          batchSize: recipe.batchSize,
          progressEvery: progress.every(),
          host,
          onProgress: (step) => progress.step({ ...at, step: e * perEpoch + step }),
        });
      }
      vae.endTraining();
      progress.phase('measuring', {
        generation: gen,
        chain: c.index,
        epoch: recipe.epochs,
        step: steps,
        steps,
      });
      return vae;
    } catch (e) {
      vae.dispose();
      throw e;
    } finally {
      x?.dispose();
    }
  };

  const scoreInto = async (
    model: VaeModel,
    c: VaeChain,
    out: Record<VaeMetric, Float64Array>,
    i: number,
  ) => {
    const r = await res();
    const samples = model.vae.sample(VAE_METRIC_SAMPLES, priorStd, 'mean', c.metrics);
    try {
      const m = await vaeMetrics({
        vae: model.vae,
        testImages: r.testX,
        classifier: r.classifier,
        samples,
      });
      for (const k of VAE_METRICS) out[k][i] = m[k];
      c.classHistogram = shares(m.classHistogram);
    } finally {
      samples.dispose();
    }
  };

  /** Generation 0 is done: no more fallbacks, and its copies go. */
  const endFirstGeneration = () => {
    firstShown = true;
    for (const ch of chains) ch.first = null;
  };

  /** Moves to the next backend that works, or rethrows `error`. */
  const fallBack = ladderStep(options);

  /** Redoes generation 0 so far on the backend now active, every stream from its start. */
  const redoFirstGeneration = async () => {
    disposeResources();
    progress.restart();
    for (const c of chains) {
      Object.assign(c, streamsOf(c.index));
      const first = c.first;
      if (!first?.model) continue;
      try {
        first.model.vae.dispose();
      } catch {
        // its backend is gone
      }
      first.model.vae = await train(first.digits, first.size, c, 0);
      if (first.scored) await scoreInto(first.model, c, first.scored.out, first.scored.i);
    }
  };

  /** Runs `op`; until generation 0 is shown, a failing backend hands over to the next rung. */
  const guarded = async <T>(op: () => Promise<T>): Promise<T> => {
    let redo = false;
    for (;;) {
      try {
        if (redo) {
          redo = false;
          await redoFirstGeneration();
        }
        return await op();
      } catch (e) {
        if (firstShown || e instanceof RunCancelled || e instanceof RangeError || ctx.cancelled())
          throw e;
        await fallBack(e);
        redo = true;
      }
    }
  };

  return {
    metrics: VAE_METRICS,
    storage: vaeSpec.storage(),
    alloc: (n) => new Uint8Array(n),
    createChain(s) {
      const c: VaeChain = {
        index: s.index,
        ...streamsOf(s.index),
        fitted: 0,
        classHistogram: new Array<number>(10).fill(0),
        first: null,
      };
      chains.push(c);
      return c;
    },
    realSource: (_c, s) => realDigits(data.train, s.real),

    async fit(set: TrainingSet<Uint8Array>, _previous, c) {
      checkCancelled();
      // (A starved generation is not fitted: the loop's count, not ours, names the generation.)
      const gen = set.generation ?? c.fitted;
      // (A loop running only some chains never calls shown(): generation 1 ends the fallbacks.)
      if (gen > 0) endFirstGeneration();
      if (gen === 0 && !firstShown) {
        c.first = {
          digits: set.values.slice(0, set.size * D),
          size: set.size,
          model: null,
          scored: null,
        };
      }
      const model = await guarded(async () => ({
        vae: await train(set.values, set.size, c, gen),
      }));
      if (c.first && gen === 0) c.first.model = model;
      c.fitted = gen + 1;
      await pause();
      return model;
    },

    async sample(model, n, rng, temperature, out) {
      const std = Math.sqrt(temperature);
      for (let start = 0; start < n; start += VAE_SAMPLE_CHUNK) {
        const m = Math.min(VAE_SAMPLE_CHUNK, n - start);
        const s = model.vae.sample(m, std, 'mean', rng);
        try {
          quantise((await s.data()) as Float32Array, out, m, start);
        } finally {
          s.dispose();
        }
      }
    },

    async score(model, c, out, i) {
      checkCancelled();
      await guarded(async () => {
        await scoreInto(model, c, out, i);
        if (c.first && !firstShown) c.first.scored = { out, i };
      });
      await pause();
    },

    async shown(model, c) {
      checkCancelled();
      const shown = await guarded(async (): Promise<VaeShown> => {
        const r = await res();
        const samples = new Uint8Array(VAE_FILMSTRIP_DIGITS * D);
        const s = model.vae.sample(VAE_FILMSTRIP_DIGITS, priorStd, 'mean', c.display);
        try {
          quantise((await s.data()) as Float32Array, samples, VAE_FILMSTRIP_DIGITS);
        } finally {
          s.dispose();
        }
        let latent: Float32Array | undefined;
        if (r.latentX) {
          const mu = model.vae.encodeMeans(r.latentX);
          try {
            latent = ((await mu.data()) as Float32Array).slice();
          } finally {
            mu.dispose();
          }
        }
        const { numTensors, numBytes } = tf.memory();
        return {
          samples,
          ...(latent ? { latent, latentLabels: data.test.labels.slice(0, nLatent) } : {}),
          classHistogram: c.classHistogram.slice(),
          reference: { ...r.reference },
          memory: { numTensors, numBytes },
        };
      });
      endFirstGeneration();
      return shown;
    },

    release(model) {
      model.vae.dispose();
    },

    dispose() {
      disposeResources();
    },

    shownTrainingPoints: VAE_SHOWN_TRAINING_DIGITS,

    minPoints: () => 1,

    async logLikelihood(model, values, n, out) {
      checkCancelled();
      for (let start = 0; start < n; start += VAE_SAMPLE_CHUNK) {
        const m = Math.min(VAE_SAMPLE_CHUNK, n - start);
        const host = new Float32Array(m * D);
        for (let i = 0; i < host.length; i++) host[i] = BYTE_TO_FLOAT[values[start * D + i]];
        const score = tf.tidy(() => {
          const x = tf.tensor2d(host, [m, D]);
          const mu = model.vae.encodeMeans(x);
          const p = tf.clipByValue(model.vae.decode(mu), 1e-6, 1 - 1e-6);
          const recon = tf.sum(
            tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p)))),
            1,
          );
          return tf.sub(recon, tf.mul(tf.sum(tf.square(mu), 1), 0.5));
        });
        try {
          const v = (await score.data()) as Float32Array;
          for (let i = 0; i < m; i++) out[start + i] = v[i];
        } finally {
          score.dispose();
        }
      }
    },
  };
}

/** classEntropy and diversity of the real test digits themselves (the reference lines). */
async function realReference(
  testX: tf.Tensor2D,
  classifier: Classifier,
): Promise<{ classEntropy: number; diversity: number }> {
  const labels = classifier.classify(testX);
  const counts = new Array<number>(10).fill(0);
  try {
    for (const l of await labels.data()) if (l >= 0 && l < 10) counts[l]++;
  } finally {
    labels.dispose();
  }
  const m = Math.min(256, testX.shape[0]);
  const head = tf.slice(testX, [0, 0], [m, DIGIT_PIXELS]) as tf.Tensor2D;
  try {
    return { classEntropy: entropyBits(counts), diversity: await meanPairwiseDistance(head) };
  } finally {
    head.dispose();
  }
}
