// The diffusion model's recipe fields, as links and the CLI read them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPES, parseRecipe } from '../../../../../src/core/recipe';

describe('the diffusion recipe', () => {
  it('has its defaults', () => {
    expect(DEFAULT_RECIPES.diffusion).toMatchObject({
      model: 'diffusion',
      realDistribution: 'ring8',
      steps: 100,
      hiddenSize: 32,
      epochs: 200,
      samplesPerGeneration: 1000,
      generations: 5,
      replicates: 1,
    });
  });

  it('clamps bad values with a warning naming each field', () => {
    const r = parseRecipe({
      model: 'diffusion',
      steps: 1000,
      hiddenSize: 40.5,
      epochs: 0,
      learningRate: 2,
      temperature: -1,
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.recipe).toMatchObject({
      steps: 200,
      hiddenSize: 41,
      epochs: 10,
      learningRate: 0.05,
      temperature: 0.1,
    });
    expect(r.warnings).toEqual([
      'temperature: -1 is outside 0.1–2; clamped to 0.1',
      'steps: 1000 is outside 50–200; clamped to 200',
      'hiddenSize: 40.5 is not a whole number; rounded to 41',
      'epochs: 0 is outside 10–2000; clamped to 10',
      'learningRate: 2 is outside 0.0001–0.05; clamped to 0.05',
    ]);
  });

  it('refuses a real distribution it does not have, naming the field', () => {
    const r = parseRecipe({ model: 'diffusion', realDistribution: 'gaussian2d' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe('realDistribution');
      expect(r.error).toBe('realDistribution: "gaussian2d" is not one of ring8, grid25, spiral');
    }
  });
});
