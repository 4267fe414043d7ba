// The backend of a model trained per generation (the VAE, the diffusion model): a race of a few
// training steps of the recipe's own model picks it, the badge names it, and the family gets what
// it needs to move down the ladder when that backend fails mid-run (a lost GPU included;
// fallback.ts).

import type { JobContext } from '../job/context';
import type { TrainingProgressReporter } from '../job/trainingProgress';
import type { BackendFallback } from './fallback';
import { activateBackend, activeBackend, ladderBelow, setUpTfjs, watchDeviceLoss } from './setup';

/**
 * Chooses the run's backend (`key`: the workload, so a slider move does not race again; `probe`:
 * the race's work) and reports it; empty for a cancelled run, which runRecipe disposes at once.
 */
export async function trainedBackend(
  ctx: JobContext,
  progress: Pick<TrainingProgressReporter, 'phase' | 'restart'>,
  key: string,
  probe: () => Promise<void>,
): Promise<BackendFallback> {
  if (ctx.cancelled()) return {};
  progress.phase('backend');
  const choice = await setUpTfjs(ctx.backendOverride, key, probe);
  // The badge names the backend tfjs reports, not the one asked for.
  const report = (reason: string) =>
    ctx.emit({ type: 'backend', backend: { name: activeBackend(), reason } });
  report(choice.reason);
  let lost: string | null = null;
  watchDeviceLoss((why) => {
    lost = why;
  });
  progress.restart();
  return {
    ladder: ladderBelow(choice.name),
    activate: activateBackend,
    report,
    takeLostReason: () => {
      const why = lost;
      lost = null;
      return why;
    },
  };
}
