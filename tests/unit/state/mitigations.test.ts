// The URL codec with the mitigation groups: a group's sub-fields under their own short names,
// written only when the group is on, read back as the group when any is there, and a bad
// sub-value dropping that sub-field alone.
import { describe, expect, it } from 'vitest';
import { type AnyRecipe, DEFAULT_RECIPES, MODELS, parseRecipe } from '../../../src/core/recipe';
import { deserializeState, serializeState } from '../../../src/state/urlCodec';

const GROUP_SHORTS = ['sf', 'st', 'so', 'tpr', 'fpr', 'ck', 'cb', 'ca'];

function withGroups(model: (typeof MODELS)[number]): AnyRecipe {
  const r = parseRecipe({
    ...DEFAULT_RECIPES[model],
    syntheticSchedule: { from: 0.15, to: 0.85, over: 3 },
    filter: { truePositiveRate: 0.55, falsePositiveRate: 0.125 },
    curation: { keep: 0.35, by: 'model', accuracy: 0.6 },
  });
  if (!r.ok) throw new Error(r.error);
  expect(r.warnings).toEqual([]);
  return r.recipe;
}

describe('links with mitigations', () => {
  it.each(MODELS)('round-trip every group of %s under its sub-fields’ short names', (model) => {
    const recipe = withGroups(model);
    const hash = serializeState(recipe, 2);
    const keys = [...new URLSearchParams(hash).keys()];
    for (const s of GROUP_SHORTS) expect(keys).toContain(s);
    const back = deserializeState(`#${hash}`);
    expect(back.messages).toEqual([]);
    expect(back.recipe).toEqual(recipe);
    expect(back.generation).toBe(2);
  });

  it('write nothing of a group that is off', () => {
    for (const model of MODELS) {
      const keys = [...new URLSearchParams(serializeState(DEFAULT_RECIPES[model], null)).keys()];
      for (const s of GROUP_SHORTS) expect(keys).not.toContain(s);
    }
  });

  it('read a group back from any one of its sub-fields, the rest at their defaults', () => {
    const s = deserializeState('#tpr=0.5');
    expect(s.messages).toEqual([]);
    expect(s.recipe).toEqual({
      ...DEFAULT_RECIPES.gaussian1d,
      filter: { truePositiveRate: 0.5, falsePositiveRate: 0.05 },
    });
    const long = deserializeState('#model=gmm&curation.by=verifier&M=200');
    expect(long.messages).toEqual([]);
    expect((long.recipe as unknown as Record<string, unknown>).curation).toEqual({
      keep: 0.5,
      by: 'verifier',
      accuracy: 0.9,
    });
    expect(long.recipe.samplesPerGeneration).toBe(200);
  });

  it('clamp an out-of-range sub-value with a message naming group.field', () => {
    const s = deserializeState('#tpr=3&fpr=0.1');
    expect((s.recipe as unknown as Record<string, unknown>).filter).toEqual({
      truePositiveRate: 1,
      falsePositiveRate: 0.1,
    });
    expect(s.messages).toEqual(['filter.truePositiveRate: 3 is outside 0–1; clamped to 1']);
  });

  it('drop only a malformed sub-value, keeping the rest of the group and of the link', () => {
    const s = deserializeState('#tpr=abc&fpr=0.2&M=50&cb=crowd&ck=0.3');
    const r = s.recipe as unknown as Record<string, unknown>;
    expect(r.filter).toEqual({ truePositiveRate: 0.9, falsePositiveRate: 0.2 });
    expect(r.curation).toEqual({ keep: 0.3, by: 'model', accuracy: 0.9 });
    expect(s.recipe.samplesPerGeneration).toBe(50);
    const text = s.messages.join('\n');
    expect(text).toContain(
      'filter.truePositiveRate: expected a number, got "abc"; using the default',
    );
    expect(text).toContain('curation.by: "crowd" is not one of model, verifier; using the default');
  });

  it('warn when the VAE turns a verifier into its own ranking', () => {
    const s = deserializeState('#model=vae&cb=verifier');
    expect((s.recipe as unknown as Record<string, Record<string, unknown>>).curation.by).toBe(
      'model',
    );
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]).toMatch(/^curation\.by: /);
  });
});
