// The mitigations (docs/architecture.md, "Mitigations"), defined once for every model
// (applyMitigations.ts applies them in the loop):
// - syntheticSchedule {from, to, over}: generation n ≥ 1 takes round(M · share(n)) points from
//   the previous model, share(n) = from + (to − from) · min(1, (n − 1)/(over − 1)) (over = 1:
//   `to` from generation 1). Without it share(n) is syntheticFraction, the constant schedule.
// - curation {keep, by, accuracy}: the previous model draws c = ceil(k / keep) candidates for the
//   generation's k synthetic points, and the k with the highest score are kept (in the order they
//   were drawn). by 'model': the score is the generating model's own log-likelihood of each
//   candidate (family.logLikelihood), with no randomness: "quality" as the model sees it, which
//   keeps its own mode and speeds the collapse. by 'verifier' (verifierScores): a verifier that
//   knows the real density keeps k candidates drawn without replacement with probabilities
//   ∝ (p_real/p_model)^a (importance resampling toward the real distribution; a, the accuracy,
//   from 1, a perfect verifier, to 0, one that knows nothing and keeps a uniform random subset),
//   its noise from the chain's curation stream. (Ranking by the real density alone was the first
//   sketch, but for a Gaussian the points the real density likes best are the central
//   ones, so it narrowed the model exactly as fast as the model's own ranking — measured: median
//   σ 0.008 vs 0.007 after 5 generations at M = 100, keep 0.5 — and no verifier of that kind
//   can slow the loss of diversity. The likelihood ratio is what a verifier trained to tell real
//   from synthetic data learns: the Bayes-optimal discriminator's odds D/(1 − D).)
// - filter {truePositiveRate, falsePositiveRate}: from generation 1 on (generation 0 is fitted to
//   M real points, as the loop defines it), after the new points are drawn (and curated) and
//   before the regime builds the training set, each new point draws one uniform u from the
//   chain's filter stream and is flagged when u < TPR (synthetic) or u < FPR (real); flagged
//   points are dropped, not replaced.
// Random numbers: the filter and curation streams are their own (rng.ts: Stream.filter,
// Stream.curation), created only when the mitigation is on, so a recipe without mitigations draws
// exactly the numbers it drew before.
import { syntheticCount } from '../mixing';
import type { Rng } from '../rng';
import {
  type CurationSettings,
  type LoopRecipe,
  type MitigationTotals,
  type PointArray,
  REAL,
} from './types';

type ShareRecipe = Pick<
  LoopRecipe,
  'samplesPerGeneration' | 'syntheticFraction' | 'syntheticSchedule'
>;

/** True when the recipe turns on any mitigation. */
export function hasMitigations(recipe: Partial<LoopRecipe>): boolean {
  return (
    recipe.syntheticSchedule !== undefined ||
    recipe.filter !== undefined ||
    recipe.curation !== undefined
  );
}

/** The synthetic share of generation n ≥ 1's new points (0 at generation 0). */
export function syntheticShareAt(recipe: ShareRecipe, n: number): number {
  if (n <= 0) return 0;
  const s = recipe.syntheticSchedule;
  if (!s) return recipe.syntheticFraction;
  const t = s.over <= 1 ? 1 : Math.min(1, (n - 1) / (s.over - 1));
  return s.from + (s.to - s.from) * t;
}

/** Points generation n takes from the previous model: round(M · share(n)); 0 at generation 0. */
export function syntheticCountAt(recipe: ShareRecipe, n: number): number {
  if (n <= 0) return 0;
  if (!recipe.syntheticSchedule) return syntheticCount(recipe);
  return Math.round(recipe.samplesPerGeneration * syntheticShareAt(recipe, n));
}

/** The largest share any generation takes (the schedule's larger end). */
export function maxSyntheticShare(recipe: Omit<ShareRecipe, 'samplesPerGeneration'>): number {
  const s = recipe.syntheticSchedule;
  return s ? Math.max(s.from, s.to) : recipe.syntheticFraction;
}

/** Candidates drawn to keep k points at share `keep`: ceil(k / keep) (k/keep rounded to 12 digits first). */
export function candidateCount(k: number, keep: number): number {
  if (k <= 0) return 0;
  return Math.max(k, Math.ceil(Number((k / keep).toPrecision(12))));
}

/** Most candidates one generation of `recipe` draws (0 without curation). */
export function maxCandidates(recipe: ShareRecipe & Pick<LoopRecipe, 'curation'>): number {
  if (!recipe.curation) return 0;
  const k = Math.round(recipe.samplesPerGeneration * maxSyntheticShare(recipe));
  return candidateCount(k, recipe.curation.keep);
}

/** Sorts `order` (the indices 0..c−1) by score, highest first, ties by index; NaN counts as −∞. */
function rankByScore(scores: Float64Array, c: number, order: Uint32Array): Uint32Array {
  const o = order.subarray(0, c);
  for (let i = 0; i < c; i++) {
    o[i] = i;
    if (Number.isNaN(scores[i])) scores[i] = Number.NEGATIVE_INFINITY;
  }
  o.sort((a, b) => scores[b] - scores[a] || a - b);
  return o;
}

