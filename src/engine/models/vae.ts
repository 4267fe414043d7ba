// Prepares the VAE family for a run (the worker's or the CLI's): the shipped digits and classifier
// (loaded once per worker), the tfjs backend (a race of a few Adam steps of the recipe's own
// VAE), the badge, and the ladder to fall back on if that backend fails before generation 0 is
// shown. The family itself is in vae/family.ts.
import { poolIssue } from '../../core/generation/caps';
import { vaeSpec } from '../../core/models/vae/spec';
import type { AnyRecipe } from '../../core/recipe';
import type { JobContext } from '../job';
import {
  activateBackend,
  activeBackend,
  ladderBelow,
  setUpTfjs,
  watchDeviceLoss,
} from '../tfSetup';
import { loadVaeData } from './vae/data';
import { type VaeFamily, vaeFamily } from './vae/family';
import { vaeProbe, vaeProgress } from './vae/progress';

export { RunCancelled } from '../job';
export * from './vae/constants';
export { digitWalk, forgetVaeData, loadVaeData, realDigits, type VaeData } from './vae/data';
export { type VaeChain, type VaeFamily, type VaeModel, vaeFamily } from './vae/family';
export { vaeProbe } from './vae/progress';

export async function prepare(recipe: AnyRecipe, ctx: JobContext): Promise<VaeFamily> {
  if (recipe.model !== 'vae') throw new Error(`not a vae recipe: ${recipe.model}`);
  // The loop would refuse it too; say so before loading anything.
  const tooBig = poolIssue(recipe, vaeSpec.storage());
  if (tooBig) throw new RangeError(tooBig);
  const progress = vaeProgress(recipe, ctx);
  progress.phase('loading');
  const data = await loadVaeData(ctx.loadData);
  let lost: string | null = null;
  const report = (reason: string) =>
    ctx.emit({ type: 'backend', backend: { name: activeBackend(), reason } });
  // A cancelled run gets its family without a backend race: runRecipe disposes it at once.
  if (!ctx.cancelled()) {
    progress.phase('backend');
    const choice = await setUpTfjs(
      ctx.backendOverride,
      `vae:${recipe.hiddenSize}:${recipe.latentSize}:${recipe.batchSize}`,
      vaeProbe(recipe),
    );
    // The badge names the backend tfjs reports, not the one asked for.
    report(choice.reason);
    watchDeviceLoss((why) => {
      lost = why;
    });
    progress.restart();
    return vaeFamily(recipe, {
      data,
      ctx,
      progress,
      ladder: ladderBelow(choice.name),
      activate: activateBackend,
      report,
      takeLostReason: () => {
        const why = lost;
        lost = null;
        return why;
      },
    });
  }
  return vaeFamily(recipe, { data, ctx, progress });
}
