// Progress of a VAE run (engine/job/trainingProgress.ts, with the VAE's Adam steps and shape) and the
// backend race's probe.
import * as tf from '@tensorflow/tfjs';
import type { VaeRecipe } from '../../../core/recipe';
import { createRng } from '../../../core/rng';
import type { JobContext } from '../../job/context';
import {
  recordStepMs,
  type TrainingProgressReporter,
  trainingProgress,
} from '../../job/trainingProgress';
import { vaeStepsPerChain } from './constants';
import { MNIST_PIXELS } from './mnist';
import { Vae } from './vae';

export {
  FIRST_PROGRESS_EVERY,
  PROGRESS_MS,
  type StepAt,
  TARGET_SLICE_MS,
  type TrainingProgressReporter as VaeProgressReporter,
} from '../../job/trainingProgress';

const vaeShape = (r: Pick<VaeRecipe, 'hiddenSize' | 'latentSize' | 'batchSize'>) =>
  `vae:${r.hiddenSize}:${r.latentSize}:${r.batchSize}`;

/**
 * A short piece of the recipe's real workload for the backend race: four Adam steps of a fresh
 * VAE of the recipe's shape on two batches of random sparse "ink" (the loss read at the end
 * waits for the GPU). Records the time per step for the backend it ran on.
 */
export function vaeProbe(recipe: VaeRecipe): () => Promise<void> {
  const batch = recipe.batchSize;
  const rows = 2 * batch;
  const pixels = new Float32Array(rows * MNIST_PIXELS);
  const rng = createRng(0x7ae5eed);
  for (let i = 0; i < pixels.length; i++) {
    const u = rng.uniform();
    pixels[i] = u > 0.8 ? u : 0; // sparse ink, like a digit
  }
  return async () => {
    const vae = new Vae({
      latentSize: recipe.latentSize,
      hiddenSize: recipe.hiddenSize,
      learningRate: recipe.learningRate,
      seed: 1,
    });
    const x = tf.tensor2d(pixels, [rows, MNIST_PIXELS]);
    try {
      const t0 = performance.now();
      const r = await vae.trainEpochs(x, { epochs: 2, batchSize: batch, progressEvery: 1000 });
      recordStepMs(vaeShape(recipe), (performance.now() - t0) / r.steps);
    } finally {
      x.dispose();
      vae.dispose();
    }
  };
}

export function vaeProgress(recipe: VaeRecipe, ctx: JobContext): TrainingProgressReporter {
  return trainingProgress(
    {
      generations: recipe.generations,
      replicates: recipe.replicates,
      epochs: recipe.epochs,
      stepsPerChain: (g) => vaeStepsPerChain(recipe, g),
      shape: vaeShape(recipe),
    },
    ctx,
  );
}