/**
 * The verifier's scores of c candidates, written over `logRatio` (which holds each candidate's
 * log p_real(x) − log p_model(x)). Exactly: for each candidate in turn draw one uniform u_i from
 * `rng`; the score is a · logRatio_i + G_i with G_i = −ln(−ln u_i), a standard Gumbel. Keeping the
 * k highest scores draws k of the c candidates without replacement with probabilities
 * ∝ (p_real/p_model)^a (the Gumbel-top-k trick, Kool, van Hoof & Welling 2019). So a = 1 is
 * importance resampling toward the real distribution (the kept points follow it as keep → 0),
 * and a = 0 scores every candidate by an independent Gumbel: a uniformly random subset. A NaN
 * log-ratio (a model with no spread) counts as 0.
 */
export function verifierScores(
  logRatio: Float64Array,
  c: number,
  accuracy: number,
  rng: Rng,
): void {
  for (let i = 0; i < c; i++) {
    const lr = logRatio[i];
    const g = -Math.log(-Math.log(rng.uniform()));
    logRatio[i] = (accuracy === 0 || Number.isNaN(lr) ? 0 : accuracy * lr) + g;
  }
}

/**
 * Marks (keep[i] = 1) the k of c candidates with the highest scores (ties: the earlier one);
 * `keep` is cleared first.
 */
export function selectTop(
  scores: Float64Array,
  c: number,
  k: number,
  order: Uint32Array,
  keep: Uint8Array,
): void {
  const o = rankByScore(scores, c, order);
  keep.fill(0, 0, c);
  for (let p = 0; p < k; p++) keep[o[p]] = 1;
}

/** Copies the marked rows of `from` (c rows of width w) to the start of `to`, in order. */
export function copyMarked<V extends PointArray>(
  from: V,
  c: number,
  w: number,
  keep: Uint8Array,
  to: V,
): number {
  let j = 0;
  for (let i = 0; i < c; i++) {
    if (!keep[i]) continue;
    if (w === 1) to[j] = from[i];
    else to.set(from.subarray(i * w, (i + 1) * w), j * w);
    j++;
  }
  return j;
}

export interface FilterOutcome {
  /** Points left (moved to the front, in order). */
  kept: number;
  flaggedSynthetic: number;
  flaggedReal: number;
}

/**
 * The filter on `size` new points (rows of `values`, provenance in `origin`): each draws one
 * uniform u from `rng` and is dropped when u < TPR (synthetic) or u < FPR (real); the points left
 * move to the front, in order.
 */
export function applyFilter(
  values: PointArray,
  origin: Int16Array,
  size: number,
  w: number,
  tpr: number,
  fpr: number,
  rng: Rng,
): FilterOutcome {
  let j = 0;
  let flaggedSynthetic = 0;
  let flaggedReal = 0;
  for (let i = 0; i < size; i++) {
    const real = origin[i] === REAL;
    if (rng.uniform() < (real ? fpr : tpr)) {
      if (real) flaggedReal++;
      else flaggedSynthetic++;
      continue;
    }
    if (j !== i) {
      if (w === 1) values[j] = values[i];
      else values.copyWithin(j * w, i * w, (i + 1) * w);
      origin[j] = origin[i];
    }
    j++;
  }
  return { kept: j, flaggedSynthetic, flaggedReal };
}

export const emptyTotals = (): MitigationTotals => ({
  chains: 0,
  drawnSynthetic: 0,
  drawnReal: 0,
  flaggedSynthetic: 0,
  flaggedReal: 0,
  starved: 0,
});

/** Sums parts' totals (in place into `into`). */
export function addTotals(into: MitigationTotals, t: MitigationTotals): MitigationTotals {
  into.chains += t.chains;
  into.drawnSynthetic += t.drawnSynthetic;
  into.drawnReal += t.drawnReal;
  into.flaggedSynthetic += t.flaggedSynthetic;
  into.flaggedReal += t.flaggedReal;
  into.starved += t.starved;
  return into;
}

/**
 * Of the new points that reached training (summed over chains), the synthetic share; null when
 * none did.
 */
export function effectiveSyntheticShare(t: MitigationTotals): number | null {
  const s = t.drawnSynthetic - t.flaggedSynthetic;
  const n = s + t.drawnReal - t.flaggedReal;
  return n > 0 ? s / n : null;
}

/** Curation needs the family's score for `by`: the reason when it lacks it. */
export function curationUnsupported(
  curation: CurationSettings,
  family: { logLikelihood?: unknown; realLogDensity?: unknown },
): string | null {
  if (curation.by === 'model' && !family.logLikelihood)
    return "curation by the model needs the family's logLikelihood";
  if (curation.by === 'verifier' && !(family.realLogDensity && family.logLikelihood))
    return "curation by a verifier needs the family's realLogDensity and logLikelihood";
  return null;
}
