// Runs a recipe wherever the job context lives (the worker, the CLI): prepares the model's family
// from the registry, then drains the one generation loop into the context in batches.

import { simulate } from '../core/generation/loop';
import type { GenerationResult } from '../core/generation/types';
import type { AnyRecipe } from '../core/recipe';
import { FAMILIES } from './families';
import { type JobContext, streamGenerations } from './job';

/** The buffers of a result that can move to the page without a copy. */
export function transferables(g: GenerationResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const sample = g.chain.sample;
  if (sample) out.push(sample.values.buffer as ArrayBuffer, sample.origin.buffer as ArrayBuffer);
  for (const v of Object.values(g.chain.shown as Record<string, unknown>)) {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && !out.includes(v.buffer))
      out.push(v.buffer);
  }
  return out;
}

export async function runRecipe(recipe: AnyRecipe, ctx: JobContext): Promise<void> {
  const { prepare } = await FAMILIES[recipe.model]();
  const family = await prepare(recipe, ctx);
  if (ctx.cancelled()) {
    family.dispose?.();
    return;
  }
  await streamGenerations(ctx, simulate(recipe, family), transferables);
}
