// The 1-D Gaussian needs no engine choice: its core family runs as it is (no tfjs).
import { gaussianFamily } from '../../../core/models/gaussian1d/family';
import type { GaussianRecipe } from '../../../core/recipe';

export async function prepare(recipe: GaussianRecipe) {
  return gaussianFamily(recipe);
}
