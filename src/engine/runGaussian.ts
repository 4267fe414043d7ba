// Runs the 1-D Gaussian loop (pure TypeScript, no tfjs) for the worker.
import { simulateGaussian1d } from '../core/loop';
import type { GaussianRecipe } from '../core/recipe';
import { type JobContext, streamGenerations } from './job';

export function runGaussian(recipe: GaussianRecipe, ctx: JobContext): Promise<void> {
  return streamGenerations(ctx, simulateGaussian1d(recipe), (g) => [
    g.chain.syntheticSamples.buffer as ArrayBuffer,
    g.chain.realSamples.buffer as ArrayBuffer,
  ]);
}
