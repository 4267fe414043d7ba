// The VAE family's sizes and what a run costs in Adam steps (pure: no tfjs, safe to import from
// the page).
import type { VaeRecipe } from '../../../core/recipe';

/** Real test digits (the first of the shipped 2,000) for heldOutElbo and latentStd. */
export const VAE_TEST_DIGITS = 1000;
/** Samples per chain and generation for classEntropy and diversity (diversity: the first 256). */
export const VAE_METRIC_SAMPLES = 1000;
/** Chain 1's sampled digits returned per generation for the filmstrip. */
export const VAE_FILMSTRIP_DIGITS = 64;
/** Test digits whose 2-D encoder means are returned (latentSize 2 only). */
export const VAE_LATENT_POINTS = 500;
/** Chain 1's training digits returned per generation, with provenance (bytes as float32, 0–255). */
export const VAE_SHOWN_TRAINING_DIGITS = 64;
/** Digits sampled per decoder call (bounds the tensors of one call to 1000 × 784 floats). */
export const VAE_SAMPLE_CHUNK = 1000;

type StepRecipe = Pick<VaeRecipe, 'regime' | 'samplesPerGeneration' | 'epochs' | 'batchSize'>;

/** Digits in one chain's training set at generation `gen`. */
export function vaeTrainingSize(
  recipe: Pick<VaeRecipe, 'regime' | 'samplesPerGeneration'>,
  gen: number,
): number {
  const M = recipe.samplesPerGeneration;
  return recipe.regime === 'accumulate' ? (gen + 1) * M : M;
}

/** Adam steps of one training on n digits (the last partial batch of an epoch is dropped). */
export function vaeSteps(recipe: Pick<VaeRecipe, 'epochs' | 'batchSize'>, n: number): number {
  if (n <= 0) return 0;
  const batch = Math.max(1, Math.min(Math.floor(recipe.batchSize), n));
  return Math.max(0, Math.floor(recipe.epochs)) * Math.floor(n / batch);
}

/** Adam steps one chain takes at generation `gen`. */
export function vaeStepsPerChain(recipe: StepRecipe, gen: number): number {
  return vaeSteps(recipe, vaeTrainingSize(recipe, gen));
}

/** Adam steps of the whole run, all chains. */
export function vaeTotalSteps(
  recipe: StepRecipe & Pick<VaeRecipe, 'generations' | 'replicates'>,
): number {
  let total = 0;
  for (let g = 0; g <= recipe.generations; g++) total += vaeStepsPerChain(recipe, g);
  return total * recipe.replicates;
}
