// Seeded runs of any model in Node, as the CLI runs them (the model's family prepared with the
// Node job context, then the one generation loop), kept whole: chain 1's shown model and sample
// included, which is what the charts draw.

import { simulate } from '../../../src/core/generation/loop';
import type { GenerationResult } from '../../../src/core/generation/types';
import { parseRecipe } from '../../../src/core/recipe';
import { nodeJob } from '../../../src/engine/job/nodeJob';
import { prepareFamily } from '../../../src/engine/models/registry';

export async function seededRun<Shown>(
  raw: Record<string, unknown>,
): Promise<GenerationResult<string, Shown>[]> {
  const parsed = parseRecipe(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  const recipe = parsed.recipe;
  const family = await prepareFamily(recipe, nodeJob());
  const out: GenerationResult<string, Shown>[] = [];
  for await (const g of simulate(recipe, family as never))
    out.push(g as unknown as GenerationResult<string, Shown>);
  return out;
}
