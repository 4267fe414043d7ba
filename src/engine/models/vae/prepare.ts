// Prepares the VAE family for a run (the worker's or the CLI's): the shipped digits and classifier
// (loaded once per worker), the tfjs backend (a race of a few Adam steps of the recipe's own
// VAE, engine/backend/trained.ts), the badge, and the ladder to fall back on if that backend fails before generation 0 is
// shown. The family itself is in vae/family.ts.
import { poolIssue } from '../../../core/generation/caps';
import { vaeSpec } from '../../../core/models/vae/spec';
import type { VaeRecipe } from '../../../core/recipe';
import { trainedBackend } from '../../backend/trained';
import type { JobContext } from '../../job/context';
import { loadVaeData } from './data';
import { type VaeFamily, vaeFamily } from './family';
import { vaeProbe, vaeProgress } from './progress';

export { RunCancelled } from '../../job/context';
export * from './constants';
export { digitWalk, forgetVaeData, loadVaeData, realDigits, type VaeData } from './data';
export { type VaeChain, type VaeFamily, type VaeModel, vaeFamily } from './family';
export { vaeProbe } from './progress';

export async function prepare(recipe: VaeRecipe, ctx: JobContext): Promise<VaeFamily> {
  // The loop would refuse it too; say so before loading anything.
  const tooBig = poolIssue(recipe, vaeSpec.storage());
  if (tooBig) throw new RangeError(tooBig);
  const progress = vaeProgress(recipe, ctx);
  progress.phase('loading');
  const data = await loadVaeData(ctx.loadData);
  const backend = await trainedBackend(
    ctx,
    progress,
    `vae:${recipe.hiddenSize}:${recipe.latentSize}:${recipe.batchSize}`,
    vaeProbe(recipe),
  );
  return vaeFamily(recipe, { data, ctx, progress, ...backend });
}
