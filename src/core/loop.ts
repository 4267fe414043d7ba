// The generation loop for the 1-D Gaussian, exactly as DESIGN.md defines it. All replicate
// chains advance in lockstep so each generation can be summarised and streamed as it finishes.
import {
  emptyMoments,
  fitGaussian,
  GAUSSIAN_METRICS,
  type Gaussian1d,
  type GaussianMetric,
  type Moments,
  mergeMoments,
  momentsOf,
  scoreGaussian,
} from './gaussian';
import { syntheticCount } from './mixing';
import type { Recipe } from './recipe';
import { createRng, type Rng, Stream } from './rng';
import { sampleIndices } from './sampling';
import { type Summary, summarize } from './summary';

/** Training points of chain 1 kept per generation for the histogram view. */
export const CHAIN_SAMPLE_CAP = 2000;

export interface TrainingComposition {
  /** Points the model of this generation was fitted to. */
  size: number;
  /** Of those, points that some earlier model generated. */
  synthetic: number;
  /** Of those, points drawn from the real distribution. */
  real: number;
}

export interface GenerationResult {
  generation: number;
  /** Each metric summarised across replicate chains. */
  stats: Record<GaussianMetric, Summary>;
  /** Chain 1 (replicate 0): its fitted model and (a uniform subset of) its training set. */
  chain: {
    model: Gaussian1d;
    training: TrainingComposition;
    syntheticSamples: Float32Array;
    realSamples: Float32Array;
  };
}

interface Chain {
  model: Gaussian1d;
  real: Rng;
  synthetic: Rng;
  subsample: Rng;
  /** Generation-0 real points, reused when realData is 'fixed'. */
  fixedReal: Float64Array | null;
  /** accumulate: moments of everything used so far. */
  pool: Moments;
  /** accumulate-subsample: every point used so far (and, for chain 1, which were synthetic). */
  poolValues: Float64Array | null;
  poolSize: number;
  poolSynthetic: number;
}

/**
 * Runs `recipe` generation by generation, yielding each generation's summary as soon as every
 * chain has fitted it. Deterministic in `recipe` alone: each chain draws from its own streams.
 */
