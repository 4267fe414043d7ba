// Prepares the diffusion family for a run (the worker's or the CLI's): the tfjs backend (a race
// of a few Adam steps of the recipe's own DDPM, engine/backend/trained.ts), the badge, and the ladder to
// fall back on if that backend fails mid-run. The family itself is in diffusion/family.ts.
import { poolIssue } from '../../../core/generation/caps';
import { diffusionSpec } from '../../../core/models/diffusion/spec';
import type { DiffusionRecipe } from '../../../core/recipe';
import { trainedBackend } from '../../backend/trained';
import type { JobContext } from '../../job/context';
import { type DiffusionFamily, diffusionFamily } from './family';
import { diffusionProbe, diffusionProgress } from './progress';

export { RunCancelled } from '../../job/context';
export * from './constants';
export { Ddpm } from './ddpm';
export { type DiffusionFamily, type DiffusionModel, diffusionFamily } from './family';

export async function prepare(recipe: DiffusionRecipe, ctx: JobContext): Promise<DiffusionFamily> {
  const tooBig = poolIssue(recipe, diffusionSpec.storage());
  if (tooBig) throw new RangeError(tooBig);
  const progress = diffusionProgress(recipe, ctx);
  const backend = await trainedBackend(
    ctx,
    progress,
    `ddpm:${recipe.hiddenSize}`,
    diffusionProbe(recipe),
  );
  return diffusionFamily(recipe, { ctx, progress, ...backend });
}
