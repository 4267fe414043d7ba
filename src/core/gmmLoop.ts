// The generation loop for Gaussian mixtures, exactly as DESIGN.md defines it (and as loop.ts does
// for the 1-D Gaussian). All replicate chains advance in lockstep; each generation's fits go to a
// pluggable GmmFitter in one batch (every chain's training set has the same size), so an engine
// can fit all chains at once (the tfjs engine) or one by one (tsGmmFitter).
//
// Per chain r, independent streams createRng(seed, r, purpose): real data (Stream.real), model
// samples (Stream.synthetic), subsampling (Stream.subsample), one 32-bit fit seed per generation
// for the EM initialisation (GMM_STREAM.init) and the Monte Carlo metrics (GMM_STREAM.metrics).
// Generation 0 is fitted to M real points; generation n ≥ 1 to a training set built from
// round(M · syntheticFraction) samples of model n − 1 (covariances scaled by the temperature)
// and M minus that many real points (fresh each generation, or generation 0's first ones when
// realData is 'fixed'), by the regime: 'replace' (those M points), 'accumulate' (everything so
// far) or 'accumulate-subsample' (M points drawn uniformly without replacement from everything
// so far).
import { fitGmm, type GmmInit, type GmmModel, GmmWorkspace, sampleGmm } from './gmm';
import { GMM_METRIC_SAMPLES, GMM_METRICS, type GmmMetric, gmmScorer } from './gmmMetrics';
import { type RealDistributionName, realDistribution } from './realDistributions';
import { createRng, type Rng, Stream } from './rng';
import { sampleIndices } from './sampling';
import { type Summary, summarize } from './summary';

export type GmmRegime = 'replace' | 'accumulate' | 'accumulate-subsample';

export interface GmmLoopRecipe {
  samplesPerGeneration: number;
  generations: number;
  replicates: number;
  seed: number;
  syntheticFraction: number;
  regime: GmmRegime;
  realData: 'fresh' | 'fixed';
  temperature: number;
  components: number;
  realDistribution: RealDistributionName;
  tol: number;
  maxIter: number;
  regCovar: number;
  /** EM initialisation; default 'kmeans++'. */
  init?: 'kmeans++' | 'random';
  /**
   * Model points per chain and generation for the Monte Carlo metrics (default 2000; scoring
   * costs roughly 0.3 µs per point, and tailMass's standard error is sqrt(t(1 − t)/N)).
   */
  metricSamples?: number;
}

/** One generation's fits: every chain's training set, all of the same size n. */
export interface GmmFitBatch {
  /** One training set per chain, n×d row-major. Owned by the loop: read it, do not keep it. */
  data: Float64Array[];
  n: number;
  d: number;
  k: number;
  tol: number;
  maxIter: number;
  regCovar: number;
  /** One 32-bit seed per chain for the initialisation (createRng(seed) in tsGmmFitter). */
  seeds: number[];
  /** Default 'kmeans++'. */
  init?: 'kmeans++' | 'random';
}

export interface GmmFitter {
  /** Fits one model per chain, in order. */
  fit(batch: GmmFitBatch): Promise<GmmModel[]>;
}

/** A plain-TypeScript fitter: fitGmm chain by chain, sharing one workspace. */
export function createTsGmmFitter(): GmmFitter {
  const workspace = new GmmWorkspace();
  return {
    async fit(b: GmmFitBatch): Promise<GmmModel[]> {
      const init: GmmInit = b.init ?? 'kmeans++';
      return b.data.map(
        (x, r) =>
          fitGmm(x, b.n, b.d, {
            components: b.k,
            tol: b.tol,
            maxIter: b.maxIter,
            regCovar: b.regCovar,
            init,
            rng: createRng(b.seeds[r]),
            workspace,
          }).model,
      );
    },
  };
}

export const tsGmmFitter: GmmFitter = createTsGmmFitter();

/** Stream purposes beyond rng.ts's Stream (real 1, synthetic 2, subsample 3). */
export const GMM_STREAM = { init: 11, metrics: 12 } as const;

/** Training points of chain 1 returned per generation for display. */
export const GMM_CHAIN_SAMPLE_CAP = 2000;

/**
 * Most float64 values the accumulate pools may hold across all chains (128 MiB): the loop refuses
 * larger recipes; callers clamp with gmmPoolValues.
 */
export const GMM_POOL_CAP = 2 ** 24;

