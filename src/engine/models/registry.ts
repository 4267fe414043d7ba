// Every model's family, by name, loaded on first use so that the first screen (the Gaussian)
// pulls in no tfjs. A family module prepares the family for a recipe in the worker or the CLI:
// it picks engines and backends, loads data, and reports through the job context. Adding a model
// adds one line here.
import type { ModelFamily } from '../../core/generation/types';
import type { AnyRecipe, Model } from '../../core/recipe';
import type { JobContext } from '../job/context';

export interface FamilyModule {
  prepare(recipe: AnyRecipe, ctx: JobContext): Promise<ModelFamily>;
}

export const FAMILIES: Record<Model, () => Promise<FamilyModule>> = {
  gaussian1d: () => import('./gaussian1d/prepare'),
  gmm: () => import('./gmm/prepare'),
  vae: () => import('./vae/prepare'),
  diffusion: () => import('./diffusion/prepare'),
  ngram: () => import('./ngram/prepare'),
};
