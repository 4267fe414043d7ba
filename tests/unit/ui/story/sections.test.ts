import { describe, expect, it } from 'vitest';
import { MODELS, parseRecipe } from '../../../../src/core/recipe';
import { OPENING, SHOWN_WITHIN, storySections } from '../../../../src/ui/story/sections';

describe('the story sections', () => {
  const sections = [OPENING, ...storySections()];

  it('give every model in the registry a section, in the registry order, then the remedies', () => {
    const ids = storySections().map((s) => s.id);
    expect(ids).toEqual([...MODELS.filter((m) => !SHOWN_WITHIN[m]), 'remedies']);
  });

  it('show a model without a section of its own as a "try this" of its host’s section', () => {
    for (const [model, host] of Object.entries(SHOWN_WITHIN)) {
      const section = storySections().find((s) => s.id === host);
      expect(section?.model, model).toBe(host);
      expect(section?.tries.some((t) => t.recipe.model === model)).toBe(true);
    }
  });

  it('run the transformer in "Text that repeats itself", small, with the n-gram as its fast try', () => {
    const text = storySections().find((s) => s.title === 'Text that repeats itself');
    expect(text?.model).toBe('transformer');
    expect(text?.recipe).toMatchObject({
      model: 'transformer',
      samplesPerGeneration: 16,
      generations: 5,
      replicates: 1,
    });
    expect(text?.tries.map((t) => t.recipe.model)).toContain('ngram');
  });

  it('start and try only recipes that a link would load unchanged, with no warning', () => {
    for (const s of sections) {
      for (const recipe of [s.recipe, ...s.tries.map((t) => t.recipe)]) {
        const parsed = parseRecipe(JSON.parse(JSON.stringify(recipe)));
        expect(parsed.ok && parsed.warnings, `${s.id}: ${JSON.stringify(recipe)}`).toEqual([]);
        expect(parsed.ok && parsed.recipe).toEqual(recipe);
      }
    }
  });

  it('each have a "try this" recipe that differs from where the figure starts', () => {
    for (const s of sections) {
      expect(s.tries.length, s.id).toBeGreaterThan(0);
      for (const t of s.tries) expect(t.recipe, `${s.id}: ${t.label}`).not.toEqual(s.recipe);
    }
  });
});
