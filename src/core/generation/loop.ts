// The one generation loop (docs/architecture.md, "The generation loop"), for every model (models
// plug in as a ModelFamily, types.ts; nothing here knows which model runs). For each generation,
// every chain:
//   1. builds its training set (trainingSet.ts: the new points, synthetic then real, and the
//      regime: replace, accumulate or accumulate-subsample; every point with its provenance),
//      the mitigations applied on the way (applyMitigations.ts: the synthetic share, curation of
//      the synthetic points, the filter);
//   2. is fitted (fit.ts: all chains at once or one by one, by what the family offers), unless
//      too few points are left: then it keeps its previous model (starved);
//   3. is scored (the family's metrics).
// Then the generation is summarised: per-chain metric values, chain 1's training set and view.
// All chains advance in lockstep, so each generation is streamed as it ends.
// - Each chain r draws from its own streams createRng(seed, r, purpose) (rng.ts's Stream), so a
//   chain's numbers do not depend on the other chains, on how chains are split between workers,
//   or on whether they are fitted one by one or all at once.
// - Without mitigations not one number changes (no extra draws, no extra keys).
// docs/architecture.md ("The generation loop") walks a recipe through these modules.
import { syntheticCount } from '../mixing';
import { createRng, Stream } from '../rng';
import { summarize } from '../summary';
import { LoopMitigations } from './applyMitigations';
import { poolIssue } from './caps';
import { type FitInput, fitChains } from './fit';
import { addTotals, emptyTotals } from './mitigations';
import { type NewPoints, TrainingSets } from './trainingSet';
import {
  type ChainStreams,
  type GenerationPart,
  type GenerationResult,
  isThenable,
  type LoopRecipe,
  type MaybePromise,
  type ModelFamily,
  type PointArray,
  type RealSource,
  type TrainingSample,
  type TrainingSet,
} from './types';

export interface LoopOptions {
  /** The chains this loop runs, [start, end) (default all): a worker pool splits a run by chains. */
  chains?: [number, number];
}

/**
 * What the loop keeps of a chain (its points are in TrainingSets): its streams, and what the fit
 * reads: this generation's training set, the family's state of the chain and its current model.
 */
interface Chain<V extends PointArray, Model, C> extends FitInput<V, Model, C> {
  /** The chain's index in this loop's arrays (values, TrainingSets). */
  i: number;
  streams: ChainStreams;
}

/**
 * Runs `recipe` with `family` for the chains in options.chains, yielding each generation's
 * per-chain metric values (and chain 1's view, when this part holds it) as soon as every chain
 * has been fitted. Closing the generator releases every model.
 */
export async function* runChains<Metric extends string, Model, Shown, V extends PointArray, C>(
  recipe: LoopRecipe,
  family: ModelFamily<Metric, Model, Shown, V, C>,
  options: LoopOptions = {},
): AsyncGenerator<GenerationPart<Metric, Shown>, void, undefined> {
  const issue = poolIssue(recipe, family.storage);
  if (issue) throw new RangeError(issue);
  const [start, end] = options.chains ?? [0, recipe.replicates];
  const indices = Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
  const mitigations = new LoopMitigations(recipe, family, indices);
  const chains: Chain<V, Model, C>[] = [];
  const real: { streams: ChainStreams; real: RealSource<V> }[] = [];
  for (const r of indices) {
    const streams: ChainStreams = {
      index: r,
      real: createRng(recipe.seed, r, Stream.real),
      synthetic: createRng(recipe.seed, r, Stream.synthetic),
      subsample: createRng(recipe.seed, r, Stream.subsample),
    };
    const own = family.createChain(streams);
    chains.push({ i: chains.length, streams, own, model: null, set: null, stats: undefined });
    real.push({ streams, real: family.realSource(own, streams) });
  }
  // A family that fits every chain at once gets them in one group; otherwise each chain is a
  // group of its own, built, fitted and scored before the next one is built.
  const oneByOne = family.fitAll === undefined;
  const sets = new TrainingSets<V, Model>(recipe, family, real, oneByOne);
  const groups = oneByOne ? chains.map((c) => [c]) : [chains];
  /** The chains of a group that are fitted this generation (reused). */
  const fitted: Chain<V, Model, C>[] = [];
  const R = chains.length;
  const values = Object.fromEntries(family.metrics.map((m) => [m, new Float64Array(R)])) as Record<
    Metric,
    Float64Array
  >;
  const showsChain1 = start === 0 && end > 0;

  try {
    for (let gen = 0; gen <= recipe.generations; gen++) {
      mitigations.startGeneration();
      let sample: TrainingSample | null = null;
      // (Index loops rather than for…of: in this async generator they measured faster.)
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g];
        // 1. The training sets (a promise only when the family samples asynchronously).
        for (let j = 0; j < group.length; j++) {
          const c = group[j];
          const set = buildTrainingSet(sets, mitigations, c, gen);
          c.set = isThenable(set) ? await set : set;
          c.stats = sets.statistics(c.i);
        }
        // 2. The fit, of the chains that do not starve (they keep their models).
        fitted.length = 0;
        for (let j = 0; j < group.length; j++) {
          const c = group[j];
          if (!mitigations.starves(c.i, c.model !== null, sets.sizeOf(c.i, c.set))) fitted.push(c);
        }
        const fits = fitChains(family, fitted);
        const models = isThenable(fits) ? await fits : fits;
        // Chain 1's points are read now, before another chain's set takes their buffer.
        if (showsChain1 && group[0].i === 0) sample = sets.shownSample(0, group[0].set);
        // 3. The scores.
        for (let j = 0; j < fitted.length; j++) {
          const c = fitted[j];
          if (c.model !== null && c.model !== models[j]) family.release?.(c.model);
          c.model = models[j];
          const scored = family.score(c.model, c.own, values, c.i);
          if (isThenable(scored)) await scored;
        }
      }
      let chain = null;
      if (showsChain1) {
        const shown = family.shown(chains[0].model as Model, chains[0].own, gen);
        const training = mitigations.on
          ? { ...sets.composition, ...mitigations.chain1 }
          : sets.composition;
        chain = { training, sample, shown: isThenable(shown) ? await shown : shown };
      }
      const copy = {} as Record<Metric, Float64Array>;
      for (const m of family.metrics) copy[m] = values[m].slice();
      const part: GenerationPart<Metric, Shown> = { generation: gen, start, values: copy, chain };
      if (mitigations.on) part.mitigations = { ...mitigations.totals };
      yield part;
    }
  } finally {
    for (const c of chains) if (c.model !== null) family.release?.(c.model);
    family.dispose?.();
  }
}

