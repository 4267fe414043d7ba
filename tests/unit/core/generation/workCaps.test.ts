// The work cap (generation/caps.ts capWork): a link asking for more work than a page can do in
// about a minute is cut (replicates first, then generations) with a message naming the field;
// no default, no preset and no slider's end alone of any model is cut; the trained models (VAE,
// diffusion) get half an hour, and a link with every slider at its end is cut to fit.
import { describe, expect, it } from 'vitest';
import type { Field } from '../../../../src/core/fields';
import { capWork, MAX_WORK, runWork } from '../../../../src/core/generation/caps';
import {
  type AnyRecipe,
  DEFAULT_RECIPES,
  fieldsOf,
  forRecipe,
  MODELS,
  parseRecipe,
  specOf,
} from '../../../../src/core/recipe';

const costOf = (recipe: AnyRecipe) => forRecipe(recipe).workPerPoint(recipe);

describe('capWork', () => {
  it('cuts 1,000 replicates × 10,000 samples × 1,000 generations of the Gaussian to fit', () => {
    const p = parseRecipe({ replicates: 1000, samplesPerGeneration: 10_000, generations: 1000 });
    if (!p.ok) throw new Error(p.error);
    expect(p.recipe.replicates).toBe(Math.floor(MAX_WORK / (1001 * 10_000)));
    expect(p.recipe.generations).toBe(1000);
    expect(p.warnings).toEqual([
      `replicates: 1,000 chains × 10,000 points × 1,001 generations is more work than a page can do in about a minute; reduced to ${p.recipe.replicates}`,
    ]);
    expect(runWork(p.recipe, 1)).toBeLessThanOrEqual(MAX_WORK);
    // …and no more than needed: one more chain would not fit.
    expect(runWork({ ...p.recipe, replicates: p.recipe.replicates + 1 }, 1)).toBeGreaterThan(
      MAX_WORK,
    );
  });

  it('cuts generations too when one chain alone is too much', () => {
    const r = {
      regime: 'replace' as const,
      replicates: 1000,
      samplesPerGeneration: 10_000,
      generations: 5000,
    };
    const changes = capWork(r, 100);
    expect(changes.map((c) => c.field)).toEqual(['replicates', 'generations']);
    expect(r.replicates).toBe(1);
    expect(runWork(r, 100)).toBeLessThanOrEqual(MAX_WORK);
    expect(runWork({ ...r, generations: r.generations + 1 }, 100)).toBeGreaterThan(MAX_WORK);
  });

  it('cuts a mixture by its cost per point (K × d)', () => {
    const p = parseRecipe({
      model: 'gmm',
      replicates: 1000,
      samplesPerGeneration: 10_000,
      components: 25,
    });
    if (!p.ok) throw new Error(p.error);
    const cost = costOf(p.recipe);
    expect(cost).toBe(50);
    expect(p.recipe.replicates).toBe(Math.floor(MAX_WORK / (101 * 10_000 * 50)));
  });

  it('cuts a language model by its passages (64 tokens, more for longer contexts)', () => {
    const p = parseRecipe({
      model: 'ngram',
      replicates: 64,
      samplesPerGeneration: 4000,
      generations: 100,
      order: 5,
    });
    if (!p.ok) throw new Error(p.error);
    const cost = costOf(p.recipe);
    expect(cost).toBeCloseTo((64 * 40 * 5) / 3, 9);
    expect(p.recipe.replicates).toBe(Math.floor(MAX_WORK / (101 * 4000 * cost)));
    expect(p.warnings.join(' ')).toMatch(/^replicates: 64 chains × 4,000 points × 101 generations/);
  });

  it('leaves a recipe that fits alone', () => {
    const r = { replicates: 500, samplesPerGeneration: 100, generations: 1000 };
    expect(capWork({ ...r, regime: 'replace' }, 1)).toEqual([]);
  });

  it('cuts no default and no preset of any model', () => {
    for (const m of MODELS) {
      for (const recipe of [{}, ...specOf(m).presets.map((p) => p.recipe)]) {
        const p = parseRecipe({ ...DEFAULT_RECIPES[m], ...recipe });
        if (!p.ok) throw new Error(p.error);
        expect(
          p.warnings.filter((w) => w.includes('more work')),
          `${m} ${JSON.stringify(recipe)}`,
        ).toEqual([]);
      }
    }
  });

  it('cuts no slider’s end alone, of any model', () => {
    for (const m of MODELS) {
      for (const [name, f] of Object.entries(fieldsOf(m) as Record<string, Field>)) {
        if (f.kind === 'enum' || f.kind === 'group' || name === 'seed') continue;
        for (const value of [f.min, f.max]) {
          const p = parseRecipe({ ...DEFAULT_RECIPES[m], [name]: value });
          if (!p.ok) throw new Error(p.error);
          expect(
            p.warnings.filter((w) => w.includes('more work')),
            `${m} ${name}=${value}`,
          ).toEqual([]);
        }
      }
    }
  });

  it.each(['diffusion', 'vae'] as const)(
    'gives %s half an hour, and cuts a link with every slider at its end to fit',
    (m) => {
      const maxed = Object.fromEntries(
        Object.entries(fieldsOf(m) as Record<string, Field>)
          .filter(([name, f]) => (f.kind === 'int' || f.kind === 'number') && name !== 'seed')
          .map(([name, f]) => [name, (f as { max: number }).max]),
      );
      const p = parseRecipe({ ...DEFAULT_RECIPES[m], ...maxed });
      if (!p.ok) throw new Error(p.error);
      const work = p.warnings.filter((w) => w.includes('more work'));
      expect(work.length).toBeGreaterThan(0);
      for (const w of work)
        expect(w).toMatch(
          /^(replicates|generations|samplesPerGeneration): .* is more work than a page can do in about 30 minutes; reduced to \d+$/,
        );
      const cost = costOf(p.recipe);
      expect(runWork(p.recipe, cost)).toBeLessThanOrEqual(30 * MAX_WORK);
      // …and no more than needed: one more of what was cut last would not fit.
      const last = work[work.length - 1].split(':')[0] as 'generations' | 'samplesPerGeneration';
      const more = { ...p.recipe, [last]: p.recipe[last] + 1 };
      expect(runWork(more, cost)).toBeGreaterThan(30 * MAX_WORK);
    },
  );

  it('estimates the default diffusion run near its measured time', () => {
    // bench: 1.77 s a generation on Chromium's WebAssembly, 6 generations: about 10.6 s, at the
    // cap's 5e7 units a second. The estimate sets the cap, so it must be within a factor of 2.
    const r = DEFAULT_RECIPES.diffusion;
    const seconds = runWork(r, costOf(r)) / (MAX_WORK / 60);
    expect(seconds).toBeGreaterThan(10.6 / 2);
    expect(seconds).toBeLessThan(10.6 * 2);
  });
});
