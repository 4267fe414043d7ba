// Progress of a transformer run (engine/job/trainingProgress.ts, with its fine-tuning steps and
// shape) and the backend race's probe.

import { PASSAGE_TOKENS } from '../../../core/models/transformer/spec';
import type { RecipeFor } from '../../../core/recipe';
import { createRng } from '../../../core/rng';
import type { JobContext } from '../../job/context';
import {
  recordStepMs,
  type TrainingProgressReporter,
  trainingProgress,
} from '../../job/trainingProgress';
import type { TransformerData } from './data';
import { Gpt } from './gpt';

type StepRecipe = Pick<
  RecipeFor<'transformer'>,
  'regime' | 'samplesPerGeneration' | 'epochs' | 'batchSize'
>;

/** Passages in one chain's training set at generation `gen`. */
export function transformerTrainingSize(
  recipe: Pick<StepRecipe, 'regime' | 'samplesPerGeneration'>,
  gen: number,
): number {
  const M = recipe.samplesPerGeneration;
  return recipe.regime === 'accumulate' ? (gen + 1) * M : M;
}

/** Adam steps of one fine-tuning on n passages (every epoch ends with a partial batch if any). */
export function transformerSteps(
  recipe: Pick<StepRecipe, 'epochs' | 'batchSize'>,
  n: number,
): number {
  if (n <= 0) return 0;
  const batch = Math.max(1, Math.min(Math.floor(recipe.batchSize), n));
  return Math.max(0, Math.floor(recipe.epochs)) * Math.ceil(n / batch);
}

const shapeOf = (recipe: Pick<StepRecipe, 'batchSize'>) => `transformer:${recipe.batchSize}`;

/**
 * A short piece of the recipe's real workload for the backend race: three Adam steps of the base
 * on a batch of random tokens. Records the time per step for the backend it ran on.
 */
export function transformerProbe(
  recipe: Pick<StepRecipe, 'batchSize'>,
  data: TransformerData,
): () => Promise<void> {
  const B = Math.max(1, recipe.batchSize);
  const T = PASSAGE_TOKENS - 1;
  const rng = createRng(0x7a5eed);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(data.tokenizer.vocabSize));
  const targets = Int32Array.from({ length: B * T }, () => rng.int(data.tokenizer.vocabSize));
  return async () => {
    const gpt = Gpt.fromValues(data.base.header, data.base.values);
    try {
      // The first step builds the kernels (and Adam's moments): time the two after it.
      await gpt.trainStep(ids, targets, B, T, { learningRate: 1e-4, readLoss: true });
      const t0 = performance.now();
      await gpt.trainStep(ids, targets, B, T, { learningRate: 1e-4 });
      await gpt.trainStep(ids, targets, B, T, { learningRate: 1e-4, readLoss: true });
      recordStepMs(shapeOf(recipe), (performance.now() - t0) / 2);
    } finally {
      gpt.dispose();
    }
  };
}

export function transformerProgress(
  recipe: StepRecipe & Pick<RecipeFor<'transformer'>, 'generations' | 'replicates'>,
  ctx: JobContext,
): TrainingProgressReporter {
  return trainingProgress(
    {
      generations: recipe.generations,
      replicates: recipe.replicates,
      epochs: recipe.epochs,
      stepsPerChain: (g) => transformerSteps(recipe, transformerTrainingSize(recipe, g)),
      shape: shapeOf(recipe),
    },
    ctx,
  );
}
