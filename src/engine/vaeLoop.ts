// The generation loop for the VAE on MNIST, exactly as DESIGN.md defines it:
// - Generation 0 of each chain trains a VAE on M real training digits. Generation n ≥ 1 trains a
//   FRESH VAE (new weights, new optimizer) on a training set built from round(M · share) digits
//   sampled from generation n − 1's VAE and M minus that many real digits, by the regime:
//   'replace' (those M digits), 'accumulate' (everything so far) or 'accumulate-subsample' (M
//   digits drawn uniformly without replacement from everything so far).
// - Real digits come from the shipped 8,000-digit training set. 'fresh': each chain walks its own
//   random permutation of the set, so no digit repeats within a generation, nor across
//   generations until all 8,000 have been used (then the used ones are reshuffled). 'fixed': the
//   generation-0 real digits, the first M − round(M · share) of them each generation.
// - Synthetic digits are the decoder means (grey levels, as real MNIST) of z ~ N(0, λ I), that is
//   prior std sqrt(λ) for the temperature λ (a covariance scale, as DESIGN.md defines it),
//   quantised to bytes like the real digits.
// - Metrics per chain and generation (vaeMetrics.ts): heldOutElbo and latentStd on the first
//   VAE_TEST_DIGITS (1,000) digits of the shipped test set; classEntropy and diversity on
//   VAE_METRIC_SAMPLES (1,000) samples drawn at the recipe's temperature (what the next
//   generation would be fed), diversity on the first 256 of them.
// Replicate chains are independent (streams createRng(seed, replicate, purpose)) and are trained
// one after another within each generation; only one VAE exists at a time, and every tensor is
// disposed before the next generation. Chain state between generations lives on the host: the
// next generation's synthetic digits (bytes) and, under the accumulate regimes, a pool of
// references (real digits by index, synthetic digits as bytes).
import * as tf from '@tensorflow/tfjs';
import { MAX_POOL_POINTS, type VaeRecipe } from '../core/recipe';
import { createRng, type Rng, Stream } from '../core/rng';
import { sampleIndices } from '../core/sampling';
import { type Summary, summarize } from '../core/summary';
import type { Classifier } from './classifier';
import { MNIST_PIXELS, type MnistData, mnistToFloat } from './mnist';
import type { TfMemory } from './protocol';
import { Vae } from './vae';
import { entropyBits, meanPairwiseDistance, vaeMetrics } from './vaeMetrics';

/** The recipe fields the loop reads (a VaeRecipe has them all). */
export type VaeLoopRecipe = Pick<
  VaeRecipe,
  | 'samplesPerGeneration'
  | 'generations'
  | 'replicates'
  | 'seed'
  | 'syntheticFraction'
  | 'regime'
  | 'realData'
  | 'temperature'
  | 'latentSize'
  | 'hiddenSize'
  | 'epochs'
  | 'batchSize'
  | 'learningRate'
>;

export const VAE_METRICS = ['heldOutElbo', 'latentStd', 'classEntropy', 'diversity'] as const;
export type VaeMetric = (typeof VAE_METRICS)[number];

/** Real test digits (the first of the shipped 2,000) for heldOutElbo and latentStd. */
export const VAE_TEST_DIGITS = 1000;
/** Samples per chain and generation for classEntropy and diversity. */
export const VAE_METRIC_SAMPLES = 1000;
/** Chain 1's sampled digits returned per generation for the filmstrip. */
export const VAE_FILMSTRIP_DIGITS = 64;
/** Test digits whose 2-D encoder means are returned (latentSize 2 only). */
export const VAE_LATENT_POINTS = 500;
/** Stream purposes beyond rng.ts's Stream (real 1, synthetic 2, subsample 3). */
export const VAE_STREAM = { model: 21 } as const;
/**
 * Most bytes the data of a run may hold (64 MiB, the recipe schema's MAX_POOL_POINTS values as
 * float32): the accumulate-subsample pools of all chains (synthetic digits as bytes), or one
 * accumulated training set as float32. The loop refuses larger recipes (see vaeMemoryIssue).
 */
export const VAE_MEMORY_BUDGET_BYTES = 4 * MAX_POOL_POINTS;

const SAMPLE_CHUNK = VAE_METRIC_SAMPLES;

export interface VaeTrainingComposition {
  /** Digits the VAE of this generation trained on. */
  size: number;
  /** Of those, digits sampled from an earlier VAE. */
  synthetic: number;
  /** Of those, real digits. */
  real: number;
}

