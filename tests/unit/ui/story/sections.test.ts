import { describe, expect, it } from 'vitest';
import { MODELS, parseRecipe } from '../../../../src/core/recipe';
import { OPENING, storySections } from '../../../../src/ui/story/sections';

describe('the story sections', () => {
  const sections = [OPENING, ...storySections()];

  it('give every model in the registry a section, in the registry order, then the remedies', () => {
    const ids = storySections().map((s) => s.id);
    expect(ids).toEqual([...MODELS, 'remedies']);
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
