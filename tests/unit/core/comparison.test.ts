// Lockstep comparisons: variants of one recipe that differ in one field, on common random numbers.
import { describe, expect, it } from 'vitest';
import { parseComparison } from '../../../src/core/comparison';
import { simulate } from '../../../src/core/generation/loop';
import { gaussianFamily } from '../../../src/core/models/gaussian1d/family';
import { DEFAULT_RECIPES, type GaussianRecipe } from '../../../src/core/recipe';

const base: GaussianRecipe = { ...DEFAULT_RECIPES.gaussian1d, generations: 6, replicates: 40 };

async function stdMedians(r: GaussianRecipe): Promise<number[]> {
  const out: number[] = [];
  for await (const g of simulate(r, gaussianFamily(r))) out.push(g.stats.std.median);
  return out;
}

describe('parseComparison', () => {
  it('makes one validated recipe per value, differing only in the field', () => {
    const c = parseComparison(base, 'syntheticFraction=1, 0.9,0.5');
    if (!c.ok) throw new Error(c.error);
    expect(c.comparison.field).toBe('syntheticFraction');
    expect(c.comparison.variants.map((v) => v.value)).toEqual([1, 0.9, 0.5]);
    for (const v of c.comparison.variants) {
      expect({ ...v.recipe, syntheticFraction: 0 }).toEqual({ ...base, syntheticFraction: 0 });
    }
  });

  it('clamps a variant out of range with a warning, like any recipe', () => {
    const c = parseComparison(base, 'temperature=1,5');
    if (!c.ok) throw new Error(c.error);
    expect(c.comparison.variants[1].value).toBe(2);
    expect(c.comparison.variants[1].warnings[0]).toMatch(/^temperature: 5 is outside/);
  });

  it.each([
    ['regime', /expected field=value1,value2/],
    ['colour=red,blue', /"colour" is not a field to compare/],
    ['seed=1,2', /"seed" is not a field to compare/],
    ['regime=replace', /needs 2–4 values, got 1/],
    ['regime=a,b,c,d,e', /needs 2–4 values, got 5/],
    ['regime=replace,sideways', /regime: "sideways" is not one of/],
  ])('rejects %s with a message naming what is wrong', (spec, message) => {
    const c = parseComparison(base, spec);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatch(message);
  });
});

describe('variants on common random numbers', () => {
  it('are identical where they agree (generation 0) and differ after, by the field alone', async () => {
    const c = parseComparison(base, 'regime=replace,accumulate');
    if (!c.ok) throw new Error(c.error);
    const [a, b] = await Promise.all(
      c.comparison.variants.map((v) => stdMedians(v.recipe as GaussianRecipe)),
    );
    expect(a[0]).toBe(b[0]);
    expect(a[6]).not.toBe(b[6]);
    // The same variant again gives the same numbers.
    expect(await stdMedians(c.comparison.variants[0].recipe as GaussianRecipe)).toEqual(a);
  });
});
