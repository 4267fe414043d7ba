// Runs the 1-D Gaussian loop (pure TypeScript, no tfjs) for the worker.
import { type GenerationResult, simulateGaussian1d } from '../core/loop';
import type { GaussianRecipe } from '../core/recipe';
import { batcher, type JobContext } from './job';

export async function runGaussian(recipe: GaussianRecipe, ctx: JobContext): Promise<void> {
  const out = batcher<GenerationResult>(ctx, (g) => [
    g.chain.syntheticSamples.buffer as ArrayBuffer,
    g.chain.realSamples.buffer as ArrayBuffer,
  ]);
  const gen = simulateGaussian1d(recipe);
  for (;;) {
    const t0 = performance.now();
    const next = gen.next();
    ctx.addComputeMs(performance.now() - t0);
    if (next.done) break;
    out.push(next.value);
    if (await out.maybeYield()) return;
  }
  out.flush();
}
