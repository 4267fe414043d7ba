// Each generation's training set, chain by chain, for the loop (loop.ts):
// - Generation 0 trains on M real points. Generation n ≥ 1 draws M new points: first the
//   synthetic ones (the loop has model n − 1 sample them, curated or not: applyMitigations.ts),
//   then M minus that many real ones, written here.
// - Real points are new each generation ('fresh'), or again the first of generation 0's M real
//   points ('fixed').
// - The regime turns the new points that reach training (all M, or those the filter left) into
//   the training set: 'replace' trains on them alone, 'accumulate' on every point so far (a pool
//   per chain), 'accumulate-subsample' on M points drawn uniformly without replacement from the
//   pool (all of it while it is smaller).
// - Every point carries its provenance: REAL, or the generation whose model sampled it.
// - Accumulate fast path: a family with sufficient statistics (the Gaussian's moments) keeps no
//   pool; each generation's points go into the statistics and the model is fitted from them.
//   Chain 1 keeps its pool all the same: the views show its training points.
// Buffers: when chains are fitted one by one, one training buffer serves every chain (the loop
// fits a chain, and picks chain 1's points for display, before it builds the next); a family
// that fits all chains at once needs one buffer per chain.
import { createRng, type Rng, Stream } from '../rng';
import { sampleIndices } from '../sampling';
import {
  type ChainStreams,
  type LoopRecipe,
  type ModelFamily,
  type PointArray,
  REAL,
  type RealSource,
  type TrainingComposition,
  type TrainingSample,
  type TrainingSet,
} from './types';

/** What the training sets need of a model family. */
export type TrainingFamily<V extends PointArray, Model> = Pick<
  ModelFamily<string, Model, unknown, V>,
  'alloc' | 'storage' | 'sufficient' | 'shownTrainingPoints'
>;

/** Where a chain's M new points of this generation go: the synthetic ones first, then the real. */
export interface NewPoints<V extends PointArray> {
  /** M rows of `width` values. */
  values: V;
  /** M provenances. */
  origin: Int16Array;
}

/** One chain's points, kept from generation to generation. */
interface ChainPoints<V extends PointArray> {
  /** The chain's index in the whole run (0 is chain 1, the one the views show). */
  index: number;
  real: RealSource<V>;
  subsample: Rng;
  /** 'fixed' real data: generation 0's M real points. */
  fixedReal: V | null;
  /** Accumulate regimes: every point so far (grown by doubling), with provenance. */
  pool: V | null;
  poolOrigin: Int16Array;
  /** Points accumulated so far (counted on the fast path too, which keeps no pool). */
  poolSize: number;
  poolSynthetic: number;
  /** The fast path's sufficient statistics. */
  stats: unknown;
  /** Replace and subsample: the training set's buffer (plain accumulate trains on the pool). */
  train: V | null;
  trainOrigin: Int16Array;
}

