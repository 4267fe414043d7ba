// The recipe schema's memory clamp for the VAE agrees with what the VAE loop can hold.
import { describe, expect, it } from 'vitest';
import { parseRecipe, type VaeRecipe } from '../../../src/core/recipe';
import { vaeMemoryIssue } from '../../../src/engine/vaeLoop';

describe('VAE recipes', () => {
  it.each(['accumulate', 'accumulate-subsample'])(
    'are clamped so that %s pools fit, with a warning naming generations',
    (regime) => {
      const big = {
        model: 'vae',
        regime,
        samplesPerGeneration: 8000,
        generations: 50,
        replicates: 4,
      };
      const r = parseRecipe(big);
      if (!r.ok) throw new Error(r.error);
      const recipe = r.recipe as VaeRecipe;
      expect(recipe.generations).toBeLessThan(50);
      expect(r.warnings.some((w) => w.startsWith('generations:'))).toBe(true);
      expect(vaeMemoryIssue(recipe)).toBeNull();
      // One more generation than the clamp allows would not fit.
      expect(vaeMemoryIssue({ ...recipe, generations: recipe.generations + 1 })).not.toBeNull();
    },
  );

  it('leave replace runs alone', () => {
    const r = parseRecipe({
      model: 'vae',
      regime: 'replace',
      samplesPerGeneration: 8000,
      generations: 50,
    });
    expect(r.ok && r.recipe.generations).toBe(50);
    if (r.ok) expect(vaeMemoryIssue(r.recipe as VaeRecipe)).toBeNull();
  });
});
