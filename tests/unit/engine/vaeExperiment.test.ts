// The CLI's VAE run in Node: the data and classifier read from public/data, the wasm backend.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPES, type VaeRecipe } from '../../../src/core/recipe';
import { runVaeExperiment } from '../../../src/engine/vaeExperiment';
import { VAE_METRICS } from '../../../src/engine/vaeLoop';

const TINY: VaeRecipe = {
  ...DEFAULT_RECIPES.vae,
  samplesPerGeneration: 150,
  generations: 1,
  replicates: 2,
  hiddenSize: 16,
  latentSize: 2,
  epochs: 1,
  batchSize: 50,
};

describe('runVaeExperiment', () => {
  it('reports the recipe, the wasm backend and every generation’s summaries and class shares', async () => {
    const out = await runVaeExperiment(TINY);
    expect(out.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(out.recipe).toBe(TINY);
    expect(out.elapsedMs).toBeGreaterThan(0);
    expect(out.generations.map((g) => g.generation)).toEqual([0, 1]);
    for (const g of out.generations) {
      expect(Object.keys(g.stats).sort()).toEqual([...VAE_METRICS].sort());
      for (const m of VAE_METRICS) {
        expect(Object.keys(g.stats[m])).toEqual(['mean', 'median', 'q05', 'q25', 'q75', 'q95']);
      }
      expect(g.classHistogram).toHaveLength(10);
      expect(Object.keys(g)).toEqual(['generation', 'stats', 'classHistogram']);
    }
    // Same recipe, same backend: the same numbers; and the output is plain JSON.
    const again = await runVaeExperiment(TINY);
    expect(again.generations).toEqual(out.generations);
    expect(JSON.parse(JSON.stringify(out.generations))).toEqual(out.generations);
  }, 60_000);

  it('runs on the cpu backend when asked', async () => {
    try {
      const out = await runVaeExperiment({ ...TINY, generations: 0, replicates: 1 }, 'cpu');
      expect(out.backend).toBe('cpu');
      expect(out.generations).toHaveLength(1);
    } finally {
      await tf.setBackend('wasm');
    }
  }, 60_000);
});
