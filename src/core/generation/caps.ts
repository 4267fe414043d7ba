// The memory and work caps of the loop, defined once: the recipe parser clamps recipes with
// capRecipe and capWork, and the loop refuses (poolIssue) exactly what the parser would have
// clamped for memory, so a recipe that parses always runs. Curation's candidates (one scratch buffer per run, sized by the schedule's
// largest synthetic share) come off the pools' budget; the filter only removes points.
import { maxCandidates } from './mitigations';
import type { LoopRecipe, PointStorage } from './types';

// PointStorage lives in types.ts (the shapes every model shares, which import nothing of this
// folder, so no module here imports in a circle); model specs still find it here.
export type { PointStorage };

/** The recipe fields the caps read (the mitigations' are optional). */
type CapRecipe = Pick<
  LoopRecipe,
  'regime' | 'replicates' | 'generations' | 'samplesPerGeneration'
> &
  Partial<Pick<LoopRecipe, 'syntheticFraction' | 'syntheticSchedule' | 'curation'>>;

/** Most bytes a run's accumulate pools (and an accumulated training copy) may hold: 128 MiB. */
export const MAX_POOL_BYTES = 128 * 2 ** 20;

/** Bytes per pooled point: its values and its provenance (int16). */
const pointBytes = (s: PointStorage) => s.width * s.bytesPerValue + 2;

/** Bytes the run's pools reach at its last generation. */
export function poolBytes(
  recipe: Pick<LoopRecipe, 'regime' | 'replicates' | 'generations' | 'samplesPerGeneration'>,
  storage: PointStorage,
): number {
  if (recipe.regime === 'replace') return 0;
  const points = (recipe.generations + 1) * recipe.samplesPerGeneration;
  const fastPath = storage.sufficientStatistics && recipe.regime === 'accumulate';
  const chains = fastPath ? 1 : recipe.replicates;
  const training =
    recipe.regime === 'accumulate'
      ? points * storage.width * (storage.trainingBytesPerValue ?? 0)
      : 0;
  return chains * points * pointBytes(storage) + training;
}

/**
 * Bytes of curation's scratch: the most candidates one generation draws (round(M · largest
 * share) / keep), each with its values, two float64 scores, a uint32 rank and a byte mark.
 */
export function scratchBytes(recipe: CapRecipe, storage: PointStorage): number {
  if (!recipe.curation) return 0;
  const c = maxCandidates({
    samplesPerGeneration: recipe.samplesPerGeneration,
    syntheticFraction: recipe.syntheticFraction ?? 1,
    syntheticSchedule: recipe.syntheticSchedule,
    curation: recipe.curation,
  });
  return c * (storage.width * storage.bytesPerValue + 16 + 4 + 1);
}

/** Bytes the pools may take: MAX_POOL_BYTES less curation's scratch. */
const budget = (recipe: CapRecipe, storage: PointStorage) =>
  MAX_POOL_BYTES - scratchBytes(recipe, storage);

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** Why the loop refuses `recipe` for memory, or null when it fits MAX_POOL_BYTES. */
export function poolIssue(recipe: CapRecipe, storage: PointStorage): string | null {
  const bytes = poolBytes(recipe, storage);
  const max = budget(recipe, storage);
  if (bytes <= max) return null;
  const scratch = max < MAX_POOL_BYTES ? ` with ${mib(MAX_POOL_BYTES - max)} for curation` : '';
  return `${recipe.regime} would keep ${mib(bytes)} of training data (more than ${mib(max)}${scratch}): lower replicates, generations or samplesPerGeneration`;
}

/** A change capRecipe made, as data: the field, what it was and what it became. */
export interface CapChange {
  field: 'replicates' | 'generations' | 'samplesPerGeneration';
  from: number;
  to: number;
  message: string;
}

/**
 * Lowers replicates (down to 1), then generations, until the pools fit MAX_POOL_BYTES; edits
 * `recipe` in place and returns what it changed.
 */
