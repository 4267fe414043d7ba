// The memory caps for the VAE, defined once (core/generation/caps.ts): the recipe parser clamps
// big accumulate recipes, and the loop and prepare() then accept exactly what it let through.
import { describe, expect, it } from 'vitest';
import { capRecipe, poolIssue } from '../../../../../src/core/generation/caps';
import { runChains } from '../../../../../src/core/generation/loop';
import type { ModelFamily } from '../../../../../src/core/generation/types';
import { vaeSpec } from '../../../../../src/core/models/vae/spec';
import { parseRecipe, type VaeRecipe } from '../../../../../src/core/recipe';

/** A family with the VAE's storage whose fit says the loop got past its checks. */
const reached = new Error('the loop accepted the recipe and fitted');
const stub: ModelFamily<'x', null, null, Uint8Array, null> = {
  metrics: ['x'],
  storage: vaeSpec.storage(),
  alloc: (n) => new Uint8Array(n),
  createChain: () => null,
  realSource: () => () => {},
  sample: () => {},
  fit: () => {
    throw reached;
  },
  score: () => {},
  shown: () => null,
  shownTrainingPoints: 0,
};
const firstStep = (recipe: VaeRecipe) => runChains(recipe, stub).next();

describe('VAE recipes past the memory caps', () => {
  it.each(['accumulate', 'accumulate-subsample'] as const)(
    '%s: parseRecipe clamps it (a warning names generations) and the loop accepts the result',
    async (regime) => {
      const r = parseRecipe({
        model: 'vae',
        regime,
        samplesPerGeneration: 8000,
        generations: 50,
        replicates: 4,
      });
      if (!r.ok) throw new Error(r.error);
      const recipe = r.recipe as VaeRecipe;
      expect(recipe.generations).toBeLessThan(50);
      expect(r.warnings.some((w) => w.startsWith('generations:'))).toBe(true);
      expect(poolIssue(recipe, vaeSpec.storage())).toBeNull();
      await expect(firstStep(recipe)).rejects.toBe(reached);
      // One more generation than the clamp allows: refused before any work.
      const over = { ...recipe, generations: recipe.generations + 1 };
      expect(poolIssue(over, vaeSpec.storage())).not.toBeNull();
      await expect(firstStep(over)).rejects.toThrow(RangeError);
      expect(capRecipe({ ...over }, vaeSpec.storage())).not.toEqual([]);
    },
  );

  it('leave replace runs alone', async () => {
    const r = parseRecipe({
      model: 'vae',
      regime: 'replace',
      samplesPerGeneration: 8000,
      generations: 50,
      replicates: 4,
    });
    if (!r.ok) throw new Error(r.error);
    // No memory cap; the work cap (half an hour, caps.ts capWork) takes one of the four chains.
    expect(r.warnings.filter((w) => w.includes('memory'))).toEqual([]);
    expect(r.recipe.generations).toBe(50);
    expect(r.recipe.samplesPerGeneration).toBe(8000);
    expect(r.warnings).toEqual([
      'replicates: 4 chains × 8,000 points × 51 generations is more work than a page can do in about 30 minutes; reduced to 3',
    ]);
    await expect(firstStep(r.recipe as VaeRecipe)).rejects.toBe(reached);
  });
});
