// How a generation's M new points split between the previous model's samples and real data.
// Kept apart from the recipe schema so the worker's first chunk needs no schema library.

/** Number of points each generation takes from the previous model: round(M × share). */
export function syntheticCount(recipe: {
  samplesPerGeneration: number;
  syntheticFraction: number;
}): number {
  return Math.round(recipe.samplesPerGeneration * recipe.syntheticFraction);
}