export function capRecipe(recipe: CapRecipe, storage: PointStorage): CapChange[] {
  const changes: CapChange[] = [];
  const MAX = budget(recipe, storage);
  if (poolBytes(recipe, storage) <= MAX) return changes;
  const what = (r: typeof recipe) =>
    `${r.generations} generations of ${r.regime} with ${r.samplesPerGeneration} points per generation`;
  const perChain = poolBytes({ ...recipe, replicates: 1 }, storage);
  const shared = poolBytes({ ...recipe, replicates: 2 }, storage) - perChain; // 0 on the fast path
  if (shared > 0) {
    const reps = Math.max(1, Math.floor((MAX - (perChain - shared)) / shared));
    if (reps < recipe.replicates) {
      changes.push({
        field: 'replicates',
        from: recipe.replicates,
        to: reps,
        message: `replicates: ${recipe.replicates} chains of ${what(recipe)} would not fit in memory (${mib(MAX_POOL_BYTES)}); reduced to ${reps}`,
      });
      recipe.replicates = reps;
    }
  }
  if (poolBytes(recipe, storage) > MAX) {
    let g = recipe.generations;
    // Bytes grow linearly in generations + 1: solve, then step down for rounding.
    const perGeneration = poolBytes({ ...recipe, generations: 0 }, storage);
    g = Math.max(1, Math.floor(MAX / perGeneration) - 1);
    while (g > 1 && poolBytes({ ...recipe, generations: g }, storage) > MAX) g--;
    changes.push({
      field: 'generations',
      from: recipe.generations,
      to: g,
      message: `generations: ${what(recipe)} would not fit in memory (${mib(MAX_POOL_BYTES)}); reduced to ${g}`,
    });
    recipe.generations = g;
  }
  return changes;
}

/**
 * Most work a run may ask for, in point-draws weighted by the model's cost per point (its spec's
 * workPerPoint): (generations + 1) × replicates × samplesPerGeneration × cost. 3e9 is about a
 * minute for the 1-D Gaussian on a laptop (3e7–1e8 points a second, bench: gaussian1d), so a link
 * asking for 1,000 replicates × 10,000 samples × 1,000 generations is cut to what a reader can wait
 * for; longer runs show progress, an ETA and Cancel.
 */
export const MAX_WORK = 3e9;

/** A run's work in weighted point-draws. */
export function runWork(
  recipe: Pick<LoopRecipe, 'replicates' | 'generations' | 'samplesPerGeneration'>,
  costPerPoint: number,
): number {
  return (recipe.generations + 1) * recipe.replicates * recipe.samplesPerGeneration * costPerPoint;
}

/** "a minute", "30 minutes": the budget as the cap's message names it. */
const inMinutes = (minutes: number) => (minutes === 1 ? 'a minute' : `${minutes} minutes`);

/**
 * Lowers replicates (down to 1), then generations (down to 1), then samplesPerGeneration (down to
 * `minSamples`), until the run's work fits `minutes` of MAX_WORK; edits `recipe` in place and
 * returns what it changed (with messages naming the field). A model's own settings (epochs, width)
 * are left as asked: they are what the reader came to see.
 */
export function capWork(
  recipe: CapRecipe,
  costPerPoint: number,
  minutes = 1,
  minSamples = 1,
): CapChange[] {
  const changes: CapChange[] = [];
  const MAX = MAX_WORK * minutes;
  const why = `is more work than a page can do in about ${inMinutes(minutes)}`;
  if (runWork(recipe, costPerPoint) <= MAX) return changes;
  const asked = `${recipe.replicates.toLocaleString('en')} chains × ${recipe.samplesPerGeneration.toLocaleString('en')} points × ${(recipe.generations + 1).toLocaleString('en')} generations`;
  // Work is linear in each of these (generations counts generation 0 too): solve for the most
  // that fits, in this order, each down to its floor, until the run fits.
  const order = [
    { field: 'replicates', floor: 1, offset: 0 },
    { field: 'generations', floor: 1, offset: 1 },
    { field: 'samplesPerGeneration', floor: minSamples, offset: 0 },
  ] as const;
  for (const { field, floor, offset } of order) {
    if (runWork(recipe, costPerPoint) <= MAX) break;
    const perUnit = runWork({ ...recipe, [field]: 1 - offset }, costPerPoint);
    const to = Math.max(floor, Math.floor(MAX / perUnit) - offset);
    if (to >= recipe[field]) continue;
    changes.push({
      field,
      from: recipe[field],
      to,
      message: `${field}: ${asked} ${why}; reduced to ${to}`,
    });
    recipe[field] = to;
  }
  return changes;
}
