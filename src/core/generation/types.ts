// The shapes every model shares with the one generation loop (loop.ts): the recipe fields the
// loop reads, training sets with the provenance of every point, a model family, and the typed
// result of one generation.
import type { Rng } from '../rng';
import type { Summary } from '../summary';
import type { PointStorage } from './caps';

export const REGIMES = ['replace', 'accumulate', 'accumulate-subsample'] as const;
export const REAL_DATA = ['fresh', 'fixed'] as const;
export type Regime = (typeof REGIMES)[number];
export type RealData = (typeof REAL_DATA)[number];

/** The recipe fields the loop itself reads; every model's recipe has them. */
export interface LoopRecipe {
  samplesPerGeneration: number;
  generations: number;
  replicates: number;
  seed: number;
  syntheticFraction: number;
  regime: Regime;
  realData: RealData;
  temperature: number;
}

/** Points are rows of `width` values: float64 coordinates, or bytes (a digit's pixels). */
export type PointArray = Float64Array | Uint8Array;

/** Provenance of a point: REAL, or the generation whose model sampled it (0, 1, …). */
export const REAL = -1;

/** A chain's training set for one generation. Owned by the loop: read it, do not keep it. */
export interface TrainingSet<V extends PointArray = PointArray> {
  /** size × width values, row-major (the array may be longer; only the first rows count). */
  values: V;
  /** Per point: REAL or the generation whose model sampled it. */
  origin: Int16Array;
  size: number;
  width: number;
}

export interface TrainingComposition {
  /** Points the model of this generation was fitted to. */
  size: number;
  /** Of those, points that some earlier model generated. */
  synthetic: number;
  /** Of those, points drawn from the real distribution. */
  real: number;
}

/** One chain's real data: writes k new real points (k × width values) into `out`. */
// (Written as a method's type so a family of float64 points is still a ModelFamily of any points.)
export type RealSource<V extends PointArray = PointArray> = {
  take(k: number, out: V): void;
}['take'];

/** The loop's own streams for one chain, and its index. */
export interface ChainStreams {
  index: number;
  real: Rng;
  synthetic: Rng;
  subsample: Rng;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * Sufficient statistics that stand in for an `accumulate` pool (the Gaussian's moments): the loop
 * adds each generation's new points and fits from the statistics, keeping no pool.
 */
export interface SufficientStatistics<V extends PointArray, Model, S> {
  empty(): S;
  /** Adds `size` new points (rows of `values`) to `stats`; `previous` is the model that sampled them. */
  add(stats: S, values: V, size: number, previous: Model | null): void;
  fit(stats: S): Model;
}

/**
 * What a model brings to the loop. Bound to one recipe (and its environment: data, backend).
 * Methods may return promises (tfjs families); the loop awaits only when they do.
 */
export interface ModelFamily<
  Metric extends string = string,
  Model = unknown,
  Shown = unknown,
  V extends PointArray = PointArray,
  Chain = unknown,
> {
  metrics: readonly Metric[];
  /** How points are stored (values per point, bytes per value): the caps read it too. */
  storage: PointStorage;
  /** Allocates point storage (Float64Array or Uint8Array). */
  alloc(values: number): V;
  /** Per-chain state of the family (its own streams, say), created once per chain. */
  createChain(streams: ChainStreams): Chain;
  /** The chain's real data source (drawing from streams.real). */
  realSource(chain: Chain, streams: ChainStreams): RealSource<V>;
  /** Writes n points sampled from `model` at `temperature` into `out` (n × width values). */
  sample(model: Model, n: number, rng: Rng, temperature: number, out: V): MaybePromise<void>;
  /** Fits one chain's model (families that fit chain by chain). */
  fit?(set: TrainingSet<V>, previous: Model | null, chain: Chain): MaybePromise<Model>;
  /** Fits every chain's model at once (batched engines); sets are in chain order. */
  fitAll?(sets: TrainingSet<V>[], previous: (Model | null)[], chains: Chain[]): Promise<Model[]>;
  /** Writes the model's metrics at index `i` of the per-metric arrays. */
  score(
    model: Model,
    chain: Chain,
    out: Record<Metric, Float64Array>,
    i: number,
  ): MaybePromise<void>;
  /** What the views show of chain 1's model (called for chain 1 only). */
  shown(model: Model, chain: Chain, generation: number): MaybePromise<Shown>;
  /** Frees what a model holds (tensors) once the loop is done with it. */
  release?(model: Model): void;
  /** Frees the family's own resources when the run ends. */
  dispose?(): void;
  /** Accumulate without pools (see SufficientStatistics). */
  sufficient?: SufficientStatistics<V, Model, unknown>;
  /** Points of chain 1's training set returned per generation for display (0: none). */
  shownTrainingPoints: number;
}

/** Chain 1's training points for display: a uniform subset, values as float32, with provenance. */
export interface TrainingSample {
  values: Float32Array;
  origin: Int16Array;
  width: number;
}

/** One generation of the chains [start, end) of a run, before summarising across chains. */
export interface GenerationPart<Metric extends string = string, Shown = unknown> {
  generation: number;
  start: number;
  /** Per metric, one value per chain of this part. */
  values: Record<Metric, Float64Array>;
  /** Chain 1's training set (parts holding chain 1 only). */
  chain: ChainView<Shown> | null;
}

export interface ChainView<Shown> {
  training: TrainingComposition;
  sample: TrainingSample | null;
  shown: Shown;
}

/** One generation of a whole run: every metric summarised across chains, and chain 1. */
export interface GenerationResult<Metric extends string = string, Shown = unknown> {
  generation: number;
  stats: Record<Metric, Summary>;
  chain: ChainView<Shown>;
}
