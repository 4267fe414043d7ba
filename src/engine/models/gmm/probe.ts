// A short piece of a GMM recipe's real workload, for racing tfjs backends: a few batched EM
// iterations over as many chains and points as the recipe has, on random data.
import type { GmmRecipe } from '../../../core/recipe';
import { createRng } from '../../../core/rng';
import { fitGmmBatched } from './batchedEm';

export function gmmProbe(recipe: GmmRecipe): () => Promise<void> {
  const R = recipe.replicates;
  const n = recipe.samplesPerGeneration;
  const d = recipe.dimensions;
  const K = recipe.components;
  const rng = createRng(0x9b0be);
  const data = new Float64Array(R * n * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  const weights = new Float64Array(R * K).fill(1 / K);
  const means = new Float64Array(R * K * d);
  for (let i = 0; i < means.length; i++) means[i] = rng.normal();
  const covariances = new Float64Array(R * K * d * d);
  for (let i = 0; i < R * K; i++) {
    covariances[i * d * d] = 1;
    if (d === 2) covariances[i * 4 + 3] = 1;
  }
  return async () => {
    await fitGmmBatched({
      data,
      R,
      n,
      d,
      K,
      init: { weights, means, covariances },
      tol: 0,
      maxIter: 2,
      regCovar: 1e-6,
    });
  };
}