/** Values (points × d, all chains) the accumulate pools reach at the last generation. */
export function gmmPoolValues(
  recipe: Pick<
    GmmLoopRecipe,
    'regime' | 'replicates' | 'generations' | 'samplesPerGeneration' | 'realDistribution'
  >,
): number {
  if (recipe.regime === 'replace') return 0;
  const d = realDistribution(recipe.realDistribution).d;
  return recipe.replicates * (recipe.generations + 1) * recipe.samplesPerGeneration * d;
}

export interface GmmTrainingComposition {
  /** Points the model of this generation was fitted to. */
  size: number;
  /** Of those, points that some earlier model generated. */
  synthetic: number;
  /** Of those, real points. */
  real: number;
}

export interface GmmGenerationResult {
  generation: number;
  /** Each metric summarised across replicate chains. */
  stats: Record<GmmMetric, Summary>;
  /** Chain 1 (replicate 0): its model and (a uniform subset of) its training set. */
  chain: {
    model: GmmModel;
    /** Up to GMM_CHAIN_SAMPLE_CAP training points, n×d row-major. */
    samples: Float32Array;
    /** 1 where the point in `samples` is synthetic. */
    synthetic: Uint8Array;
    training: GmmTrainingComposition;
  };
}

interface Chain {
  model: GmmModel | null;
  real: Rng;
  synthetic: Rng;
  subsample: Rng;
  init: Rng;
  metrics: Rng;
  fixedReal: Float64Array | null;
  /** 'replace' and 'accumulate-subsample': the training set (M×d). */
  train: Float64Array | null;
  /** Accumulate regimes: every point so far (poolSize×d, grown by doubling). */
  pool: Float64Array | null;
  poolSize: number;
  poolSynthetic: number;
}

