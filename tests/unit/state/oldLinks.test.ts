// Links written by earlier builds keep opening the same experiment. Each fixture below is the exact
// output of that build's serializer (run from its commit), with the settings it was given; a link
// with no version (hand-written, or older than the `v` parameter) reads as version 1.
import { describe, expect, it } from 'vitest';
import { parseRecipe } from '../../../src/core/recipe';
import { deserializeState, serializeState } from '../../../src/state/state';

const OLD_LINKS = [
  {
    build: 'c2339f7 (the first Gaussian explorable)',
    link: 'v=1&model=gaussian1d&M=250&gens=200&reps=500&seed=7&est=unbiased&synth=0.9&regime=replace&real=fresh&temp=1&g=12',
    recipe: {
      model: 'gaussian1d',
      samplesPerGeneration: 250,
      generations: 200,
      replicates: 500,
      seed: 7,
      estimator: 'unbiased',
      syntheticFraction: 0.9,
      regime: 'replace',
      realData: 'fresh',
      temperature: 1,
    },
    generation: 12,
  },
  {
    build: 'a18c2d4 (three models, before the one loop)',
    link: 'v=1&model=gaussian1d&M=100&gens=200&reps=500&seed=3&synth=1&regime=replace&real=fresh&temp=0.8&est=mle',
    recipe: { model: 'gaussian1d', generations: 200, replicates: 500, seed: 3, temperature: 0.8 },
    generation: null,
  },
  {
    build: 'a18c2d4',
    link: 'v=1&model=gmm&M=1000&gens=100&reps=64&seed=3&synth=1&regime=replace&real=fresh&temp=1&dist=ring8&K=8&tol=0.001&iter=100&reg=0.000001&init=kmeans%2B%2B&engine=auto',
    recipe: {
      model: 'gmm',
      samplesPerGeneration: 1000,
      generations: 100,
      replicates: 64,
      seed: 3,
      realDistribution: 'ring8',
      components: 8,
      tol: 0.001,
      maxIter: 100,
      regCovar: 0.000001,
      init: 'kmeans++',
      engine: 'auto',
    },
    generation: null,
  },
  {
    build: 'a18c2d4',
    link: 'v=1&model=vae&M=2000&gens=5&reps=1&seed=3&synth=1&regime=replace&real=fresh&temp=1&z=2&h=128&ep=10&bs=64&lr=0.001',
    recipe: {
      model: 'vae',
      samplesPerGeneration: 2000,
      generations: 5,
      replicates: 1,
      seed: 3,
      latentSize: 2,
      hiddenSize: 128,
      epochs: 10,
      batchSize: 64,
      learningRate: 0.001,
    },
    generation: null,
  },
];

describe('links of earlier builds', () => {
  it.each(OLD_LINKS)('a link of $build opens the same experiment, silently', (old) => {
    const expected = parseRecipe(old.recipe);
    if (!expected.ok) throw new Error(expected.error);
    const state = deserializeState(`#${old.link}`);
    expect(state.messages).toEqual([]);
    expect(state.recipe).toEqual(expected.recipe);
    expect(state.generation).toBe(old.generation);
    // And today's link of it reads back to the same.
    expect(deserializeState(serializeState(state.recipe, state.generation)).recipe).toEqual(
      state.recipe,
    );
  });

  it('reads a link without a version as version 1', () => {
    const state = deserializeState('#M=250&seed=7');
    expect(state.messages).toEqual([]);
    expect(state.recipe).toMatchObject({ version: 1, samplesPerGeneration: 250, seed: 7 });
  });

  it('reads a link of an unknown later version as version 1, and says so', () => {
    const state = deserializeState('#v=2&M=250');
    expect(state.recipe.samplesPerGeneration).toBe(250);
    expect(state.messages).toEqual(['v: link version "2" is unknown; read as version 1']);
  });
});
