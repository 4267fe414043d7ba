// Every model's family, by name, loaded on first use so that the first screen (the Gaussian)
// pulls in no tfjs. A family module prepares the family for a recipe in the worker or the CLI:
// it picks engines and backends, loads data, and reports through the job context. Adding a model
// adds one line here.
import type { ModelFamily } from '../../core/generation/types';
import type { AnyRecipe, Model, RecipeFor } from '../../core/recipe';
import type { JobContext } from '../job/context';

/** A model's family module: its prepare takes that model's recipe and no other. */
export interface FamilyModule<M extends Model> {
  prepare(recipe: RecipeFor<M>, ctx: JobContext): Promise<ModelFamily>;
}

export const FAMILIES: { [M in Model]: () => Promise<FamilyModule<M>> } = {
  gaussian1d: () => import('./gaussian1d/prepare'),
  gmm: () => import('./gmm/prepare'),
  vae: () => import('./vae/prepare'),
  diffusion: () => import('./diffusion/prepare'),
  ngram: () => import('./ngram/prepare'),
  transformer: () => import('./transformer/prepare'),
};

/**
 * Loads the family of a recipe's own model and prepares it for the recipe: the one dispatch from a
 * recipe of any model to its family. TypeScript does not follow that `FAMILIES[recipe.model]` is
 * the module of the very model `recipe` is of (the two unions are not tied together), so the cast
 * says it once; each prepare is typed by its model.
 */
export async function prepareFamily(recipe: AnyRecipe, ctx: JobContext): Promise<ModelFamily> {
  const load = FAMILIES[recipe.model] as () => Promise<{
    prepare(recipe: AnyRecipe, ctx: JobContext): Promise<ModelFamily>;
  }>;
  const { prepare } = await load();
  return prepare(recipe, ctx);
}
