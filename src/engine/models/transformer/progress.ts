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

/** Passages in the race's probe step: a GPU's cost per step is mostly per kernel, not per row. */
const PROBE_BATCH = 4;

/**
 * A short piece of the recipe's real workload for the backend race: one Adam step of the base on
 * PROBE_BATCH random passages (the race runs it four times per backend: a warm-up that compiles
 * the kernels, then three timed). A full batch took 3 s a step on WebGL emulated in software, and
 * the race's twelve steps kept a reader waiting half a minute before the first generation.
 * Records the time per step, scaled to the recipe's batch, for the backend it ran on.
 */
export function transformerProbe(
  recipe: Pick<StepRecipe, 'batchSize'>,
  data: TransformerData,
): () => Promise<void> {
  const B = Math.max(1, Math.min(PROBE_BATCH, recipe.batchSize));
  const T = PASSAGE_TOKENS - 1;
  const rng = createRng(0x7a5eed);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(data.tokenizer.vocabSize));
  const targets = Int32Array.from({ length: B * T }, () => rng.int(data.tokenizer.vocabSize));
  return async () => {
    const gpt = Gpt.fromValues(data.base.header, data.base.values);
    try {
      const t0 = performance.now();
      await gpt.trainStep(ids, targets, B, T, { learningRate: 1e-4, readLoss: true });
      recordStepMs(shapeOf(recipe), ((performance.now() - t0) * recipe.batchSize) / B);
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
