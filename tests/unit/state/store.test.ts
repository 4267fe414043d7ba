// The store's comparison: it follows the recipe the reader changes, and ends (with a message)
// where it cannot; switching models keeps the mitigations and ends the comparison.
import { beforeEach, describe, expect, it } from 'vitest';
import { parseComparison } from '../../../src/core/comparison';
import { DEFAULT_RECIPES, parseRecipe } from '../../../src/core/recipe';
import { createAppStore } from '../../../src/state/store';

let useStore = createAppStore();

function start(spec: string) {
  const recipe = DEFAULT_RECIPES.gaussian1d;
  const c = parseComparison(recipe, spec);
  if (!c.ok) throw new Error(c.error);
  useStore.getState().setExperiment(recipe, c.comparison);
}

describe('a comparison in the store', () => {
  beforeEach(() => {
    useStore = createAppStore();
  });

  it('rebuilds every variant on a changed setting, keeping the compared values', () => {
    start('temperature=1,0.8');
    useStore.getState().setField('samplesPerGeneration', 50);
    const c = useStore.getState().comparison;
    expect(c?.variants.map((v) => v.recipe.samplesPerGeneration)).toEqual([50, 50]);
    expect(c?.variants.map((v) => v.recipe.temperature)).toEqual([1, 0.8]);
  });

  it('ends when switching models, keeping the mitigations for the new model', () => {
    const p = parseRecipe({
      ...DEFAULT_RECIPES.gaussian1d,
      filter: { truePositiveRate: 0.7, falsePositiveRate: 0.1 },
    });
    if (!p.ok) throw new Error(p.error);
    const c = parseComparison(p.recipe, 'regime=replace,accumulate');
    if (!c.ok) throw new Error(c.error);
    useStore.getState().setExperiment(p.recipe, c.comparison);
    useStore.getState().switchModel('gmm');
    const s = useStore.getState();
    expect(s.comparison).toBeNull();
    expect(s.recipe.model).toBe('gmm');
    expect((s.recipe as { filter?: unknown }).filter).toEqual({
      truePositiveRate: 0.7,
      falsePositiveRate: 0.1,
    });
  });

  it('keeps each variant’s results apart, the first as the run’s results', () => {
    start('temperature=1,0.8');
    const runId = useStore.getState().startRun();
    const r = (generation: number) => ({
      generation,
      stats: { std: { mean: 1, median: 1, q05: 1, q25: 1, q75: 1, q95: 1 } },
      chain: { training: { size: 1, synthetic: 0, real: 1 }, sample: null, shown: null },
    });
    useStore.getState().appendResults(runId, [r(0)], 1);
    useStore.getState().appendResults(runId, [r(0), r(1)], 0);
    const s = useStore.getState();
    expect(s.variants.map((v) => v.length)).toEqual([2, 1]);
    expect(s.results).toHaveLength(2);
    // A late batch of a superseded run changes nothing.
    useStore.getState().appendResults(runId - 1, [r(2)], 1);
    expect(useStore.getState().variants[1]).toHaveLength(1);
  });
});
