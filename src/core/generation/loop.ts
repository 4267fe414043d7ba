// The one generation loop for every model (docs/architecture.md, "The generation loop"):
// - Generation 0 is fitted to M real points. Generation n ≥ 1 to a training set built from the
//   generation's M new points — round(M · syntheticFraction) sampled from model n − 1 at the
//   temperature, then M minus that many real points — by the regime: 'replace' (those M points),
//   'accumulate' (everything so far) or 'accumulate-subsample' (M points drawn uniformly without
//   replacement from everything so far).
// - Real points are new each generation ('fresh'), or the first of generation 0's M real points
//   ('fixed').
// - Each chain r draws from its own streams createRng(seed, r, purpose) (rng.ts's Stream), so a
//   chain's numbers do not depend on the other chains, on how chains are split between workers,
//   or on whether they are fitted one by one or all at once.
// - Every point carries its provenance (REAL, or the generation whose model sampled it).
// - The mitigations (mitigations.ts: a synthetic-share schedule, curation of the synthetic
//   points, a watermark filter) apply here, once, for every model. A chain whose filtered
//   training set is smaller than family.minPoints keeps its previous model for that generation
//   (starved). Without mitigations not one number changes (no extra draws, no extra keys).
// All chains advance in lockstep, so each generation can be summarised and streamed as it ends.
// Models plug in as a ModelFamily (types.ts); nothing here knows which model runs.
import { syntheticCount } from '../mixing';
import { createRng, type Rng, Stream } from '../rng';
import { sampleIndices } from '../sampling';
import { summarize } from '../summary';
import { poolIssue } from './caps';
import {
  addTotals,
  applyFilter,
  candidateCount,
  copyMarked,
  curationUnsupported,
  emptyTotals,
  hasMitigations,
  maxCandidates,
  selectTop,
  syntheticCountAt,
  verifierScores,
} from './mitigations';
import {
  type ChainStreams,
  type GenerationPart,
  type GenerationResult,
  type LoopRecipe,
  type MitigationTotals,
  type ModelFamily,
  type PointArray,
  REAL,
  type RealSource,
  type TrainingComposition,
  type TrainingSample,
  type TrainingSet,
} from './types';

export interface LoopOptions {
  /** The chains this loop runs, [start, end) (default all): a worker pool splits a run by chains. */
  chains?: [number, number];
}

interface ChainState<V extends PointArray, Model, C> {
  streams: ChainStreams;
  own: C;
  real: RealSource<V>;
  model: Model | null;
  /** 'fixed' real data: generation 0's M real points. */
  fixedReal: V | null;
  /** Accumulate regimes: every point so far (grown by doubling), with provenance. */
  pool: V | null;
  poolOrigin: Int16Array;
  /** Points accumulated so far (also on the accumulate fast path, which keeps no pool). */
  poolSize: number;
  poolSynthetic: number;
  /** The accumulate fast path's statistics. */
  stats: unknown;
  /** Replace and subsample: the training set (one per chain when fitting all chains at once). */
  train: V | null;
  trainOrigin: Int16Array;
  /** The mitigations' own streams (only when on). */
  filter: Rng | null;
  curation: Rng | null;
  /** Too few points this generation: keeps its previous model. */
  starved: boolean;
}

const isThenable = <T>(v: T | Promise<T>): v is Promise<T> =>
  typeof (v as { then?: unknown } | null)?.then === 'function';

