// Links written by earlier builds keep opening the same experiment. Each fixture below is the exact
// output of that build's serializer (run from its commit), with the settings it was given; a link
// with no version (hand-written, or older than the `v` parameter) reads as version 1.
import { describe, expect, it } from 'vitest';
import { parseRecipeFile } from '../../../src/core/export';
import { parseRecipe } from '../../../src/core/recipe';
import { deserializeState, serializeState } from '../../../src/state/urlCodec';

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

/**
 * Links and recipe files of later builds, each with the recipe that build parsed it to (dumped
 * from the commit itself): today's reading must be that recipe to the letter, derived values and
 * filled-in group defaults included.
 */
const EXACT = [
  {
    build: 'ac03d56 (the mitigations, as group sub-fields under their own short names)',
    link: 'v=1&model=gmm&M=1000&gens=100&reps=64&seed=1&synth=1&regime=replace&real=fresh&temp=1&dist=ring8&K=8&tol=0.001&iter=100&reg=0.000001&init=kmeans%2B%2B&engine=auto&sf=0.1&st=0.9&so=40&tpr=0.95&fpr=0.1&ck=0.3&cb=verifier&ca=0.8&g=30',
    recipe: {
      version: 1,
      model: 'gmm',
      samplesPerGeneration: 1000,
      generations: 100,
      replicates: 64,
      seed: 1,
      syntheticFraction: 1,
      regime: 'replace',
      realData: 'fresh',
      temperature: 1,
      realDistribution: 'ring8',
      components: 8,
      tol: 0.001,
      maxIter: 100,
      regCovar: 0.000001,
      init: 'kmeans++',
      engine: 'auto',
      syntheticSchedule: { from: 0.1, to: 0.9, over: 40 },
      filter: { truePositiveRate: 0.95, falsePositiveRate: 0.1 },
      curation: { keep: 0.3, by: 'verifier', accuracy: 0.8 },
      dimensions: 2,
    },
    generation: 30,
  },
  {
    build: '38c41ba (the first diffusion model, before its defaults became h = 32, 200 epochs)',
    link: 'v=1&model=diffusion&M=1000&gens=5&reps=1&seed=5&synth=1&regime=replace&real=fresh&temp=1&dist=ring8&T=100&h=64&ep=300&lr=0.01',
    recipe: {
      version: 1,
      model: 'diffusion',
      samplesPerGeneration: 1000,
      generations: 5,
      replicates: 1,
      seed: 5,
      syntheticFraction: 1,
      regime: 'replace',
      realData: 'fresh',
      temperature: 1,
      realDistribution: 'ring8',
      steps: 100,
      hiddenSize: 64,
      epochs: 300,
      learningRate: 0.01,
    },
    generation: null,
  },
  {
    build: '38c41ba (a VAE with the watermark filter at its defaults)',
    link: 'v=1&model=vae&M=2000&gens=3&reps=1&seed=1&synth=1&regime=replace&real=fresh&temp=1&z=2&h=128&ep=3&bs=64&lr=0.001&tpr=0.9&fpr=0.05',
    recipe: {
      version: 1,
      model: 'vae',
      samplesPerGeneration: 2000,
      generations: 3,
      replicates: 1,
      seed: 1,
      syntheticFraction: 1,
      regime: 'replace',
      realData: 'fresh',
      temperature: 1,
      latentSize: 2,
      hiddenSize: 128,
      epochs: 3,
      batchSize: 64,
      learningRate: 0.001,
      filter: { truePositiveRate: 0.9, falsePositiveRate: 0.05 },
    },
    generation: null,
  },
  {
    build: '5550245 (the first language model)',
    link: 'v=1&model=ngram&M=500&gens=9&reps=8&seed=11&synth=1&regime=replace&real=fresh&temp=1&n=4&sm=addk&addk=0.5&topk=0&topp=0.9&g=3',
    recipe: {
      version: 1,
      model: 'ngram',
      samplesPerGeneration: 500,
      generations: 9,
      replicates: 8,
      seed: 11,
      syntheticFraction: 1,
      regime: 'replace',
      realData: 'fresh',
      temperature: 1,
      order: 4,
      smoothing: 'addk',
      k: 0.5,
      topK: 0,
      topP: 0.9,
    },
    generation: 3,
  },
];

/** A recipe file the export panel of 38c41ba wrote (recipeJson), as it wrote it. */
const OLD_RECIPE_FILE = `{
  "version": 1,
  "model": "gmm",
  "samplesPerGeneration": 1000,
  "generations": 100,
  "replicates": 64,
  "seed": 1,
  "syntheticFraction": 1,
  "regime": "replace",
  "realData": "fresh",
  "temperature": 1,
  "realDistribution": "grid25",
  "components": 25,
  "tol": 0.001,
  "maxIter": 100,
  "regCovar": 0.000001,
  "init": "kmeans++",
  "engine": "auto",
  "curation": {
    "keep": 0.5,
    "by": "model",
    "accuracy": 0.9
  },
  "dimensions": 2
}
`;

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

  it.each(EXACT)('a link of $build reads to the recipe that build read', (old) => {
    const state = deserializeState(`#${old.link}`);
    expect(state.messages).toEqual([]);
    expect(state.recipe).toStrictEqual(old.recipe);
    expect(state.generation).toBe(old.generation);
  });

  it('a comparison link of f292f4b (the watermark preset) opens the same comparison, named', () => {
    const state = deserializeState(
      '#v=1&model=gaussian1d&M=100&gens=200&reps=500&seed=1&synth=0.9&regime=replace&real=fresh&temp=0.8&est=mle&cmp=filter=off,1:0,0.5:0',
    );
    expect(state.messages).toEqual([]);
    expect(state.recipe).toMatchObject({ syntheticFraction: 0.9, temperature: 0.8 });
    expect(state.comparison?.field).toBe('filter');
    expect(state.comparison?.variants.map((v) => v.value)).toEqual([
      null,
      { truePositiveRate: 1, falsePositiveRate: 0 },
      { truePositiveRate: 0.5, falsePositiveRate: 0 },
    ]);
    expect(state.comparison?.variants.map((v) => v.label)).toEqual([
      'No filter',
      'Perfect watermark',
      'Strippable watermark',
    ]);
  });

  it('a recipe file exported by 38c41ba imports to the same recipe', () => {
    const r = parseRecipeFile(OLD_RECIPE_FILE);
    if (!r.ok) throw new Error(r.error);
    expect(r.warnings).toEqual([]);
    expect(r.recipe).toStrictEqual(JSON.parse(OLD_RECIPE_FILE));
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
