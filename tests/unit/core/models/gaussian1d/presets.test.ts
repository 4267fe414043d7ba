// Every preset of the 1-D Gaussian, run to its last generation: every statistic of every
// generation is a number (KL may be +∞ only where a chain collapsed to a point).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../../../src/core/generation/loop';
import { gaussianFamily } from '../../../../../src/core/models/gaussian1d/family';
import { gaussianSpec } from '../../../../../src/core/models/gaussian1d/spec';
import { DEFAULT_RECIPES, type GaussianRecipe, parseRecipe } from '../../../../../src/core/recipe';
import { SUMMARY_KEYS } from '../../../../../src/core/summary';

describe('the Gaussian presets', () => {
  it.each(gaussianSpec.presets.map((p) => [p.name, p.recipe] as const))(
    '"%s" stays finite for every generation',
    async (_name, fields) => {
      const parsed = parseRecipe({ ...DEFAULT_RECIPES.gaussian1d, ...fields });
      if (!parsed.ok) throw new Error(parsed.error);
      const r = parsed.recipe as GaussianRecipe;
      expect(r.generations).toBeGreaterThanOrEqual(200);
      let last = -1;
      for await (const g of simulate(r, gaussianFamily(r))) {
        for (const [metric, s] of Object.entries(g.stats)) {
          for (const k of SUMMARY_KEYS) {
            const v = s[k];
            const ok = Number.isFinite(v) || (metric === 'kl' && v === Number.POSITIVE_INFINITY);
            if (!ok) throw new Error(`${metric}.${k} = ${v} at generation ${g.generation}`);
          }
          expect(s.nonFinite).toBeUndefined();
        }
        last = g.generation;
      }
      expect(last).toBe(r.generations);
    },
    60_000,
  );
});