function growValues<V extends PointArray>(alloc: (n: number) => V, a: V, need: number): V {
  if (a.length >= need) return a;
  const b = alloc(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
function growOrigin(a: Int16Array, need: number): Int16Array {
  if (a.length >= need) return a;
  const b = new Int16Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** A training set's composition: its size, and how many of its points are synthetic. */
const count = (size: number, synthetic: number): TrainingComposition => ({
  size,
  synthetic,
  real: size - synthetic,
});

/** The training sets of a run's chains (those this loop runs), built one generation at a time. */
export class TrainingSets<V extends PointArray, Model> {
  /** Chain 1's training set of the last generation built (size and provenance). */
  composition: TrainingComposition = { size: 0, synthetic: 0, real: 0 };
  private readonly chains: ChainPoints<V>[];
  private readonly M: number;
  private readonly w: number;
  private readonly regime: LoopRecipe['regime'];
  private readonly realData: LoopRecipe['realData'];
  /** The accumulate fast path's statistics (undefined under the other regimes). */
  private readonly sufficient: TrainingFamily<V, Model>['sufficient'];
  /** Scratch for drawing indices without replacement (subsample, display). */
  private mark: Uint8Array;
  /** Chain 1's display subset has its own stream, so showing points changes no other number. */
  private readonly display: Rng;

  constructor(
    recipe: Pick<LoopRecipe, 'samplesPerGeneration' | 'regime' | 'realData' | 'seed'>,
    private readonly family: TrainingFamily<V, Model>,
    chains: { streams: ChainStreams; real: RealSource<V> }[],
    /** True when chains are fitted one by one: one training buffer then serves them all. */
    oneByOne: boolean,
  ) {
    const M = recipe.samplesPerGeneration;
    const w = family.storage.width;
    this.M = M;
    this.w = w;
    this.regime = recipe.regime;
    this.realData = recipe.realData;
    this.sufficient = recipe.regime === 'accumulate' ? family.sufficient : undefined;
    this.mark = new Uint8Array(M);
    this.display = createRng(recipe.seed, Stream.display);
    const sharedTrain = oneByOne ? family.alloc(M * w) : null;
    const sharedOrigin = oneByOne ? new Int16Array(M) : null;
    this.chains = chains.map(({ streams, real }) => {
      const pooled =
        recipe.regime !== 'replace' && (this.sufficient === undefined || streams.index === 0);
      // Plain accumulate trains on the pool itself; every other chain needs a buffer of M points.
      const onPool = pooled && recipe.regime === 'accumulate';
      return {
        index: streams.index,
        real,
        subsample: streams.subsample,
        fixedReal: null,
        pool: pooled ? family.alloc(M * w) : null,
        poolOrigin: new Int16Array(pooled ? M : 0),
        poolSize: 0,
        poolSynthetic: 0,
        stats: this.sufficient?.empty(),
        train: onPool ? null : (sharedTrain ?? family.alloc(M * w)),
        trainOrigin: onPool ? new Int16Array(0) : (sharedOrigin ?? new Int16Array(M)),
      };
    });
  }

  /** Where chain i's M new points go: the end of its pool, or its training buffer. */
  newPoints(i: number): NewPoints<V> {
    const c = this.chains[i];
    if (!c.pool) return { values: c.train as V, origin: c.trainOrigin };
    return this.poolEnd(c);
  }

  // The methods called for every chain stay small, their rarer branches apart: V8 inlines a
  // limited amount of code into a function, and what is left goes to the model's sampling.

  /** The end of chain c's pool, grown to hold M more points. */
  private poolEnd(c: ChainPoints<V>): NewPoints<V> {
    const { M, w } = this;
    c.pool = growValues(this.family.alloc, c.pool as V, (c.poolSize + M) * w);
    c.pool = growValues(this.family.alloc, c.pool, (c.poolSize + M) * w);
    c.poolOrigin = growOrigin(c.poolOrigin, c.poolSize + M);
    return {
      values: c.pool.subarray(c.poolSize * w, (c.poolSize + M) * w) as V,
      origin: c.poolOrigin.subarray(c.poolSize, c.poolSize + M),
    };
  }

  /**
   * Once the first nSynth new points hold what model gen − 1 sampled: marks them as its, and
   * writes the M − nSynth real points after them (fresh from the chain's real stream, or the
   * first of generation 0's).
   */
  addReal(i: number, gen: number, fresh: NewPoints<V>, nSynth: number): void {
    const c = this.chains[i];
    const { M, w } = this;
    fresh.origin.fill(gen - 1, 0, nSynth);
    const nReal = M - nSynth;
    const realPart = fresh.values.subarray(nSynth * w, M * w) as V;
    if (this.realData === 'fixed') this.fixedReal(c, nReal, realPart);
    else c.real(nReal, realPart);
    fresh.origin.fill(REAL, nSynth, M);
  }

  /** 'fixed' real data: the first n of generation 0's M real points (drawn once). */
  private fixedReal(c: ChainPoints<V>, n: number, out: V): void {
    const { M, w } = this;
    if (c.fixedReal === null) {
      c.fixedReal = this.family.alloc(M * w);
      c.real(M, c.fixedReal);
    }
    out.set(c.fixedReal.subarray(0, n * w));
  }

  /**
   * Chain i's training set for generation `gen`, by the regime, from the first `kept` new points
   * (`keptSynthetic` of them synthetic; the filter moved those it left to the front). `previous`
   * is the model that sampled them (the fast path's statistics read it). Null on the accumulate
   * fast path: the model is fitted from statistics(i).
   */
  build(
    i: number,
    gen: number,
    fresh: NewPoints<V>,
    kept: number,
    keptSynthetic: number,
    previous: Model | null,
  ): TrainingSet<V> | null {
    const c = this.chains[i];
    if (this.regime === 'replace') {
      if (c.index === 0) this.composition = count(kept, keptSynthetic);
      const size = kept;
      return { values: fresh.values, origin: fresh.origin, size, width: this.w, generation: gen };
    }
    return this.accumulate(c, gen, fresh, kept, keptSynthetic, previous);
  }

  /** The accumulate regimes: the new points join the pool (or the statistics). */
  private accumulate(
    c: ChainPoints<V>,
    gen: number,
    fresh: NewPoints<V>,
    kept: number,
    keptSynthetic: number,
    previous: Model | null,
  ): TrainingSet<V> | null {
    if (this.sufficient) this.sufficient.add(c.stats, fresh.values, kept, previous);
    c.poolSize += kept;
    c.poolSynthetic += keptSynthetic;
    if (this.regime === 'accumulate-subsample') return this.subsample(c, gen);
    if (c.index === 0) this.composition = count(c.poolSize, c.poolSynthetic);
    if (this.sufficient) return null;
    const size = c.poolSize;
    return { values: c.pool as V, origin: c.poolOrigin, size, width: this.w, generation: gen };
  }

  /** accumulate-subsample: M points of the pool (all, if fewer), uniformly without replacement. */
  private subsample(c: ChainPoints<V>, gen: number): TrainingSet<V> {
    const { M, w } = this;
    this.growMark(c.poolSize);
    const n = Math.min(M, c.poolSize);
    const idx = sampleIndices(c.poolSize, n, c.subsample, this.mark);
    const pool = c.pool as V;
    const train = c.train as V;
    let s = 0;
    for (let k = 0; k < n; k++) {
      const j = idx[k];
      if (w === 1) train[k] = pool[j];
      else train.set(pool.subarray(j * w, (j + 1) * w), k * w);
      c.trainOrigin[k] = c.poolOrigin[j];
      if (c.poolOrigin[j] !== REAL) s++;
    }
    if (c.index === 0) this.composition = count(n, s);
    return { values: train, origin: c.trainOrigin, size: n, width: w, generation: gen };
  }

  /** Points chain i's model trains on this generation (the pool's, on the fast path). */
  sizeOf(i: number, set: TrainingSet<V> | null): number {
    return set ? set.size : this.chains[i].poolSize;
  }

  /** Chain i's sufficient statistics (the accumulate fast path). */
  statistics(i: number): unknown {
    return this.chains[i].stats;
  }

  /**
   * Chain i's training points for display: all of them, or a uniform subset of
   * family.shownTrainingPoints when there are more (null when the family shows none). Read
   * before the next chain's set is built: chains fitted one by one share one buffer.
   */
  shownSample(i: number, set: TrainingSet<V> | null): TrainingSample | null {
    const cap = this.family.shownTrainingPoints;
    if (cap <= 0) return null;
    const c = this.chains[i];
    const w = this.w;
    // On the fast path chain 1's training set is its pool.
    const src = set ?? { values: c.pool as V, origin: c.poolOrigin, size: c.poolSize, width: w };
    const n = src.size;
    this.growMark(n);
    const idx = n > cap ? sampleIndices(n, cap, this.display, this.mark) : null;
    const m = idx ? idx.length : n;
    const out: TrainingSample = {
      values: new Float32Array(m * w),
      origin: new Int16Array(m),
      width: w,
    };
    for (let k = 0; k < m; k++) {
      const j = idx ? idx[k] : k;
      for (let a = 0; a < w; a++) out.values[k * w + a] = src.values[j * w + a];
      out.origin[k] = src.origin[j];
    }
    return out;
  }

  private growMark(n: number): void {
    if (this.mark.length < n) this.mark = new Uint8Array(Math.max(n, this.mark.length * 2));
  }
}
