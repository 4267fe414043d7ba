// Degenerate and exploding data for every model in the registry (a model that lands later is
// covered by its spec): the fewest points per generation, λ at both ends of its slider (λ = 2: the
// spread grows without bound; λ = 0.1: it collapses to a point), K above the distinct points where
// a model has components, long runs for the models that run in plain TypeScript. What reaches the
// views (through the guard) holds no NaN, and anything left out is said in a note.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/generation/loop';
import {
  type AnyRecipe,
  DEFAULT_RECIPES,
  fieldsOf,
  forRecipe,
  MODELS,
  type Model,
  parseRecipe,
} from '../../../src/core/recipe';
import { nodeJob } from '../../../src/engine/job/nodeJob';
import { prepareFamily } from '../../../src/engine/models/registry';
import { allFinite, guardResult } from '../../../src/state/guard';

/** An extreme recipe of `model` at temperature `t`: long for plain-TS models, short for tfjs ones. */
function extreme(model: Model, t: number): AnyRecipe {
  const fields = fieldsOf(model);
  const raw: Record<string, unknown> = { model, temperature: t, replicates: 2, seed: 5 };
  const num = (k: string) => fields[k] as { min: number; max: number };
  raw.samplesPerGeneration = num('samplesPerGeneration').min;
  const probe = { ...DEFAULT_RECIPES[model], engine: 'ts' as const };
  const cheap = forRecipe(probe).parallelChains?.(probe) ?? false;
  raw.generations = cheap ? Math.min(1000, num('generations').max) : 2;
  if ('components' in fields) raw.components = num('components').max;
  if ('engine' in fields) raw.engine = 'ts';
  // The tfjs models train as little as they allow (their numbers, not their quality, are tested).
  for (const k of ['epochs', 'hiddenSize', 'steps']) if (k in fields && !cheap) raw[k] = num(k).min;
  const p = parseRecipe(raw);
  if (!p.ok) throw new Error(p.error);
  return p.recipe;
}

describe('every model at the ends of its sliders', { timeout: 600_000 }, () => {
  it.each(MODELS.flatMap((m) => [[m, 2] as const, [m, 0.1] as const]))(
    '%s at λ = %s: no NaN reaches a view, and what is left out is noted',
    async (model, t) => {
      const recipe = extreme(model, t);
      const family = await prepareFamily(recipe, nodeJob());
      let last = -1;
      for await (const g of simulate(recipe, family as never)) {
        const shown = guardResult(g);
        for (const s of Object.values(shown.stats)) {
          if (s === null) continue;
          for (const v of [s.mean, s.median, s.q05, s.q25, s.q75, s.q95])
            expect(Number.isNaN(v), `${model} generation ${g.generation}`).toBe(false);
        }
        if (shown.chain.shown !== null) expect(allFinite(shown.chain.shown)).toBe(true);
        else expect(shown.notes.some((n) => n.startsWith("chain 1's model"))).toBe(true);
        last = g.generation;
      }
      expect(last).toBe(recipe.generations);
    },
  );
});
