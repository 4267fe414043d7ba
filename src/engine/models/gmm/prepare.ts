// Prepares the mixture family for a run: the engine (plain TS, batched EM on the best tfjs
// backend, or `auto` between them), the backend badge, and the fall back down the backend ladder
// when a backend fails mid-run.
import { type GmmFamily, gmmFamily } from '../../../core/models/gmm/family';
import { type GmmFitter, tsGmmFitter } from '../../../core/models/gmm/fitter';
import type { GmmRecipe } from '../../../core/recipe';
import { BACKEND_LABELS } from '../../backend/ladder';
import {
  activateBackend,
  activeBackend,
  ladderBelow,
  setUpTfjs,
  watchDeviceLoss,
} from '../../backend/setup';
import type { JobContext } from '../../job/context';
import {
  createAutoGmmFitter,
  createTfjsGmmFitter,
  describeAutoChoice,
  withBackendFallback,
} from './fitters';
import { gmmProbe } from './probe';

export async function prepare(recipe: GmmRecipe, ctx: JobContext): Promise<GmmFamily> {
  // Fits come once per generation: count them so notices name the generation.
  let generation = -1;
  const inner = await chooseFitter(recipe, ctx, () => generation);
  const fitter: GmmFitter = {
    fit(batch) {
      generation++;
      return inner.fit(batch);
    },
  };
  return gmmFamily(recipe, { fitter });
}

async function chooseFitter(
  recipe: GmmRecipe,
  ctx: JobContext,
  generation: () => number,
): Promise<GmmFitter> {
  if (recipe.engine === 'ts') {
    ctx.emit({
      type: 'backend',
      backend: { name: 'ts', reason: 'Plain TypeScript engine, as the recipe asks' },
    });
    return tsGmmFitter;
  }
  // Workloads of a similar size share a backend choice (chains and points by powers of two).
  const size = (v: number) => Math.round(Math.log2(v));
  const key = `gmm:${size(recipe.replicates)}:${size(recipe.samplesPerGeneration)}:${recipe.components}:${recipe.dimensions}`;
  const choice = await setUpTfjs(ctx.backendOverride, key, gmmProbe(recipe));
  // The badge names the backend tfjs reports, not the one we asked for.
  const report = (reason: string) =>
    ctx.emit({ type: 'backend', backend: { name: activeBackend(), reason } });
  const onRefit = (chains: number[]) => {
    const g = generation();
    ctx.emit({
      type: 'notice',
      notice: {
        generation: g,
        message: `Generation ${g}: batched EM gave no usable fit for ${chains.length} chain${chains.length > 1 ? 's' : ''} (${chains.map((c) => c + 1).join(', ')}); refitted on the TypeScript engine`,
      },
    });
  };
  const tfjs = withBackendFallback(createTfjsGmmFitter({ onRefit }), {
    ladder: ladderBelow(choice.name),
    activate: activateBackend,
    onFallback: (_to, reason) => report(reason),
  });
  watchDeviceLoss((why) => tfjs.markLost(why));
  if (recipe.engine === 'tfjs') {
    report(choice.reason);
    return tfjs;
  }
  report(`${choice.reason} — timing it against the TypeScript engine…`);
  return createAutoGmmFitter(tfjs, (engine, tsMs, tfjsMs, info) => {
    const why = describeAutoChoice(engine, tsMs, tfjsMs, info, BACKEND_LABELS[activeBackend()]);
    if (engine === 'tfjs') report(`${choice.reason} — ${why}`);
    else ctx.emit({ type: 'backend', backend: { name: 'ts', reason: why } });
  });
}
