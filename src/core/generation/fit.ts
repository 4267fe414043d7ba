// The one fit path of the loop (loop.ts): fits the models of some chains of one generation,
// whichever way the family fits. A family with fitAll (a batched engine) fits them all in one
// call, the training sets in chain order (their sizes may differ once a filter has dropped
// points); a family with fit fits them one by one. On the accumulate fast path a chain has no
// training set (null) and its model is fitted from its sufficient statistics.
import {
  isThenable,
  type MaybePromise,
  type ModelFamily,
  type PointArray,
  type TrainingSet,
} from './types';

/** What the fit needs of a model family. */
export type FittingFamily<V extends PointArray, Model, C> = Pick<
  ModelFamily<string, Model, unknown, V, C>,
  'fit' | 'fitAll' | 'sufficient'
>;

/** One chain to fit, as the loop keeps it. */
export interface FitInput<V extends PointArray, Model, C> {
  /** This generation's training set; null on the accumulate fast path (then `stats`). */
  set: TrainingSet<V> | null;
  /** Its sufficient statistics (the accumulate fast path). */
  stats: unknown;
  /** Its current model, the previous generation's (null before generation 0). */
  model: Model | null;
  /** The family's own state of the chain. */
  own: C;
}

/**
 * The chains' new models, in order: a promise only when the family fits asynchronously (fitAll
 * always is; fit may be). No chains, no call.
 */
export function fitChains<V extends PointArray, Model, C>(
  family: FittingFamily<V, Model, C>,
  chains: FitInput<V, Model, C>[],
): MaybePromise<Model[]> {
  if (chains.length === 0) return [];
  if (family.fitAll) {
    // Batched engines keep pools (no sufficient statistics), so every chain has its set.
    return family.fitAll(
      chains.map((c) => c.set as TrainingSet<V>),
      chains.map((c) => c.model),
      chains.map((c) => c.own),
    );
  }
  const models: Model[] = new Array(chains.length);
  for (let j = 0; j < chains.length; j++) {
    const model = fitOne(family, chains[j]);
    if (isThenable(model)) return finishAsync(family, chains, models, j, model);
    models[j] = model;
  }
  return models;
}

/** One chain's model: fitted to its training set, or (fast path) from its statistics. */
function fitOne<V extends PointArray, Model, C>(
  family: FittingFamily<V, Model, C>,
  c: FitInput<V, Model, C>,
): MaybePromise<Model> {
  if (c.set === null)
    return (family.sufficient as NonNullable<typeof family.sufficient>).fit(c.stats);
  return (family.fit as NonNullable<typeof family.fit>)(c.set, c.model, c.own);
}

/** The rest of fitChains once a fit returned a promise: each fit waits for the one before. */
async function finishAsync<V extends PointArray, Model, C>(
  family: FittingFamily<V, Model, C>,
  chains: FitInput<V, Model, C>[],
  models: Model[],
  j: number,
  pending: Promise<Model>,
): Promise<Model[]> {
  models[j] = await pending;
  for (let k = j + 1; k < chains.length; k++) models[k] = await fitOne(family, chains[k]);
  return models;
}
