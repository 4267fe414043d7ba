// The diffusion family's sizes and what a run costs in Adam steps (pure: no tfjs, safe to import
// from the page).
import { DIFFUSION_BATCH } from '../../../core/models/diffusion/spec';
import type { DiffusionRecipe } from '../../../core/recipe';

/** Model points drawn per chain and generation for the metrics (and chain 1's scatter). */
export const DIFFUSION_METRIC_SAMPLES = 1000;
/** Chain 1's training points returned per generation, with provenance. */
export const DIFFUSION_SHOWN_TRAINING_POINTS = 1000;

type StepRecipe = Pick<DiffusionRecipe, 'regime' | 'samplesPerGeneration' | 'epochs'>;

/** Points in one chain's training set at generation `gen` (before any filter). */
export function diffusionTrainingSize(
  recipe: Pick<DiffusionRecipe, 'regime' | 'samplesPerGeneration'>,
  gen: number,
): number {
  const M = recipe.samplesPerGeneration;
  return recipe.regime === 'accumulate' ? (gen + 1) * M : M;
}

/** Adam steps of one training on n points: epochs × whole batches (at least one batch). */
export function diffusionSteps(recipe: Pick<DiffusionRecipe, 'epochs'>, n: number): number {
  if (n <= 0) return 0;
  const batch = Math.min(DIFFUSION_BATCH, n);
  return Math.max(0, Math.floor(recipe.epochs)) * Math.floor(n / batch);
}

/** Adam steps one chain takes at generation `gen`. */
export function diffusionStepsPerChain(recipe: StepRecipe, gen: number): number {
  return diffusionSteps(recipe, diffusionTrainingSize(recipe, gen));
}
