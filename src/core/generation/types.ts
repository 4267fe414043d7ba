// The shapes every model shares with the one generation loop (loop.ts): the recipe fields the
// loop reads, training sets with the provenance of every point, a model family, and the typed
// result of one generation.
import type { Rng } from '../rng';
import type { Summary } from '../summary';

export const REGIMES = ['replace', 'accumulate', 'accumulate-subsample'] as const;
export const REAL_DATA = ['fresh', 'fixed'] as const;
export type Regime = (typeof REGIMES)[number];
export type RealData = (typeof REAL_DATA)[number];
export const CURATION_BY = ['model', 'verifier'] as const;
export type CurationBy = (typeof CURATION_BY)[number];

/** The synthetic share ramps linearly from `from` at generation 1 to `to` at `over`, then stays. */
export interface SyntheticSchedule {
  from: number;
  to: number;
  over: number;
}

/** A watermark or detector: flags each synthetic point with p = TPR, each real one with p = FPR. */
export interface FilterSettings {
  truePositiveRate: number;
  falsePositiveRate: number;
}

/** Keep the top share `keep` of the synthetic candidates by the model's own score or a verifier. */
export interface CurationSettings {
  keep: number;
  by: CurationBy;
  /** The verifier's accuracy (see mitigations.ts, verifierScores, for its exact meaning). */
  accuracy: number;
}

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
  /** Mitigations (each absent: off): docs/architecture.md, "Mitigations", and mitigations.ts. */
  syntheticSchedule?: SyntheticSchedule;
  filter?: FilterSettings;
  curation?: CurationSettings;
}

/** How a model stores its points: the loop allocates by it, and the memory caps (caps.ts) read it. */
export interface PointStorage {
  /** Values per point. */
  width: number;
  /** 8 for float64 coordinates, 1 for bytes. */
  bytesPerValue: number;
  /** Accumulates moments instead of points (only chain 1 keeps a pool, for display). */
  sufficientStatistics: boolean;
  /** Under 'accumulate', bytes per value of the one training copy a chain makes of its pool. */
  trainingBytesPerValue?: number;
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
  /** The generation this set trains (set by the loop). */
  generation?: number;
}

/**
 * What chain 1 trained on. The optional fields are there only when the recipe turns on a
 * mitigation (a result without mitigations has exactly size, synthetic and real).
 */
export interface TrainingComposition {
  /** Points the model of this generation was fitted to. */
  size: number;
  /** Of those, points that some earlier model generated. */
  synthetic: number;
  /** Of those, points drawn from the real distribution. */
  real: number;
  /** This generation's new points before the filter: sampled from the previous model, and real. */
  drawnSynthetic?: number;
  drawnReal?: number;
  /** With a filter: of those, points flagged and dropped. */
  flaggedSynthetic?: number;
  flaggedReal?: number;
  /**
   * Of this generation's new points that reached training, the synthetic share (null when none
   * did).
   */
  syntheticShare?: number | null;
  /** With curation: candidates the previous model drew for the synthetic points kept. */
  candidates?: number;
  /** Too few points were left to fit: the chain kept its previous model this generation. */
  starved?: boolean;
}

/** A generation's mitigation counts summed over chains (present only with a mitigation on). */
export interface MitigationTotals {
  chains: number;
  /** New points drawn before the filter, by provenance. */
  drawnSynthetic: number;
  drawnReal: number;
  /** Of those, flagged and dropped. */
  flaggedSynthetic: number;
  flaggedReal: number;
  /** Chains that kept their previous model for want of points. */
  starved: number;
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

/** What a family's method returns: a value, or a promise of it (tfjs families). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * True when `v` is a promise. The loop awaits only then: synchronous families (the Gaussian, the
 * TS mixture engine) would otherwise wait a microtask per chain and generation, measured at 1.6×
 * the Gaussian default scenario's time.
 */
export const isThenable = <T>(v: MaybePromise<T>): v is Promise<T> =>
  typeof (v as { then?: unknown } | null)?.then === 'function';

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
  /**
   * Fewest points a fit needs (default 1): a generation whose filtered training set is smaller
   * starves, and the chain keeps its previous model.
   */
  minPoints?(recipe: LoopRecipe): number;
  /**
   * Curation by the model: writes the log-likelihood (or another per-point score where the model
   * has no density, higher = likelier) of the first n points of `values` under `model`.
   */
  logLikelihood?(model: Model, values: V, n: number, out: Float64Array): MaybePromise<void>;
  /** Curation by a verifier: the real distribution's log-density of the first n points. */
  realLogDensity?(values: V, n: number, out: Float64Array): void;
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
  /** The part's mitigation counts (only with a mitigation on). */
  mitigations?: MitigationTotals;
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
  /** Mitigation counts summed over every chain (only with a mitigation on). */
  mitigations?: MitigationTotals;
}
