// A whole GMM run for the CLI in Node: the TS engine, or batched EM on tfjs (wasm, else cpu),
// or `auto` (whichever is faster on the first generation).
import { type GmmFitter, simulateGmm, tsGmmFitter } from '../core/gmmLoop';
import type { GmmMetric } from '../core/gmmMetrics';
import type { GmmRecipe } from '../core/recipe';
import type { Summary } from '../core/summary';
import { createAutoGmmFitter, createTfjsGmmFitter } from './gmmFitters';
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
  if (recipe.engine !== 'ts') {
    const choice = await setUpTfjs(override, 'cli');
    const tfjs = createTfjsGmmFitter();
    backend = choice.name;
    backendReason = choice.reason;
    fitter =
      recipe.engine === 'tfjs'
        ? tfjs
        : createAutoGmmFitter(tfjs, (engine, tsMs, tfjsMs) => {
            if (engine === 'ts') backend = 'ts';
            backendReason = `${engine === 'ts' ? 'TypeScript' : choice.name} was faster on generation 0 (TypeScript ${tsMs.toFixed(1)} ms, ${choice.name} ${tfjsMs.toFixed(1)} ms)`;
          });
  }
  const start = performance.now();
  const generations: GmmExperimentOutput['generations'] = [];
  for await (const g of simulateGmm(recipe, fitter))
    generations.push({ generation: g.generation, stats: g.stats });
  return {
    recipe,
    backend,
    backendReason,
    elapsedMs: Math.round((performance.now() - start) * 10) / 10,
    generations,
  };
}