export interface VaeGenerationResult {
  generation: number;
  /** Each metric summarised across replicate chains. */
  stats: Record<VaeMetric, Summary>;
  /** Chain 1's sampled digits by predicted class, as fractions (length 10, sum 1). */
  classHistogram: number[];
  /** The same metrics on real test digits, for reference lines (identical every generation). */
  reference: { classEntropy: number; diversity: number };
  chain: {
    /** VAE_FILMSTRIP_DIGITS digits sampled from chain 1's VAE, 64 × 784 bytes. */
    samples: Uint8Array;
    /** latentSize 2 only: chain 1's encoder means of the first VAE_LATENT_POINTS test digits, n × 2. */
    latent?: Float32Array;
    /** Their true labels. */
    latentLabels?: Uint8Array;
    training: VaeTrainingComposition;
  };
  /**
   * tfjs memory once the generation is done and its VAEs are disposed: the loop's own test
   * digits plus whatever else lives on the backend. Equal every generation unless tensors leak.
   */
  memory: TfMemory;
}

export interface VaeProgress {
  generation: number;
  replicate: number;
  /** Steps done in this chain's training for this generation. */
  step: number;
  totalSteps: number;
  /** Negative ELBO per digit of the latest batch (nats). */
  loss: number;
}

export interface VaeLoopEnv {
  train: MnistData;
  test: MnistData;
  classifier: Classifier;
  /** Called every `progressEvery` training steps; a returned promise is awaited. */
  onProgress?(p: VaeProgress): void | Promise<void>;
  /** Checked at every progress call and between phases; true ends the run without a result. */
  shouldStop?(): boolean;
  /** Awaited between phases (after training, after sampling), e.g. to let messages through. */
  yieldNow?(): Promise<void>;
  /** Training steps between progress calls (read before every epoch; default 25). */
  progressEvery?: number | (() => number);
}

// ----- memory and work ---------------------------------------------------------------------------

/** Digits in one chain's training set at generation `gen`. */
export function vaeTrainingSize(
  recipe: Pick<VaeLoopRecipe, 'regime' | 'samplesPerGeneration'>,
  gen: number,
): number {
  const M = recipe.samplesPerGeneration;
  return recipe.regime === 'accumulate' ? (gen + 1) * M : M;
}

/** Adam steps one chain takes at generation `gen` (the last partial batch of an epoch is dropped). */
export function vaeStepsPerChain(
  recipe: Pick<VaeLoopRecipe, 'regime' | 'samplesPerGeneration' | 'epochs' | 'batchSize'>,
  gen: number,
): number {
  const n = vaeTrainingSize(recipe, gen);
  const batch = Math.max(1, Math.min(Math.floor(recipe.batchSize), n));
  return Math.max(0, Math.floor(recipe.epochs)) * Math.floor(n / batch);
}

/** Adam steps of the whole run, all chains. */
export function vaeTotalSteps(
  recipe: Pick<
    VaeLoopRecipe,
    'regime' | 'samplesPerGeneration' | 'epochs' | 'batchSize' | 'generations' | 'replicates'
  >,
): number {
  let total = 0;
  for (let g = 0; g <= recipe.generations; g++) total += vaeStepsPerChain(recipe, g);
  return total * recipe.replicates;
}

/**
 * Why the loop would refuse `recipe` for memory (null if it fits VAE_MEMORY_BUDGET_BYTES):
 * 'accumulate' trains on all (generations + 1) · M digits at once as float32;
 * 'accumulate-subsample' keeps every synthetic digit of every chain as bytes.
 */
export function vaeMemoryIssue(
  recipe: Pick<
    VaeLoopRecipe,
    'regime' | 'samplesPerGeneration' | 'generations' | 'replicates' | 'syntheticFraction'
  >,
): string | null {
  const M = recipe.samplesPerGeneration;
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  if (recipe.regime === 'accumulate') {
    const bytes = (recipe.generations + 1) * M * MNIST_PIXELS * 4;
    if (bytes > VAE_MEMORY_BUDGET_BYTES) {
      return `accumulate would train on ${((recipe.generations + 1) * M).toLocaleString('en')} digits at the last generation (${mib(bytes)}, more than ${mib(VAE_MEMORY_BUDGET_BYTES)}): lower generations or samplesPerGeneration`;
    }
  } else if (recipe.regime === 'accumulate-subsample') {
    const synthetic = Math.round(M * recipe.syntheticFraction);
    const bytes = recipe.replicates * recipe.generations * synthetic * MNIST_PIXELS;
    if (bytes > VAE_MEMORY_BUDGET_BYTES) {
      return `accumulate-subsample would keep ${mib(bytes)} of synthetic digits (more than ${mib(VAE_MEMORY_BUDGET_BYTES)}): lower generations, samplesPerGeneration or replicates`;
    }
  }
  return null;
}

