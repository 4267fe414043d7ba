// The 1-D Gaussian needs no engine choice: its core family runs as it is (no tfjs).
import { gaussianFamily } from '../../../core/models/gaussian1d/family';
import type { AnyRecipe } from '../../../core/recipe';

export async function prepare(recipe: AnyRecipe) {
  if (recipe.model !== 'gaussian1d') throw new Error(`not a gaussian1d recipe: ${recipe.model}`);
  return gaussianFamily(recipe);
}
