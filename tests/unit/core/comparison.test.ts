// Lockstep comparisons: variants of one recipe that differ in one field, on common random numbers.
import { describe, expect, it } from 'vitest';
import { comparisonSpec, parseComparison } from '../../../src/core/comparison';
import { comparisonPresets, presetBase, presetLabels } from '../../../src/core/comparisonPresets';
import { simulate } from '../../../src/core/generation/loop';
import { gaussianFamily } from '../../../src/core/models/gaussian1d/family';
import { DEFAULT_RECIPES, type GaussianRecipe, parseRecipe } from '../../../src/core/recipe';
import { deserializeState, serializeState } from '../../../src/state/urlCodec';

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

describe('comparisons of a mitigation (a group field)', () => {
  it('reads off and sub-values joined by ":" in the group order, and writes them back canonically', () => {
    const c = parseComparison(base, 'filter=off, 1:0 ,0.50:0');
    if (!c.ok) throw new Error(c.error);
    const [off, perfect, leaky] = c.comparison.variants;
    expect(off.value).toBeNull();
    expect('filter' in off.recipe).toBe(false);
    expect(perfect.value).toEqual({ truePositiveRate: 1, falsePositiveRate: 0 });
    expect(leaky.value).toEqual({ truePositiveRate: 0.5, falsePositiveRate: 0 });
    expect(comparisonSpec(c.comparison)).toBe('filter=off,1:0,0.5:0');
    expect(c.comparison.fieldLabel).toBe('Watermark filter');
    expect(leaky.label).toBe('synthetic points caught 50 %, real points wrongly dropped 0 %');
    // Re-parsing the canonical text gives the same recipes.
    const again = parseComparison(base, comparisonSpec(c.comparison));
    if (!again.ok) throw new Error(again.error);
    expect(again.comparison.variants.map((v) => v.recipe)).toEqual(
      c.comparison.variants.map((v) => v.recipe),
    );
  });

  it('takes enum sub-values and hides a sub-field its sibling turns off in the label', () => {
    const c = parseComparison(base, 'curation=0.5:model:0.9,0.5:verifier:0.9');
    if (!c.ok) throw new Error(c.error);
    expect(c.comparison.variants[0].label).not.toMatch(/accuracy/);
    expect(c.comparison.variants[1].label).toMatch(/verifier accuracy 90 %/);
  });

  it.each([
    ['filter=off,1', /filter takes off or truePositiveRate:falsePositiveRate/],
    ['curation=off,0.5:oracle:1', /"oracle" is not one of/],
  ])('rejects %s with a message naming the field', (spec, message) => {
    const c = parseComparison(base, spec);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatch(message);
  });

  it('clamps a sub-value out of range with a warning naming the sub-field', () => {
    const c = parseComparison(base, 'filter=off,2:0');
    if (!c.ok) throw new Error(c.error);
    expect(c.comparison.variants[1].value).toEqual({ truePositiveRate: 1, falsePositiveRate: 0 });
    expect(c.comparison.variants[1].warnings.join(' ')).toMatch(/truePositiveRate/);
  });

  it('offers every preset where the model can run it as written', () => {
    expect(comparisonPresets('gaussian1d')).toHaveLength(8);
    expect(comparisonPresets('gmm')).toHaveLength(8);
    // The VAE has no density of real digits for a verifier: no curation preset.
    expect(comparisonPresets('vae').map((p) => p.name)).not.toContain('Curation');
  });

  it("uses a preset's names for its variants, and a link's comparison finds them again", () => {
    for (const model of ['gaussian1d', 'gmm', 'vae'] as const) {
      for (const p of comparisonPresets(model)) {
        const parsed = parseRecipe(presetBase(model, p, 7));
        if (!parsed.ok) throw new Error(parsed.error);
        const c = parseComparison(parsed.recipe, p.compare, p.labels);
        if (!c.ok) throw new Error(`${model} ${p.name}: ${c.error}`);
        expect(comparisonSpec(c.comparison), `${model} ${p.name}`).toBe(p.compare);
        expect(c.comparison.variants.map((v) => v.label)).toEqual(p.labels);
        expect(presetLabels(model, comparisonSpec(c.comparison))).toEqual(p.labels);
        for (const v of c.comparison.variants) expect(v.recipe.seed).toBe(7);
      }
    }
  });
});

describe('a comparison in the link', () => {
  it('round-trips with the recipe, readable in the address bar', () => {
    const c = parseComparison(base, 'filter=off,1:0,0.5:0');
    if (!c.ok) throw new Error(c.error);
    const hash = serializeState(base, null, c.comparison);
    expect(hash).toContain('cmp=filter=off,1:0,0.5:0');
    const back = deserializeState(`#${hash}`);
    expect(back.messages).toEqual([]);
    expect(back.recipe).toEqual(base);
    expect(back.comparison?.variants.map((v) => v.recipe)).toEqual(
      c.comparison.variants.map((v) => v.recipe),
    );
  });

  it('drops a mangled comparison with a message and keeps the recipe', () => {
    const back = deserializeState('#model=gaussian1d&gens=6&cmp=seed=1,2');
    expect(back.comparison).toBeNull();
    expect(back.recipe.generations).toBe(6);
    expect(back.messages.join(' ')).toMatch(/cmp: compare: "seed" is not a field to compare/);
  });
});
