// Progress of a diffusion run (engine/job/trainingProgress.ts, with the DDPM's Adam steps and shape)
// and the backend race's probe.
import { DIFFUSION_BATCH } from '../../../core/models/diffusion/spec';
import type { DiffusionRecipe } from '../../../core/recipe';
import { createRng } from '../../../core/rng';
import type { JobContext } from '../../job/context';
import {
  recordStepMs,
  type TrainingProgressReporter,
  trainingProgress,
} from '../../job/trainingProgress';
import { diffusionStepsPerChain } from './constants';
import { Ddpm } from './ddpm';

const shapeOf = (r: Pick<DiffusionRecipe, 'hiddenSize'>) => `ddpm:${r.hiddenSize}`;

/**
 * A short piece of the recipe's real workload for the backend race: four Adam steps of a fresh
 * DDPM of the recipe's shape on a batch of random points (the loss read at the end waits for the
 * GPU). Records the time per step for the backend it ran on.
 */
export function diffusionProbe(recipe: DiffusionRecipe): () => Promise<void> {
  const rng = createRng(0xd1ff5eed);
  const data = Float32Array.from({ length: 2 * DIFFUSION_BATCH }, () => rng.normal());
  return async () => {
    const ddpm = new Ddpm({
      steps: recipe.steps,
      hiddenSize: recipe.hiddenSize,
      learningRate: recipe.learningRate,
      seed: 1,
    });
    try {
      const t0 = performance.now();
      await ddpm.train(data, DIFFUSION_BATCH, {
        steps: 4,
        batchSize: DIFFUSION_BATCH,
        progressEvery: 4,
      });
      recordStepMs(shapeOf(recipe), (performance.now() - t0) / 4);
    } finally {
      ddpm.dispose();
    }
  };
}

export function diffusionProgress(
  recipe: DiffusionRecipe,
  ctx: JobContext,
): TrainingProgressReporter {
  return trainingProgress(
    {
      generations: recipe.generations,
      replicates: recipe.replicates,
      epochs: recipe.epochs,
      stepsPerChain: (g) => diffusionStepsPerChain(recipe, g),
      shape: shapeOf(recipe),
    },
    ctx,
  );
}
