// Property-based tests of the comparison parser (`field=v1,v2,…` from the CLI's --compare and a
// link's `cmp`) with hostile specs: every spec is accepted as 2–4 valid variants that differ from
// the recipe in that one field, or rejected with one line starting "compare:"; nothing throws.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseComparison } from '../../../src/core/comparison';
import { type AnyRecipe, parseRecipe } from '../../../src/core/recipe';
import { checkRecipe } from '../fuzz/checks';
import {
  assertNoPollution,
  hostileKey,
  hostileString,
  nearlyGoodRecipe,
  POLLUTING_KEYS,
  runs,
} from '../fuzz/hostile';

afterEach(assertNoPollution);

const baseRecipe = nearlyGoodRecipe
  .map((input) => parseRecipe(input))
  .filter((p) => p.ok)
  .map((p) => (p as { recipe: AnyRecipe }).recipe);

const spec = fc.oneof(
  hostileString,
  fc
    .tuple(hostileKey, fc.array(fc.oneof(hostileString, fc.double().map(String)), { maxLength: 6 }))
    .map(([k, vs]) => `${k}=${vs.join(',')}`),
);

describe('parseComparison under fuzzing', { timeout: 120_000 }, () => {
  it('accepts 2–4 valid variants differing in the one field, or names what is wrong', () => {
    let accepted = 0;
    fc.assert(
      fc.property(baseRecipe, spec, (recipe, text) => {
        const c = parseComparison(recipe, text);
        assertNoPollution();
        if (!c.ok) {
          expect(c.error).toMatch(/^compare: /);
          expect(c.error).not.toMatch(/[\r\n]/);
          expect(c.error.length).toBeLessThan(1000);
          return;
        }
        accepted++;
        const { field, variants } = c.comparison;
        expect(variants.length).toBeGreaterThanOrEqual(2);
        expect(variants.length).toBeLessThanOrEqual(4);
        for (const v of variants) {
          checkRecipe(v.recipe);
          const r = v.recipe as unknown as Record<string, unknown>;
          expect(r[field]).toBe(v.value);
          expect(r.seed).toBe(recipe.seed);
          expect(r.model).toBe(recipe.model);
        }
      }),
      { numRuns: runs(3000) },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('does not take prototype keys for fields', () => {
    const [recipe] = fc.sample(baseRecipe, { numRuns: 1, seed: 1 });
    for (const k of POLLUTING_KEYS) {
      const c = parseComparison(recipe, `${k}=1,2`);
      expect(c.ok).toBe(false);
      if (!c.ok) expect(c.error).toMatch(new RegExp(`^compare: "${k}" is not a field to compare`));
    }
  });
});
