// The one generation loop, for every model (models plug in as a ModelFamily, types.ts; nothing
// here knows which model runs). For each generation, every chain:
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
// docs/architecture.md walks a recipe through these modules.
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

/** What the loop keeps of a chain between generations (its points: TrainingSets). */
interface Chain<Model, C> {
  streams: ChainStreams;
  /** The family's own state of the chain. */
  own: C;
  /** The chain's current model (null before generation 0 is fitted). */
  model: Model | null;
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
  const chains: Chain<Model, C>[] = [];
  const real: { streams: ChainStreams; real: RealSource<V> }[] = [];
  for (const r of indices) {
    const streams: ChainStreams = {
      index: r,
      real: createRng(recipe.seed, r, Stream.real),
      synthetic: createRng(recipe.seed, r, Stream.synthetic),
      subsample: createRng(recipe.seed, r, Stream.subsample),
    };
    const own = family.createChain(streams);
    chains.push({ streams, own, model: null });
    real.push({ streams, real: family.realSource(own, streams) });
  }
  // A family that fits every chain at once gets them in one group; otherwise each chain is a
  // group of its own, built, fitted and scored before the next one is built.
  const oneByOne = family.fitAll === undefined;
  const sets = new TrainingSets<V, Model>(recipe, family, real, oneByOne);
  const groups = oneByOne ? indices.map((_, i) => [i]) : [indices.map((_, i) => i)];
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
      for (const group of groups) {
        // 1. The training sets (a promise only when the family samples asynchronously).
        const built: (TrainingSet<V> | null)[] = [];
        for (const i of group) {
          const set = buildTrainingSet(sets, mitigations, chains[i], i, gen);
          built.push(isThenable(set) ? await set : set);
        }
        // 2. The fit, of the chains that do not starve (they keep their models).
        const fitted: number[] = [];
        const inputs: FitInput<V, Model, C>[] = [];
        for (let j = 0; j < group.length; j++) {
          const i = group[j];
          const c = chains[i];
          if (mitigations.starves(i, c.model !== null, sets.sizeOf(i, built[j]))) continue;
          fitted.push(i);
          inputs.push({
            set: built[j],
            stats: sets.statistics(i),
            previous: c.model,
            chain: c.own,
          });
        }
        const fits = fitChains(family, inputs);
        const models = isThenable(fits) ? await fits : fits;
        // Chain 1's points are read now, before another chain's set takes their buffer.
        if (showsChain1 && group[0] === 0) sample = sets.shownSample(0, built[0]);
        // 3. The scores.
        for (let j = 0; j < fitted.length; j++) {
          const c = chains[fitted[j]];
          if (c.model !== null && c.model !== models[j]) family.release?.(c.model);
          c.model = models[j];
          const scored = family.score(c.model, c.own, values, fitted[j]);
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
  chain: Chain<Model, C>,
  i: number,
  gen: number,
): MaybePromise<TrainingSet<V> | null> {
  const fresh = sets.newPoints(i);
  const nSynth = gen === 0 ? 0 : mitigations.syntheticCount(gen);
  if (nSynth === 0) return finishTrainingSet(sets, mitigations, chain, i, gen, fresh, 0, 0);
  const model = chain.model as Model;
  const drawn = mitigations.drawSynthetic(i, model, nSynth, chain.streams.synthetic, fresh.values);
  if (!isThenable(drawn))
    return finishTrainingSet(sets, mitigations, chain, i, gen, fresh, nSynth, drawn);
  return drawn.then((candidates) =>
    finishTrainingSet(sets, mitigations, chain, i, gen, fresh, nSynth, candidates),
  );
}

/** The rest of buildTrainingSet, once the synthetic points are in: real points, filter, regime. */
function finishTrainingSet<V extends PointArray, Model, C>(
  sets: TrainingSets<V, Model>,
  mitigations: LoopMitigations<V, Model>,
  chain: Chain<Model, C>,
  i: number,
  gen: number,
  fresh: NewPoints<V>,
  nSynth: number,
  candidates: number,
): TrainingSet<V> | null {
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