/**
 * Chain i's training set for generation `gen`: its M new points (the synthetic ones, drawn by
 * the mitigations' rules, then the real ones), the filter, then the regime. Null on the
 * accumulate fast path (fitted from statistics). A promise only when the family samples or
 * scores asynchronously.
 */
function buildTrainingSet<V extends PointArray, Model, C>(
  sets: TrainingSets<V, Model>,
  mitigations: LoopMitigations<V, Model>,
  chain: Chain<V, Model, C>,
  gen: number,
): MaybePromise<TrainingSet<V> | null> {
  const i = chain.i;
  const fresh = sets.newPoints(i);
  const nSynth = gen === 0 ? 0 : mitigations.syntheticCount(gen);
  if (nSynth === 0) return finishTrainingSet(sets, mitigations, chain, gen, fresh, 0, 0);
  const model = chain.model as Model;
  const drawn = mitigations.drawSynthetic(i, model, nSynth, chain.streams.synthetic, fresh.values);
  if (!isThenable(drawn))
    return finishTrainingSet(sets, mitigations, chain, gen, fresh, nSynth, drawn);
  return drawn.then((candidates) =>
    finishTrainingSet(sets, mitigations, chain, gen, fresh, nSynth, candidates),
  );
}

/** The rest of buildTrainingSet, once the synthetic points are in: real points, filter, regime. */
function finishTrainingSet<V extends PointArray, Model, C>(
  sets: TrainingSets<V, Model>,
  mitigations: LoopMitigations<V, Model>,
  chain: Chain<V, Model, C>,
  gen: number,
  fresh: NewPoints<V>,
  nSynth: number,
  candidates: number,
): TrainingSet<V> | null {
  const i = chain.i;
  sets.addReal(i, gen, fresh, nSynth);
  const { kept, keptSynthetic } = mitigations.filter(i, gen, fresh, nSynth, candidates);
  return sets.build(i, gen, fresh, kept, keptSynthetic, chain.model);
}

/**
 * Summarises the parts of one generation (in chain order, covering every chain) into the
 * generation's result: the same numbers whether one loop ran all chains or several ran a share.
 */
export function mergeParts<Metric extends string, Shown>(
  parts: GenerationPart<Metric, Shown>[],
  metrics: readonly Metric[],
): GenerationResult<Metric, Shown> {
  const sorted = parts.length > 1 ? [...parts].sort((a, b) => a.start - b.start) : parts;
  const first = sorted[0];
  if (!first.chain) throw new Error('the part holding chain 1 is missing');
  const stats = {} as GenerationResult<Metric, Shown>['stats'];
  for (const m of metrics) {
    let all: Float64Array;
    if (sorted.length === 1) all = first.values[m];
    else {
      all = new Float64Array(sorted.reduce((s, p) => s + p.values[m].length, 0));
      let o = 0;
      for (const p of sorted) {
        all.set(p.values[m], o);
        o += p.values[m].length;
      }
    }
    stats[m] = summarize(all);
  }
  const result: GenerationResult<Metric, Shown> = {
    generation: first.generation,
    stats,
    chain: first.chain,
  };
  if (first.mitigations) {
    const totals = emptyTotals();
    for (const p of sorted) if (p.mitigations) addTotals(totals, p.mitigations);
    result.mitigations = totals;
  }
  return result;
}

/** Runs every chain of `recipe` in this thread, yielding each generation's summary. */
export async function* simulate<Metric extends string, Model, Shown, V extends PointArray, C>(
  recipe: LoopRecipe,
  family: ModelFamily<Metric, Model, Shown, V, C>,
): AsyncGenerator<GenerationResult<Metric, Shown>, void, undefined> {
  for await (const part of runChains(recipe, family)) yield mergeParts([part], family.metrics);
}

export { syntheticCount };
