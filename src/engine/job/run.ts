// Runs a recipe wherever the job context lives (the worker, the CLI): prepares the model's family
// from the registry, then drains the one generation loop into the context in batches.
import { runChains, simulate } from '../../core/generation/loop';
import type { ChainView, GenerationPart, GenerationResult } from '../../core/generation/types';
import type { AnyRecipe } from '../../core/recipe';
import { prepareFamily } from '../models/registry';
import { type JobContext, streamGenerations } from './context';

/** The buffers of a result that can move to the page without a copy. */
export function transferables(g: { chain: ChainView<unknown> | null }): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  if (!g.chain) return out;
  const sample = g.chain.sample;
  if (sample) out.push(sample.values.buffer as ArrayBuffer, sample.origin.buffer as ArrayBuffer);
  for (const v of Object.values(g.chain.shown as Record<string, unknown>)) {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && !out.includes(v.buffer))
      out.push(v.buffer);
  }
  return out;
}

const partBuffers = (p: GenerationPart): ArrayBuffer[] => [
  ...Object.values(p.values).map((v) => (v as Float64Array).buffer as ArrayBuffer),
  ...transferables(p),
];

/**
 * Runs `recipe` (all chains, or only `chains` [start, end) as one worker of a pool, streaming
 * per-chain parts that the page merges). Generations before `from` are replayed, not posted.
 */
export async function runRecipe(
  recipe: AnyRecipe,
  ctx: JobContext,
  chains?: [number, number],
  from = 0,
): Promise<void> {
  const family = await prepareFamily(recipe, ctx);
  if (ctx.cancelled()) {
    family.dispose?.();
    return;
  }
  if (chains) {
    await streamGenerations(
      ctx,
      runChains(recipe, family, { chains }),
      (items: GenerationPart[]) => ({ type: 'parts', items }),
      partBuffers,
      from,
    );
  } else {
    await streamGenerations(
      ctx,
      simulate(recipe, family),
      (items: GenerationResult[]) => ({ type: 'batch', items }),
      transferables,
      from,
    );
  }
}