function growValues<V extends PointArray>(family: { alloc(n: number): V }, a: V, need: number): V {
  if (a.length >= need) return a;
  const b = family.alloc(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
function growOrigin(a: Int16Array, need: number): Int16Array {
  if (a.length >= need) return a;
  const b = new Int16Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
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
  const M = recipe.samplesPerGeneration;
  const w = family.storage.width;
  const { regime, temperature, filter, curation } = recipe;
  const mitigated = hasMitigations(recipe);
  if (curation) {
    const why = curationUnsupported(curation, family);
    if (why) throw new RangeError(why);
  }
  const fixedK = syntheticCount(recipe);
  const k = recipe.syntheticSchedule
    ? (gen: number) => syntheticCountAt(recipe, gen)
    : () => fixedK;
  const minPoints = family.minPoints?.(recipe) ?? 1;
  // Curation's scratch: one candidate buffer for every chain (chains are built one at a time).
  const cMax = maxCandidates(recipe);
  const cand = curation ? family.alloc(cMax * w) : null;
  const scores = new Float64Array(curation ? cMax : 0);
  const modelScores = new Float64Array(curation?.by === 'verifier' ? cMax : 0);
  const order = new Uint32Array(curation ? cMax : 0);
  const chosen = new Uint8Array(curation ? cMax : 0);
  const batched = family.fitAll !== undefined;
  const sufficient = regime === 'accumulate' ? family.sufficient : undefined;
  const showsChain1 = start === 0 && end > 0;

  // Chain by chain, one training buffer serves every chain; fitting all at once needs one each.
  const sharedTrain = batched ? null : family.alloc(M * w);
  const sharedOrigin = batched ? null : new Int16Array(M);
  const chains: ChainState<V, Model, C>[] = [];
  for (let r = start; r < end; r++) {
    const streams: ChainStreams = {
      index: r,
      real: createRng(recipe.seed, r, Stream.real),
      synthetic: createRng(recipe.seed, r, Stream.synthetic),
      subsample: createRng(recipe.seed, r, Stream.subsample),
    };
    const own = family.createChain(streams);
    // Chain 1 keeps its accumulate pool even on the fast path: the views show its training set.
    const pooled = regime !== 'replace' && (sufficient === undefined || r === 0);
    chains.push({
      streams,
      own,
      real: family.realSource(own, streams),
      model: null,
      fixedReal: null,
      pool: pooled ? family.alloc(M * w) : null,
      poolOrigin: new Int16Array(pooled ? M : 0),
      poolSize: 0,
      poolSynthetic: 0,
      stats: sufficient?.empty(),
      // Every chain but the pooled ones under plain accumulate builds a training set of M points.
      train: pooled && regime === 'accumulate' ? null : (sharedTrain ?? family.alloc(M * w)),
      trainOrigin:
        pooled && regime === 'accumulate' ? new Int16Array(0) : (sharedOrigin ?? new Int16Array(M)),
      filter: filter ? createRng(recipe.seed, r, Stream.filter) : null,
      curation: curation?.by === 'verifier' ? createRng(recipe.seed, r, Stream.curation) : null,
      starved: false,
    });
  }
  const R = chains.length;
  const values = Object.fromEntries(family.metrics.map((m) => [m, new Float64Array(R)])) as Record<
    Metric,
    Float64Array
  >;
  const display = createRng(recipe.seed, Stream.display);
  let mark = new Uint8Array(M);
  const sets: TrainingSet<V>[] = new Array(R);
  let composition: TrainingComposition = { size: 0, synthetic: 0, real: 0 };
  let sample: TrainingSample | null = null;
  let totals: MitigationTotals = emptyTotals();
  /** Chain 1's mitigation counts of this generation (merged into its composition). */
  let extra: Partial<TrainingComposition> = {};

  /**
   * Writes nSynth curated synthetic points of chain c into `out`; returns the candidates drawn
   * (a promise only when the family's sampling or scoring is asynchronous).
   */
  const curate = (c: ChainState<V, Model, C>, nSynth: number, out: V): number | Promise<number> => {
    const cur = curation as NonNullable<typeof curation>;
    const n = candidateCount(nSynth, cur.keep);
    const buf = cand as V;
    const model = c.model as Model;
    const verifier = cur.by === 'verifier';
    const select = (): number => {
      if (verifier) {
        // The log-likelihood ratio real / model, then the verifier's noise (mitigations.ts).
        (family.realLogDensity as NonNullable<typeof family.realLogDensity>)(buf, n, scores);
        for (let i = 0; i < n; i++) scores[i] -= modelScores[i];
        verifierScores(scores, n, cur.accuracy, c.curation as Rng);
      }
      selectTop(scores, n, nSynth, order, chosen);
      copyMarked(buf, n, w, chosen, out);
      return n;
    };
    const score = (): number | Promise<number> => {
      const ll = (family.logLikelihood as NonNullable<typeof family.logLikelihood>)(
        model,
        buf,
        n,
        verifier ? modelScores : scores,
      );
      return isThenable(ll) ? ll.then(select) : select();
    };
    const done = family.sample(model, n, c.streams.synthetic, temperature, buf);
    return isThenable(done) ? done.then(score) : score();
  };

  /** Builds chain c's training set for generation `gen` (null: fit from its statistics). */
  // Synchronous families (the Gaussian, the TS mixture engine) never wait on a promise per chain:
  // a microtask per chain and generation measured 1.6× the Gaussian default scenario's time.
  const buildSet = (
    c: ChainState<V, Model, C>,
    gen: number,
  ): TrainingSet<V> | null | Promise<TrainingSet<V> | null> => {
    const nSynth = gen === 0 ? 0 : k(gen);
    // Where the new M points go: the end of the pool, or the training buffer.
    let dest: V;
    let destOrigin: Int16Array;
    if (c.pool) {
      c.pool = growValues(family, c.pool, (c.poolSize + M) * w);
      c.poolOrigin = growOrigin(c.poolOrigin, c.poolSize + M);
      dest = c.pool.subarray(c.poolSize * w, (c.poolSize + M) * w) as V;
      destOrigin = c.poolOrigin.subarray(c.poolSize, c.poolSize + M);
    } else {
      dest = c.train as V;
      destOrigin = c.trainOrigin;
    }
    if (nSynth === 0) return finishSet(c, gen, dest, destOrigin, 0, 0);
    const drawn = curation
      ? curate(c, nSynth, dest)
      : family.sample(c.model as Model, nSynth, c.streams.synthetic, temperature, dest);
    const finish = (candidates: unknown) => {
      destOrigin.fill(gen - 1, 0, nSynth);
      return finishSet(
        c,
        gen,
        dest,
        destOrigin,
        nSynth,
        typeof candidates === 'number' ? candidates : 0,
      );
    };
    const pending = drawn as unknown;
    return isThenable(pending) ? pending.then(finish) : finish(pending);
  };

  /** The rest of buildSet, once the new synthetic points are in `dest`: real data, filter, regime. */
  const finishSet = (
    c: ChainState<V, Model, C>,
    gen: number,
    dest: V,
    destOrigin: Int16Array,
    nSynth: number,
    candidates: number,
  ): TrainingSet<V> | null => {
    const nReal = M - nSynth;
    const realPart = dest.subarray(nSynth * w, M * w) as V;
    if (recipe.realData === 'fixed') {
      if (c.fixedReal === null) {
        c.fixedReal = family.alloc(M * w);
        c.real(M, c.fixedReal);
      }
      realPart.set(c.fixedReal.subarray(0, nReal * w));
    } else {
      c.real(nReal, realPart);
    }
    destOrigin.fill(REAL, nSynth, M);
    const first = c.streams.index === 0;
    // The new points that go on: all M, or those the filter leaves (moved to the front).
    let m = M;
    let keptSynth = nSynth;
    if (mitigated) {
      let flaggedSynthetic = 0;
      let flaggedReal = 0;
      if (filter && gen > 0) {
        const f = applyFilter(
          dest,
          destOrigin,
          M,
          w,
          filter.truePositiveRate,
          filter.falsePositiveRate,
          c.filter as Rng,
        );
        m = f.kept;
        keptSynth = nSynth - f.flaggedSynthetic;
        ({ flaggedSynthetic, flaggedReal } = f);
      }
      totals.chains++;
      totals.drawnSynthetic += nSynth;
      totals.drawnReal += nReal;
      totals.flaggedSynthetic += flaggedSynthetic;
      totals.flaggedReal += flaggedReal;
      if (first) {
        extra = {
          drawnSynthetic: nSynth,
          drawnReal: nReal,
          ...(filter ? { flaggedSynthetic, flaggedReal } : {}),
          syntheticShare: m > 0 ? keptSynth / m : null,
          ...(curation ? { candidates } : {}),
        };
      }
    }

    if (regime === 'replace') {
      if (first) composition = { size: m, synthetic: keptSynth, real: m - keptSynth };
      return { values: dest, origin: destOrigin, size: m, width: w, generation: gen };
    }
    if (sufficient) sufficient.add(c.stats, dest, m, c.model);
    // Counted on the fast path too (no pool there): a starved check reads the size.
    c.poolSize += m;
    c.poolSynthetic += keptSynth;
    if (regime === 'accumulate') {
      if (first) {
        const n = c.poolSize;
        composition = { size: n, synthetic: c.poolSynthetic, real: n - c.poolSynthetic };
      }
      if (sufficient) return null;
      const size = c.poolSize;
      return { values: c.pool as V, origin: c.poolOrigin, size, width: w, generation: gen };
    }
    // accumulate-subsample: M points of the pool (all, if fewer), uniformly without replacement.
    if (mark.length < c.poolSize) mark = new Uint8Array(Math.max(c.poolSize, mark.length * 2));
    const n = Math.min(M, c.poolSize);
    const idx = sampleIndices(c.poolSize, n, c.streams.subsample, mark);
    const pool = c.pool as V;
    const train = c.train as V;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const j = idx[i];
      if (w === 1) train[i] = pool[j];
      else train.set(pool.subarray(j * w, (j + 1) * w), i * w);
      c.trainOrigin[i] = c.poolOrigin[j];
      if (c.poolOrigin[j] !== REAL) s++;
    }
    if (first) composition = { size: n, synthetic: s, real: n - s };
    return { values: train, origin: c.trainOrigin, size: n, width: w, generation: gen };
  };

  /** Marks chain c starved when its training set is too small to fit (keeps its model). */
  const checkStarved = (c: ChainState<V, Model, C>, set: TrainingSet<V> | null) => {
    const size = set ? set.size : c.poolSize;
    c.starved = c.model !== null && size < minPoints;
    if (c.starved) {
      totals.starved++;
      if (c.streams.index === 0) extra.starved = true;
    }
    return c.starved;
  };

  /** Chain 1's training points for display (a uniform subset when there are many). */
  const pickSample = (
    set: TrainingSet<V> | null,
    c: ChainState<V, Model, C>,
  ): TrainingSample | null => {
    const cap = family.shownTrainingPoints;
    if (cap <= 0) return null;
    // On the accumulate fast path chain 1's training set is its pool.
    const src = set ?? { values: c.pool as V, origin: c.poolOrigin, size: c.poolSize, width: w };
    const n = src.size;
    if (mark.length < n) mark = new Uint8Array(Math.max(n, mark.length * 2));
    const idx = n > cap ? sampleIndices(n, cap, display, mark) : null;
    const m = idx ? idx.length : n;
    const out: TrainingSample = {
      values: new Float32Array(m * w),
      origin: new Int16Array(m),
      width: w,
    };
    for (let i = 0; i < m; i++) {
      const j = idx ? idx[i] : i;
      for (let a = 0; a < w; a++) out.values[i * w + a] = src.values[j * w + a];
      out.origin[i] = src.origin[j];
    }
    return out;
  };

  const fitOne = (set: TrainingSet<V> | null, c: ChainState<V, Model, C>) => {
    if (set === null) return (sufficient as NonNullable<typeof sufficient>).fit(c.stats) as Model;
    return (family.fit as NonNullable<typeof family.fit>)(set, c.model, c.own);
  };

  const adopt = (i: number, model: Model): void | Promise<void> => {
    const c = chains[i];
    if (c.model !== null && c.model !== model) family.release?.(c.model);
    c.model = model;
    return family.score(model, c.own, values, i);
  };

  try {
    for (let gen = 0; gen <= recipe.generations; gen++) {
      if (mitigated) {
        totals = emptyTotals();
        extra = {};
      }
      if (batched) {
        for (let i = 0; i < R; i++) {
          const set = buildSet(chains[i], gen);
          sets[i] = (isThenable(set) ? await set : set) as TrainingSet<V>;
        }
        if (mitigated) {
          // Starved chains keep their models; the rest are fitted at once (sizes may differ).
          const fit: number[] = [];
          for (let i = 0; i < R; i++) if (!checkStarved(chains[i], sets[i])) fit.push(i);
          const models =
            fit.length === 0
              ? []
              : await (family.fitAll as NonNullable<typeof family.fitAll>)(
                  fit.map((i) => sets[i]),
                  fit.map((i) => chains[i].model),
                  fit.map((i) => chains[i].own),
                );
          if (showsChain1) sample = pickSample(sets[0], chains[0]);
          for (let j = 0; j < fit.length; j++) {
            const scored = adopt(fit[j], models[j]);
            if (isThenable(scored)) await scored;
          }
        } else {
          const models = await (family.fitAll as NonNullable<typeof family.fitAll>)(
            sets,
            chains.map((c) => c.model),
            chains.map((c) => c.own),
          );
          if (showsChain1) sample = pickSample(sets[0], chains[0]);
          for (let i = 0; i < R; i++) {
            const scored = adopt(i, models[i]);
            if (isThenable(scored)) await scored;
          }
        }
      } else {
        for (let i = 0; i < R; i++) {
          const c = chains[i];
          let set = buildSet(c, gen);
          if (isThenable(set)) set = await set;
          if (mitigated && checkStarved(c, set)) {
            if (i === 0 && showsChain1) sample = pickSample(set, c);
            continue;
          }
          let model = fitOne(set, c);
          if (isThenable(model)) model = await model;
          if (i === 0 && showsChain1) sample = pickSample(set, c);
          const scored = adopt(i, model);
          if (isThenable(scored)) await scored;
        }
      }
      let chain = null;
      if (showsChain1) {
        const shown = family.shown(chains[0].model as Model, chains[0].own, gen);
        const training = mitigated ? { ...composition, ...extra } : composition;
        chain = { training, sample, shown: isThenable(shown) ? await shown : shown };
      }
      const copy = {} as Record<Metric, Float64Array>;
      for (const m of family.metrics) copy[m] = values[m].slice();
      const part: GenerationPart<Metric, Shown> = { generation: gen, start, values: copy, chain };
      if (mitigated) part.mitigations = { ...totals };
      yield part;
    }
  } finally {
    for (const c of chains) if (c.model !== null) family.release?.(c.model);
    family.dispose?.();
  }
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
