// Prepares the transformer family for a run (the worker's or the CLI's): the tokeniser, the
// pretrained base and the text (loaded once per worker, data.ts), the tfjs backend (a race of a
// few fine-tuning steps of the base, engine/backend/trained.ts) and the badge. The family itself
// is in family.ts.
import { poolIssue } from '../../../core/generation/caps';
import { transformerSpec } from '../../../core/models/transformer/spec';
import type { RecipeFor } from '../../../core/recipe';
import { trainedBackend } from '../../backend/trained';
import type { JobContext } from '../../job/context';
import { loadTransformerData } from './data';
import { type TransformerFamily, transformerFamily } from './family';
import { transformerProbe, transformerProgress } from './progress';

export async function prepare(
  recipe: RecipeFor<'transformer'>,
  ctx: JobContext,
): Promise<TransformerFamily> {
  // The loop would refuse it too; say so before loading anything.
  const tooBig = poolIssue(recipe, transformerSpec.storage());
  if (tooBig) throw new RangeError(tooBig);
  const progress = transformerProgress(recipe, ctx);
  progress.phase('loading');
  const data = await loadTransformerData(ctx.loadData);
  await trainedBackend(
    ctx,
    progress,
    `transformer:${recipe.batchSize}`,
    transformerProbe(recipe, data),
  );
  return transformerFamily(recipe, { data, ctx, progress });
}
