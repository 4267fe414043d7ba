// Prepares the diffusion family for a run (the worker's or the CLI's): the tfjs backend (a race
// of a few Adam steps of the recipe's own DDPM) and the badge. The family itself is in
// diffusion/family.ts. (Unlike the VAE, a backend that fails mid-run ends the run with its error.)
import { poolIssue } from '../../core/generation/caps';
import { diffusionSpec } from '../../core/models/diffusion/spec';
import type { AnyRecipe } from '../../core/recipe';
import type { JobContext } from '../job';
import { activeBackend, setUpTfjs } from '../tfSetup';
import { type DiffusionFamily, diffusionFamily } from './diffusion/family';
import { diffusionProbe, diffusionProgress } from './diffusion/progress';

export { RunCancelled } from '../job';
export * from './diffusion/constants';
export { Ddpm } from './diffusion/ddpm';
export { type DiffusionFamily, type DiffusionModel, diffusionFamily } from './diffusion/family';

export async function prepare(recipe: AnyRecipe, ctx: JobContext): Promise<DiffusionFamily> {
  if (recipe.model !== 'diffusion') throw new Error(`not a diffusion recipe: ${recipe.model}`);
  const tooBig = poolIssue(recipe, diffusionSpec.storage());
  if (tooBig) throw new RangeError(tooBig);
  const progress = diffusionProgress(recipe, ctx);
  // A cancelled run gets its family without a backend race: runRecipe disposes it at once.
  if (!ctx.cancelled()) {
    progress.phase('backend');
    const choice = await setUpTfjs(
      ctx.backendOverride,
      `ddpm:${recipe.hiddenSize}`,
      diffusionProbe(recipe),
    );
    // The badge names the backend tfjs reports, not the one asked for.
    ctx.emit({ type: 'backend', backend: { name: activeBackend(), reason: choice.reason } });
    progress.restart();
  }
  return diffusionFamily(recipe, { ctx, progress });
}