export function* simulateGaussian1d(recipe: Recipe): Generator<GenerationResult, void, undefined> {
  const M = recipe.samplesPerGeneration;
  const R = recipe.replicates;
  const k = syntheticCount(recipe);
  const sampleScale = Math.sqrt(recipe.temperature);
  const { regime, estimator } = recipe;
  const poolCapacity = (recipe.generations + 1) * M;

  const chains: Chain[] = [];
  for (let r = 0; r < R; r++) {
    chains.push({
      model: { mean: 0, std: 1 },
      real: createRng(recipe.seed, r, Stream.real),
      synthetic: createRng(recipe.seed, r, Stream.synthetic),
      subsample: createRng(recipe.seed, r, Stream.subsample),
      fixedReal: null,
      pool: emptyMoments(),
      poolValues: regime === 'accumulate-subsample' ? new Float64Array(poolCapacity) : null,
      poolSize: 0,
      poolSynthetic: 0,
    });
  }
  // Chain 1 keeps its whole training set for display (the accumulate pool included).
  const display = createRng(recipe.seed, 0xd15b1a7);
  const shownValues = new Float64Array(regime === 'accumulate' ? poolCapacity : M);
  const shownSynthetic = new Uint8Array(shownValues.length);
  let shownSize = 0;
  const poolSynthetic0 = new Uint8Array(regime === 'accumulate-subsample' ? poolCapacity : 0);
  const mark = new Uint8Array(Math.max(poolCapacity, shownValues.length));

  const batch = new Float64Array(M);
  const train = new Float64Array(M);
  const trainFlags = new Uint8Array(M);
  const metrics = Object.fromEntries(
    GAUSSIAN_METRICS.map((m) => [m, new Float64Array(R)]),
  ) as Record<GaussianMetric, Float64Array>;

  for (let gen = 0; gen <= recipe.generations; gen++) {
    const nSynth = gen === 0 ? 0 : k;
    let composition: TrainingComposition = { size: 0, synthetic: 0, real: 0 };

    for (let r = 0; r < R; r++) {
      const c = chains[r];
      // The new M points: nSynth from the previous model, the rest real.
      const { mean: mu, std: sigma } = c.model;
      const s = sigma * sampleScale;
      for (let i = 0; i < nSynth; i++) batch[i] = mu + s * c.synthetic.normal();
      if (recipe.realData === 'fixed') {
        if (c.fixedReal === null) {
          c.fixedReal = new Float64Array(M);
          for (let i = 0; i < M; i++) c.fixedReal[i] = c.real.normal();
        }
        batch.set(c.fixedReal.subarray(0, M - nSynth), nSynth);
      } else {
        for (let i = nSynth; i < M; i++) batch[i] = c.real.normal();
      }

      let fitted: Moments;
      let trainValues: Float64Array = batch;
      let trainSize = M;
      let trainSynth = nSynth;
      if (regime === 'replace') {
        fitted = momentsOf(batch, M, gen === 0 ? 0 : mu);
      } else if (regime === 'accumulate') {
        fitted = mergeMoments(c.pool, momentsOf(batch, M, gen === 0 ? 0 : mu));
        c.poolSynthetic += nSynth;
        trainSize = c.pool.n;
        trainSynth = c.poolSynthetic;
      } else {
        const pool = c.poolValues as Float64Array;
        pool.set(batch, c.poolSize);
        if (r === 0) poolSynthetic0.fill(1, c.poolSize, c.poolSize + nSynth);
        c.poolSize += M;
        const idx = sampleIndices(c.poolSize, M, c.subsample, mark);
        trainSynth = 0;
        for (let i = 0; i < M; i++) train[i] = pool[idx[i]];
        if (r === 0) {
          for (let i = 0; i < M; i++) trainFlags[i] = poolSynthetic0[idx[i]];
          trainSynth = trainFlags.reduce((a, b) => a + b, 0);
        }
        trainValues = train;
        fitted = momentsOf(train, M, gen === 0 ? 0 : mu);
      }
      c.model = fitGaussian(fitted, estimator);
      scoreGaussian(c.model, metrics, r);

      if (r === 0) {
        composition = { size: trainSize, synthetic: trainSynth, real: trainSize - trainSynth };
        if (regime === 'accumulate') {
          shownValues.set(batch, shownSize);
          shownSynthetic.fill(1, shownSize, shownSize + nSynth);
          shownSynthetic.fill(0, shownSize + nSynth, shownSize + M);
          shownSize += M;
        } else {
          shownValues.set(trainValues);
          shownSize = M;
          if (regime === 'replace') {
            shownSynthetic.fill(1, 0, nSynth);
            shownSynthetic.fill(0, nSynth, M);
          } else {
            shownSynthetic.set(trainFlags);
          }
        }
      }
    }

    const stats = {} as Record<GaussianMetric, Summary>;
    for (const m of GAUSSIAN_METRICS) stats[m] = summarize(metrics[m]);
    yield {
      generation: gen,
      stats,
      chain: {
        model: { ...chains[0].model },
        training: composition,
        ...splitShown(shownValues, shownSynthetic, shownSize, display, mark),
      },
    };
  }
}

/** Splits chain 1's training set into synthetic and real points, at most CHAIN_SAMPLE_CAP. */
function splitShown(
  values: Float64Array,
  synthetic: Uint8Array,
  size: number,
  rng: Rng,
  mark: Uint8Array,
): { syntheticSamples: Float32Array; realSamples: Float32Array } {
  const idx = size > CHAIN_SAMPLE_CAP ? sampleIndices(size, CHAIN_SAMPLE_CAP, rng, mark) : null;
  const n = idx ? idx.length : size;
  const syn: number[] = [];
  const real: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = idx ? idx[i] : i;
    (synthetic[j] ? syn : real).push(values[j]);
  }
  return { syntheticSamples: Float32Array.from(syn), realSamples: Float32Array.from(real) };
}