function grow<T extends Float64Array | Uint8Array>(a: T, need: number, make: (n: number) => T): T {
  if (a.length >= need) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Runs `recipe`, yielding each generation's summary as soon as every chain has been fitted.
 * Deterministic in the recipe (and the fitter's numerics): each chain draws from its own streams.
 */
export async function* simulateGmm(
  recipe: GmmLoopRecipe,
  fitter: GmmFitter = tsGmmFitter,
): AsyncGenerator<GmmGenerationResult, void, undefined> {
  const real = realDistribution(recipe.realDistribution);
  const d = real.d;
  const M = recipe.samplesPerGeneration;
  const R = recipe.replicates;
  const K = recipe.components;
  const { regime, temperature } = recipe;
  const nSynthetic = Math.round(M * recipe.syntheticFraction);
  if (!(K >= 1 && K <= M)) throw new RangeError(`components must be in [1, M], got ${K}`);
  if (gmmPoolValues(recipe) > GMM_POOL_CAP) {
    throw new RangeError(
      `accumulate pools would hold ${gmmPoolValues(recipe)} values (cap ${GMM_POOL_CAP}): lower replicates, generations or samplesPerGeneration`,
    );
  }
  const accumulating = regime !== 'replace';

  const chains: Chain[] = [];
  for (let r = 0; r < R; r++) {
    chains.push({
      model: null,
      real: createRng(recipe.seed, r, Stream.real),
      synthetic: createRng(recipe.seed, r, Stream.synthetic),
      subsample: createRng(recipe.seed, r, Stream.subsample),
      init: createRng(recipe.seed, r, GMM_STREAM.init),
      metrics: createRng(recipe.seed, r, GMM_STREAM.metrics),
      fixedReal: null,
      train: regime === 'accumulate' ? null : new Float64Array(M * d),
      pool: accumulating ? new Float64Array(M * d) : null,
      poolSize: 0,
      poolSynthetic: 0,
    });
  }
  const scorer = gmmScorer(real, recipe.metricSamples ?? GMM_METRIC_SAMPLES);
  const metrics = Object.fromEntries(GMM_METRICS.map((m) => [m, new Float64Array(R)])) as Record<
    GmmMetric,
    Float64Array
  >;
  // Chain 1's synthetic flags: of its pool (accumulate regimes) and of its training set.
  let poolFlags0 = new Uint8Array(accumulating ? M : 0);
  const trainFlags0 = new Uint8Array(M);
  let mark = new Uint8Array(M);
  const display = createRng(recipe.seed, 0xd15b1a7);
  const data: Float64Array[] = new Array(R);
  const seeds: number[] = new Array(R);

  for (let gen = 0; gen <= recipe.generations; gen++) {
    const nSynth = gen === 0 ? 0 : nSynthetic;
    const nReal = M - nSynth;
    let n = M;
    let composition: GmmTrainingComposition = { size: M, synthetic: nSynth, real: nReal };

    for (let r = 0; r < R; r++) {
      const c = chains[r];
      // Where the new M points go: the training buffer, or the end of the pool.
      let dest: Float64Array;
      if (accumulating) {
        c.pool = grow(c.pool as Float64Array, (c.poolSize + M) * d, (m) => new Float64Array(m));
        dest = c.pool.subarray(c.poolSize * d, (c.poolSize + M) * d);
      } else {
        dest = c.train as Float64Array;
      }
      if (nSynth > 0) sampleGmm(c.model as GmmModel, nSynth, c.synthetic, temperature, dest);
      const realPart = dest.subarray(nSynth * d, M * d);
      if (recipe.realData === 'fixed') {
        if (c.fixedReal === null) c.fixedReal = real.sample(M, c.real);
        realPart.set(c.fixedReal.subarray(0, nReal * d));
      } else {
        real.sample(nReal, c.real, realPart);
      }

      if (!accumulating) {
        data[r] = c.train as Float64Array;
      } else {
        const pool = c.pool as Float64Array;
        if (r === 0) {
          poolFlags0 = grow(poolFlags0, c.poolSize + M, (m) => new Uint8Array(m));
          poolFlags0.fill(1, c.poolSize, c.poolSize + nSynth);
          poolFlags0.fill(0, c.poolSize + nSynth, c.poolSize + M);
        }
        c.poolSize += M;
        c.poolSynthetic += nSynth;
        if (regime === 'accumulate') {
          n = c.poolSize;
          data[r] = pool.subarray(0, n * d);
          if (r === 0)
            composition = { size: n, synthetic: c.poolSynthetic, real: n - c.poolSynthetic };
        } else {
          if (mark.length < c.poolSize)
            mark = new Uint8Array(Math.max(c.poolSize, mark.length * 2));
          const idx = sampleIndices(c.poolSize, M, c.subsample, mark);
          const train = c.train as Float64Array;
          for (let i = 0; i < M; i++) {
            for (let a = 0; a < d; a++) train[i * d + a] = pool[idx[i] * d + a];
          }
          data[r] = train;
          if (r === 0) {
            let s = 0;
            for (let i = 0; i < M; i++) {
              trainFlags0[i] = poolFlags0[idx[i]];
              s += trainFlags0[i];
            }
            composition = { size: M, synthetic: s, real: M - s };
          }
        }
      }
      seeds[r] = c.init.int(4294967296);
    }

    const models = await fitter.fit({
      data,
      n,
      d,
      k: K,
      tol: recipe.tol,
      maxIter: recipe.maxIter,
      regCovar: recipe.regCovar,
      seeds,
      init: recipe.init ?? 'kmeans++',
    });
    for (let r = 0; r < R; r++) {
      chains[r].model = models[r];
      scorer.scoreInto(models[r], chains[r].metrics, metrics, r);
    }

    // Chain 1's training set and its synthetic flags.
    let flags: Uint8Array;
    if (regime === 'replace') {
      trainFlags0.fill(1, 0, nSynth);
      trainFlags0.fill(0, nSynth, M);
      flags = trainFlags0;
    } else if (regime === 'accumulate') {
      flags = poolFlags0;
    } else {
      flags = trainFlags0;
    }
    if (mark.length < n) mark = new Uint8Array(Math.max(n, mark.length * 2));
    const shown = pickShown(data[0], flags, n, d, display, mark);

    const stats = {} as Record<GmmMetric, Summary>;
    for (const m of GMM_METRICS) stats[m] = summarize(metrics[m]);
    const m0 = models[0];
    yield {
      generation: gen,
      stats,
      chain: {
        model: {
          k: m0.k,
          d: m0.d,
          weights: m0.weights.slice(),
          means: m0.means.slice(),
          covariances: m0.covariances.slice(),
        },
        ...shown,
        training: composition,
      },
    };
  }
}

/** Chain 1's training points (a uniform subset of GMM_CHAIN_SAMPLE_CAP when larger), as float32. */
function pickShown(
  x: Float64Array,
  flags: Uint8Array,
  n: number,
  d: number,
  rng: Rng,
  mark: Uint8Array,
): { samples: Float32Array; synthetic: Uint8Array } {
  const idx = n > GMM_CHAIN_SAMPLE_CAP ? sampleIndices(n, GMM_CHAIN_SAMPLE_CAP, rng, mark) : null;
  const m = idx ? idx.length : n;
  const samples = new Float32Array(m * d);
  const synthetic = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const j = idx ? idx[i] : i;
    for (let a = 0; a < d; a++) samples[i * d + a] = x[j * d + a];
    synthetic[i] = flags[j];
  }
  return { samples, synthetic };
}
