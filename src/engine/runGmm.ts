// Runs a Gaussian-mixture recipe in the worker: picks the engine (plain TS, or batched EM on the
// best tfjs backend), streams generations, and falls back down the backend ladder if a backend
// fails mid-run.
import { type GmmFitter, simulateGmm, tsGmmFitter } from '../core/gmmLoop';
import type { GmmRecipe } from '../core/recipe';
import { BACKEND_LABELS } from './backend';
import {
  createAutoGmmFitter,
  createTfjsGmmFitter,
  describeAutoChoice,
  withBackendFallback,
} from './gmmFitters';
import { gmmProbe } from './gmmProbe';
import { type JobContext, streamGenerations } from './job';
import { activateBackend, activeBackend, ladderBelow, setUpTfjs, watchDeviceLoss } from './tfSetup';

export async function runGmm(recipe: GmmRecipe, ctx: JobContext): Promise<void> {
  const fitter = await chooseFitter(recipe, ctx);
  if (ctx.cancelled()) return;
  await streamGenerations(ctx, simulateGmm(recipe, fitter), (g) => [
    g.chain.samples.buffer as ArrayBuffer,
    g.chain.synthetic.buffer as ArrayBuffer,
  ]);
}

async function chooseFitter(recipe: GmmRecipe, ctx: JobContext): Promise<GmmFitter> {
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
  let refitted = 0;
  const onRefit = (chains: number[]) => {
    refitted += chains.length;
    report(`${choice.reason} — ${refitted} chain fits refitted on the TypeScript engine`);
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