// ----- training sets -------------------------------------------------------------------------------

/** One generation's training set, by reference. */
export interface VaeTrainingSet {
  /** Digits in order: r ≥ 0 is real training digit r; r < 0 is synthetic digit −r − 1. */
  refs: Int32Array;
  /** The synthetic digits `refs` point into, k × 784 bytes (shared with the chain: read only). */
  synthetic: Uint8Array;
  composition: VaeTrainingComposition;
}

function shuffleInPlace(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

function grow<T extends Int32Array | Uint8Array>(a: T, need: number, make: (n: number) => T): T {
  if (a.length >= need) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * One chain's data regime: which real digits each generation gets, and the accumulate pool.
 * Pure bookkeeping on the host (no tfjs), so the regimes can be tested without training.
 */
export class VaeChainData {
  private readonly M: number;
  private readonly regime: VaeLoopRecipe['regime'];
  private readonly realData: VaeLoopRecipe['realData'];
  private readonly trainCount: number;
  private readonly realRng: Rng;
  private readonly subsampleRng: Rng;
  /** 'fresh': the current pass over the training set; digits before `pos` are used. */
  private order: Int32Array;
  private pos = 0;
  private fixedReal: Int32Array | null = null;
  /** Accumulate regimes: every digit so far, as refs; synthetic ones' bytes in poolPixels. */
  private pool = new Int32Array(0);
  private poolSize = 0;
  private poolPixels = new Uint8Array(0);
  private poolSynthetic = 0;
  private mark = new Uint8Array(0);

  constructor(recipe: VaeLoopRecipe, replicate: number, trainCount: number) {
    this.M = recipe.samplesPerGeneration;
    this.regime = recipe.regime;
    this.realData = recipe.realData;
    this.trainCount = trainCount;
    if (this.M > trainCount) {
      throw new RangeError(`samplesPerGeneration ${this.M} exceeds the ${trainCount} real digits`);
    }
    this.realRng = createRng(recipe.seed, replicate, Stream.real);
    this.subsampleRng = createRng(recipe.seed, replicate, Stream.subsample);
    this.order = new Int32Array(trainCount);
    for (let i = 0; i < trainCount; i++) this.order[i] = i;
    shuffleInPlace(this.order, this.realRng);
  }

  /** `k` distinct real digits not used before in this pass (see the file's header). */
  private takeFresh(k: number): Int32Array {
    const N = this.trainCount;
    if (this.pos + k <= N) {
      const out = this.order.slice(this.pos, this.pos + k);
      this.pos += k;
      return out;
    }
    // Too few unused digits left: take them all, then start a new pass whose order is those
    // digits followed by a reshuffle of all the used ones, and take the rest from it.
    const left = this.order.slice(this.pos);
    const used = this.order.slice(0, this.pos);
    shuffleInPlace(used, this.realRng);
    this.order.set(left);
    this.order.set(used, left.length);
    this.pos = k;
    return this.order.slice(0, k);
  }

  private realDigits(gen: number, k: number): Int32Array {
    if (this.realData === 'fresh') return this.takeFresh(k);
    if (this.fixedReal === null) {
      // Generation 0 draws its M real digits; later generations reuse the first k of them.
      this.fixedReal = this.takeFresh(this.M);
    }
    if (gen === 0 && k !== this.M) throw new Error('generation 0 trains on M real digits');
    return this.fixedReal.slice(0, k);
  }

  /**
   * Generation `gen`'s training set, given `synthetic` (nSynth × 784 bytes) sampled from the
   * previous generation's model (empty at generation 0).
   */
  next(gen: number, synthetic: Uint8Array): VaeTrainingSet {
    const M = this.M;
    const nSynth = synthetic.length / MNIST_PIXELS;
    if (!Number.isInteger(nSynth) || nSynth > M) throw new RangeError('synthetic digits');
    const real = this.realDigits(gen, M - nSynth);
    if (this.regime === 'replace') {
      const refs = new Int32Array(M);
      for (let i = 0; i < nSynth; i++) refs[i] = -i - 1;
      refs.set(real, nSynth);
      return { refs, synthetic, composition: { size: M, synthetic: nSynth, real: M - nSynth } };
    }
    // Accumulate regimes: append the new M digits to the pool.
    this.pool = grow(this.pool, this.poolSize + M, (n) => new Int32Array(n));
    this.poolPixels = grow(
      this.poolPixels,
      (this.poolSynthetic + nSynth) * MNIST_PIXELS,
      (n) => new Uint8Array(n),
    );
    this.poolPixels.set(synthetic, this.poolSynthetic * MNIST_PIXELS);
    for (let i = 0; i < nSynth; i++) this.pool[this.poolSize + i] = -(this.poolSynthetic + i) - 1;
    this.pool.set(real, this.poolSize + nSynth);
    this.poolSize += M;
    this.poolSynthetic += nSynth;
    const pixels = this.poolPixels.subarray(0, this.poolSynthetic * MNIST_PIXELS);
    if (this.regime === 'accumulate') {
      const size = this.poolSize;
      return {
        refs: this.pool.slice(0, size),
        synthetic: pixels,
        composition: { size, synthetic: this.poolSynthetic, real: size - this.poolSynthetic },
      };
    }
    if (this.mark.length < this.poolSize) this.mark = new Uint8Array(this.pool.length);
    const idx = sampleIndices(this.poolSize, M, this.subsampleRng, this.mark);
    const refs = new Int32Array(M);
    let s = 0;
    for (let i = 0; i < M; i++) {
      refs[i] = this.pool[idx[i]];
      if (refs[i] < 0) s++;
    }
    return { refs, synthetic: pixels, composition: { size: M, synthetic: s, real: M - s } };
  }
}

const BYTE_TO_FLOAT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** A training set's pixels as float32 in [0, 1], n × 784 row-major. */
export function trainingImages(set: VaeTrainingSet, train: MnistData): Float32Array {
  const D = MNIST_PIXELS;
  const out = new Float32Array(set.refs.length * D);
  for (let i = 0; i < set.refs.length; i++) {
    const r = set.refs[i];
    const src = r >= 0 ? train.images : set.synthetic;
    const o = (r >= 0 ? r : -r - 1) * D;
    const dst = i * D;
    for (let j = 0; j < D; j++) out[dst + j] = BYTE_TO_FLOAT[src[o + j]];
  }
  return out;
}

/** Decoder means in [0, 1] to bytes, like the real digits: round(255 · v). */
function quantise(values: Float32Array, out: Uint8Array, rows: number, outRow = 0): void {
  const n = rows * MNIST_PIXELS;
  const o = outRow * MNIST_PIXELS;
  for (let i = 0; i < n; i++) {
    const v = Math.round(values[i] * 255);
    out[o + i] = Math.max(0, Math.min(255, v));
  }
}

// ----- the loop --------------------------------------------------------------------------------------

/**
 * Runs `recipe`, yielding each generation's summary once every chain has trained it.
 * Deterministic in the recipe on a given tfjs backend. Stops early (without a partial result)
 * when `env.shouldStop()` turns true; closing the generator frees every tensor.
 */
export async function* simulateVae(
  recipe: VaeLoopRecipe,
  env: VaeLoopEnv,
): AsyncGenerator<VaeGenerationResult, void, undefined> {
  const issue = vaeMemoryIssue(recipe);
  if (issue) throw new RangeError(issue);
  const { train, test, classifier } = env;
  const M = recipe.samplesPerGeneration;
  const R = recipe.replicates;
  const G = recipe.generations;
  const L = recipe.latentSize;
  const nSynthetic = Math.round(M * recipe.syntheticFraction);
  const priorStd = Math.sqrt(recipe.temperature);
  const stop = () => env.shouldStop?.() ?? false;
  const every = () => {
    const e = typeof env.progressEvery === 'function' ? env.progressEvery() : env.progressEvery;
    return Math.max(1, Math.floor(e ?? 25));
  };

  const chains = Array.from({ length: R }, (_, r) => ({
    data: new VaeChainData(recipe, r, train.count),
    modelSeeds: createRng(recipe.seed, r, VAE_STREAM.model),
    /** Digits sampled from this chain's latest VAE for its next generation. */
    next: new Uint8Array(0),
  }));
  const values = Object.fromEntries(VAE_METRICS.map((m) => [m, new Float64Array(R)])) as Record<
    VaeMetric,
    Float64Array
  >;

  const nTest = Math.min(VAE_TEST_DIGITS, test.count);
  const nLatent = Math.min(VAE_LATENT_POINTS, nTest);
  const testX = tf.tensor2d(mnistToFloat(test, 0, nTest), [nTest, MNIST_PIXELS]);
  let latentX: tf.Tensor2D | null = null;
  try {
    if (L === 2) latentX = tf.slice(testX, [0, 0], [nLatent, MNIST_PIXELS]) as tf.Tensor2D;
    const reference = await realReference(testX, classifier);

    for (let gen = 0; gen <= G; gen++) {
      let classHistogram: number[] = [];
      let samples = new Uint8Array(0);
      let latent: Float32Array | undefined;
      let composition: VaeTrainingComposition = { size: 0, synthetic: 0, real: 0 };

      for (let r = 0; r < R; r++) {
        if (stop()) return;
        const c = chains[r];
        const set = c.data.next(gen, c.next);
        c.next = new Uint8Array(0);
        if (r === 0) composition = set.composition;
        const n = set.refs.length;
        const vae = new Vae({
          latentSize: L,
          hiddenSize: recipe.hiddenSize,
          learningRate: recipe.learningRate,
          seed: c.modelSeeds.int(4294967296),
        });
        let x: tf.Tensor2D | null = null;
        let metricSamples: tf.Tensor2D | null = null;
        try {
          // Train, one epoch per call so that the progress interval can adapt between epochs
          // (the same steps as one call: Adam and the shuffling streams carry over).
          x = tf.tensor2d(trainingImages(set, train), [n, MNIST_PIXELS]);
          const total = vaeStepsPerChain(recipe, gen);
          const perEpoch = recipe.epochs > 0 ? total / recipe.epochs : 0;
          for (let e = 0; e < recipe.epochs; e++) {
            const done = e * perEpoch;
            const result = await vae.trainEpochs(x, {
              epochs: 1,
              batchSize: recipe.batchSize,
              progressEvery: every(),
              onProgress: env.onProgress
                ? (step, _total, loss) =>
                    env.onProgress?.({
                      generation: gen,
                      replicate: r,
                      step: done + step,
                      totalSteps: total,
                      loss,
                    })
                : undefined,
              shouldStop: env.shouldStop,
            });
            if (result.stopped || stop()) return;
          }
          x.dispose();
          x = null;
          await env.yieldNow?.();
          if (stop()) return;

          // Sample: the next generation's synthetic digits and the metric samples (the first
          // VAE_METRIC_SAMPLES of the same draw), in chunks to bound memory.
          const nNext = gen < G ? nSynthetic : 0;
          const count = Math.max(nNext, VAE_METRIC_SAMPLES);
          const next = new Uint8Array(nNext * MNIST_PIXELS);
          const film = new Uint8Array(r === 0 ? VAE_FILMSTRIP_DIGITS * MNIST_PIXELS : 0);
          for (let start = 0; start < count; start += SAMPLE_CHUNK) {
            const m = Math.min(SAMPLE_CHUNK, count - start);
            const s = vae.sample(m, priorStd);
            const v = (await s.data()) as Float32Array;
            if (start < nNext) quantise(v, next, Math.min(m, nNext - start), start);
            if (start === 0) {
              if (r === 0) quantise(v, film, Math.min(m, VAE_FILMSTRIP_DIGITS));
              metricSamples = s;
            } else s.dispose();
          }
          c.next = next;
          await env.yieldNow?.();
          if (stop()) return;

          const m = await vaeMetrics({
            vae,
            testImages: testX,
            classifier,
            samples: metricSamples as tf.Tensor2D,
          });
          for (const k of VAE_METRICS) values[k][r] = m[k];
          if (r === 0) {
            const total = m.classHistogram.reduce((a, b) => a + b, 0);
            classHistogram = m.classHistogram.map((h) => (total > 0 ? h / total : 0));
            samples = film;
            if (latentX) {
              const mu = vae.encodeMeans(latentX);
              try {
                latent = (await mu.data()).slice() as Float32Array;
              } finally {
                mu.dispose();
              }
            }
          }
        } finally {
          x?.dispose();
          metricSamples?.dispose();
          vae.dispose();
        }
      }

      const stats = {} as Record<VaeMetric, Summary>;
      for (const k of VAE_METRICS) stats[k] = summarize(values[k].slice());
      const { numTensors, numBytes } = tf.memory();
      yield {
        generation: gen,
        stats,
        classHistogram,
        reference,
        chain: {
          samples,
          ...(latent ? { latent, latentLabels: test.labels.slice(0, nLatent) } : {}),
          training: composition,
        },
        memory: { numTensors, numBytes },
      };
    }
  } finally {
    latentX?.dispose();
    testX.dispose();
  }
}

/** classEntropy and diversity of the real test digits themselves. */
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
  const head = tf.slice(testX, [0, 0], [m, MNIST_PIXELS]) as tf.Tensor2D;
  try {
    return { classEntropy: entropyBits(counts), diversity: await meanPairwiseDistance(head) };
  } finally {
    head.dispose();
  }
}
