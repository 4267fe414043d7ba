// A whole GMM run for the CLI in Node: the TS engine, or batched EM on tfjs (wasm, else cpu),
// or `auto` (whichever is faster, re-timed as the run goes; see createAutoGmmFitter).
import { type GmmFitter, simulateGmm, tsGmmFitter } from '../core/gmmLoop';
import type { GmmMetric } from '../core/gmmMetrics';
import type { GmmRecipe } from '../core/recipe';
import type { Summary } from '../core/summary';
import { createAutoGmmFitter, createTfjsGmmFitter, describeAutoChoice } from './gmmFitters';
import { setUpTfjs } from './tfSetup';

export interface GmmExperimentOutput {
  recipe: GmmRecipe;
  backend: string;
  backendReason: string;
  elapsedMs: number;
  generations: { generation: number; stats: Record<GmmMetric, Summary> }[];
}

export async function runGmmExperiment(
  recipe: GmmRecipe,
  override: string | null = null,
): Promise<GmmExperimentOutput> {
  let backend = 'ts';
  let backendReason = 'plain TypeScript engine';
  let fitter: GmmFitter = tsGmmFitter;
  let refitted = 0;
  if (recipe.engine !== 'ts') {
    const choice = await setUpTfjs(override, 'cli');
    const tfjs = createTfjsGmmFitter({ onRefit: (chains) => (refitted += chains.length) });
    backend = choice.name;
    backendReason = choice.reason;
    fitter =
      recipe.engine === 'tfjs'
        ? tfjs
        : createAutoGmmFitter(tfjs, (engine, tsMs, tfjsMs, info) => {
            backend = engine === 'ts' ? 'ts' : choice.name;
            backendReason = describeAutoChoice(engine, tsMs, tfjsMs, info, choice.name);
          });
  }
  const start = performance.now();
  const generations: GmmExperimentOutput['generations'] = [];
  for await (const g of simulateGmm(recipe, fitter))
    generations.push({ generation: g.generation, stats: g.stats });
  return {
    recipe,
    backend,
    backendReason: refitted
      ? `${backendReason}; ${refitted} chain fits refitted on the TypeScript engine`
      : backendReason,
    elapsedMs: Math.round((performance.now() - start) * 10) / 10,
    generations,
  };
}
