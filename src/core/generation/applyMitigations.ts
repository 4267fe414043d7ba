// The mitigations applied to one run, in one place (mitigations.ts defines each; the loop,
// loop.ts, calls this for every chain and generation):
// - How many of generation n's M new points come from model n − 1: round(M · share(n)) by the
//   synthetic-share schedule, or round(M · syntheticFraction) without one.
// - How they are drawn: sampled from the model at the recipe's temperature, or, with curation,
//   the best k of ceil(k / keep) candidates by the model's own likelihood or by a verifier.
// - The filter, from generation 1: drops the flagged new points before the regime builds the
//   training set.
// - Starving: a chain whose training set is smaller than family.minPoints keeps its previous
//   model for the generation.
// - The counts: per generation, summed over this loop's chains, and chain 1's own.
// Without mitigations this is plain sampling of the constant share, with no extra draws, no
// starving and no counts, so not one number changes.
import { syntheticCount } from '../mixing';
import { createRng, type Rng, Stream } from '../rng';
import {
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
import type { NewPoints } from './trainingSet';
import {
  isThenable,
  type LoopRecipe,
  type MitigationTotals,
  type ModelFamily,
  type PointArray,
  type TrainingComposition,
} from './types';

/** What the mitigations need of a model family. */
export type MitigatedFamily<V extends PointArray, Model> = Pick<
  ModelFamily<string, Model, unknown, V>,
  'alloc' | 'storage' | 'sample' | 'minPoints' | 'logLikelihood' | 'realLogDensity'
>;

/** Chain 1's mitigation counts of a generation (merged into its training composition). */
export type Chain1Counts = Pick<
  TrainingComposition,
  | 'drawnSynthetic'
  | 'drawnReal'
  | 'flaggedSynthetic'
  | 'flaggedReal'
  | 'syntheticShare'
  | 'candidates'
  | 'starved'
>;

/** The mitigations of one run, for the chains this loop runs. */
export class LoopMitigations<V extends PointArray, Model> {
  /** True when the recipe turns on any mitigation. */
  readonly on: boolean;
  /** This generation's counts, summed over this loop's chains (only when on). */
  totals: MitigationTotals = emptyTotals();
  /** Chain 1's counts of this generation (only when on). */
  chain1: Chain1Counts = {};
  private readonly recipe: LoopRecipe;
  private readonly family: MitigatedFamily<V, Model>;
  private readonly fixedCount: number;
  private readonly minPoints: number;
  /** The run's index of each chain (0 is chain 1, whose counts are kept apart). */
  private readonly index: readonly number[];
  /** Per chain, the filter's and the verifier's own streams (only when on). */
  private readonly filterRng: (Rng | null)[];
  private readonly curationRng: (Rng | null)[];
  // Curation's scratch: one candidate buffer for every chain (chains draw one at a time).
  private readonly candidates: V | null;
  private readonly scores: Float64Array;
  private readonly modelScores: Float64Array;
  private readonly order: Uint32Array;
  private readonly chosen: Uint8Array;

  /** Throws when the recipe curates by a score the family lacks. */
  constructor(
    recipe: LoopRecipe,
    family: MitigatedFamily<V, Model>,
    /** The run's indices of this loop's chains. */
    chains: readonly number[],
  ) {
    const { filter, curation } = recipe;
    if (curation) {
      const why = curationUnsupported(curation, family);
      if (why) throw new RangeError(why);
    }
    this.recipe = recipe;
    this.family = family;
    this.index = chains;
    this.on = hasMitigations(recipe);
    this.fixedCount = syntheticCount(recipe);
    this.minPoints = family.minPoints?.(recipe) ?? 1;
    const cMax = maxCandidates(recipe);
    this.candidates = curation ? family.alloc(cMax * family.storage.width) : null;
    this.scores = new Float64Array(curation ? cMax : 0);
    this.modelScores = new Float64Array(curation?.by === 'verifier' ? cMax : 0);
    this.order = new Uint32Array(curation ? cMax : 0);
    this.chosen = new Uint8Array(curation ? cMax : 0);
    this.filterRng = chains.map((r) => (filter ? createRng(recipe.seed, r, Stream.filter) : null));
    this.curationRng = chains.map((r) =>
      curation?.by === 'verifier' ? createRng(recipe.seed, r, Stream.curation) : null,
    );
  }

  /** Clears the counts for a new generation. */
  startGeneration(): void {
    if (!this.on) return;
    this.totals = emptyTotals();
    this.chain1 = {};
  }

  /** Points generation gen ≥ 1 takes from the previous model (the schedule's, or the fixed share). */
  syntheticCount(gen: number): number {
    return this.recipe.syntheticSchedule ? syntheticCountAt(this.recipe, gen) : this.fixedCount;
  }

  /**
   * Writes n synthetic points of chain i into `out`, sampled from `model` with the chain's
   * synthetic stream, or curated; returns the candidates curation drew (0 without curation). A
   * promise only when the family's sampling or scoring is asynchronous.
   */
  drawSynthetic(i: number, model: Model, n: number, rng: Rng, out: V): number | Promise<number> {
    const { family, recipe } = this;
    if (recipe.curation) return this.curate(i, model, n, rng, out);
    const done = family.sample(model, n, rng, recipe.temperature, out);
    return isThenable(done) ? done.then(() => 0) : 0;
  }

  /** Curation: keeps n of candidateCount(n, keep) candidates by their scores (mitigations.ts). */
  // Kept apart from drawSynthetic so that the plain path stays small enough to inline.
  private curate(i: number, model: Model, n: number, rng: Rng, out: V): number | Promise<number> {
    const { family, recipe } = this;
    const cur = recipe.curation as NonNullable<LoopRecipe['curation']>;
    const c = candidateCount(n, cur.keep);
    const buf = this.candidates as V;
    const verifier = cur.by === 'verifier';
    const { scores, modelScores } = this;
    const select = (): number => {
      if (verifier) {
        // The log-likelihood ratio real / model, then the verifier's noise (mitigations.ts).
        (family.realLogDensity as NonNullable<typeof family.realLogDensity>)(buf, c, scores);
        for (let j = 0; j < c; j++) scores[j] -= modelScores[j];
        verifierScores(scores, c, cur.accuracy, this.curationRng[i] as Rng);
      }
      selectTop(scores, c, n, this.order, this.chosen);
      copyMarked(buf, c, family.storage.width, this.chosen, out);
      return c;
    };
    const score = (): number | Promise<number> => {
      const ll = (family.logLikelihood as NonNullable<typeof family.logLikelihood>)(
        model,
        buf,
        c,
        verifier ? modelScores : scores,
      );
      return isThenable(ll) ? ll.then(select) : select();
    };
    const done = family.sample(model, c, rng, recipe.temperature, buf);
    return isThenable(done) ? done.then(score) : score();
  }

  /**
   * The filter on chain i's M new points (nSynth synthetic first, then real), from generation 1:
   * drops the flagged ones, moving the rest to the front. Counts what was drawn and dropped
   * (`candidates`: what curation drew). Returns the new points left, and how many are synthetic.
   */
  filter(
    i: number,
    gen: number,
    fresh: NewPoints<V>,
    nSynth: number,
    candidates: number,
  ): { kept: number; keptSynthetic: number } {
    if (!this.on) return { kept: this.recipe.samplesPerGeneration, keptSynthetic: nSynth };
    return this.filterAndCount(i, gen, fresh, nSynth, candidates);
  }

  private filterAndCount(
    i: number,
    gen: number,
    fresh: NewPoints<V>,
    nSynth: number,
    candidates: number,
  ): { kept: number; keptSynthetic: number } {
    const M = this.recipe.samplesPerGeneration;
    const { filter, curation } = this.recipe;
    const nReal = M - nSynth;
    let kept = M;
    let flaggedSynthetic = 0;
    let flaggedReal = 0;
    if (filter && gen > 0) {
      const f = applyFilter(
        fresh.values,
        fresh.origin,
        M,
        this.family.storage.width,
        filter.truePositiveRate,
        filter.falsePositiveRate,
        this.filterRng[i] as Rng,
      );
      kept = f.kept;
      ({ flaggedSynthetic, flaggedReal } = f);
    }
    const keptSynthetic = nSynth - flaggedSynthetic;
    const t = this.totals;
    t.chains++;
    t.drawnSynthetic += nSynth;
    t.drawnReal += nReal;
    t.flaggedSynthetic += flaggedSynthetic;
    t.flaggedReal += flaggedReal;
    if (this.index[i] === 0) {
      this.chain1 = {
        drawnSynthetic: nSynth,
        drawnReal: nReal,
        ...(filter ? { flaggedSynthetic, flaggedReal } : {}),
        syntheticShare: kept > 0 ? keptSynthetic / kept : null,
        ...(curation ? { candidates } : {}),
      };
    }
    return { kept, keptSynthetic };
  }

  /**
   * True when a chain that has a model would train on fewer than family.minPoints points: it
   * keeps that model this generation (counted). Never without mitigations.
   */
  starves(i: number, hasModel: boolean, size: number): boolean {
    if (!this.on) return false;
    const starved = hasModel && size < this.minPoints;
    if (starved) {
      this.totals.starved++;
      if (this.index[i] === 0) this.chain1.starved = true;
    }
    return starved;
  }
}
