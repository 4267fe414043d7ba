// One whole run of a recipe, as the CLI and exports report it: per-generation summaries across
// replicates (chain-level samples left out) and the closed-form theory where there is one.
import type { GaussianMetric } from './gaussian';
import { simulateGaussian1d } from './loop';
import type { Recipe } from './recipe';
import type { Summary } from './summary';
import { type GaussianTheoryPoint, gaussianTheory } from './theory';

export interface ExperimentOutput {
  recipe: Recipe;
  backend: string;
  elapsedMs: number;
  generations: { generation: number; stats: Record<GaussianMetric, Summary> }[];
  theory: GaussianTheoryPoint[] | null;
}

export function runExperiment(recipe: Recipe): ExperimentOutput {
  const start = performance.now();
  const generations: ExperimentOutput['generations'] = [];
  for (const g of simulateGaussian1d(recipe)) {
    generations.push({ generation: g.generation, stats: g.stats });
  }
  return {
    recipe,
    backend: 'cpu',
    elapsedMs: Math.round((performance.now() - start) * 10) / 10,
    generations,
    theory: gaussianTheory(recipe)?.points ?? null,
  };
}
