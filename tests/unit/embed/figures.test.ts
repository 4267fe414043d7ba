// @vitest-environment jsdom
// The embed's figure names (src/embed/figures.ts): every figure of every model's view has one,
// names are unique, and every name an embed link could hold before the table existed still picks
// its figure. The views are rendered to HTML (no effects run, so nothing is drawn or computed) on
// recipes that between them show every figure.
import { type ComponentType, createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECIPES, MODELS, type Model, parseRecipe } from '../../../src/core/recipe';
import { EMBED_FIGURES, figureName, figureTestId } from '../../../src/embed/figures';
import { readEmbedHash } from '../../../src/embed/params';
import { createAppStore, StoreProvider } from '../../../src/state/store';

const VIEWS: Record<Model, () => Promise<ComponentType>> = {
  gaussian1d: async () =>
    (await import('../../../src/ui/models/gaussian1d/GaussianView')).GaussianView,
  gmm: async () => (await import('../../../src/ui/models/gmm/GmmView')).GmmView,
  vae: async () => (await import('../../../src/ui/models/vae/VaeView')).VaeView,
  diffusion: async () =>
    (await import('../../../src/ui/models/diffusion/DiffusionView')).DiffusionView,
  ngram: async () => (await import('../../../src/ui/models/ngram/NgramView')).NgramView,
  transformer: async () =>
    (await import('../../../src/ui/models/transformer/TransformerView')).TransformerView,
};

/** Recipes beyond the default that show other figures (a 1-D mixture, a 2-D latent space). */
const VARIANTS: Partial<Record<Model, Record<string, unknown>[]>> = {
  gmm: [{ realDistribution: 'bimodal1d' }],
  vae: [{ latentSize: 2 }],
};

/**
 * The names links used before the table, frozen here: each figure's test id of that time without
 * a trailing "-chart", where the embed accepted it (lower case), and, where it did not, the
 * camelCase name the docs' snippet builder still wrote into links.
 */
const OLD_NAMES: Record<Model, string[]> = {
  gaussian1d: ['density', 'std', 'tail', 'histogram'],
  gmm: [
    'gmm-scatter',
    'gmm-ridgeline',
    'gmm-std',
    'gmm-w2',
    'gmm-componentStd',
    'gmm-modesAlive',
    'gmm-tailMass',
    'gmm-logLikReal',
  ],
  vae: [
    'vae-filmstrip',
    'vae-generations',
    'vae-class-histogram',
    'vae-latent',
    'vae-chart-diversity',
    'vae-chart-classEntropy',
    'vae-chart-latentStd',
    'vae-chart-heldOutElbo',
  ],
  diffusion: [
    'diffusion-scatter',
    'diffusion-filmstrip',
    'diffusion-chart-precision',
    'diffusion-chart-recall',
    'diffusion-chart-w2',
    'diffusion-chart-std',
    'diffusion-chart-modesAlive',
  ],
  ngram: [
    'ngram-passages',
    'ngram-zipf',
    'ngram-perplexity',
    'ngram-entropy',
    'ngram-repetition',
    'ngram-perplexityReal',
    'ngram-perplexityBase',
    'ngram-vocabAlive',
    'ngram-tailMass',
    'ngram-giniSimpson',
  ],
  // Added with the table: no link held a name before it.
  transformer: [],
};

/** The test ids of the figures each model's view draws, over its recipes (as the embed finds them). */
const drawn = {} as Record<Model, Set<string>>;

beforeAll(async () => {
  for (const model of MODELS) {
    const View = await VIEWS[model]();
    drawn[model] = new Set();
    for (const change of [{}, ...(VARIANTS[model] ?? [])]) {
      const parsed = parseRecipe({ ...DEFAULT_RECIPES[model], ...change });
      if (!parsed.ok) throw new Error(parsed.error);
      const host = document.createElement('div');
      host.innerHTML = renderToString(
        createElement(StoreProvider, { value: createAppStore(parsed.recipe) }, createElement(View)),
      );
      for (const f of host.querySelectorAll<HTMLElement>('figure[data-testid]'))
        drawn[model].add(f.dataset.testid as string);
    }
  }
});

describe('the embed’s figure names', () => {
  it.each(MODELS)('name every figure of the %s view, and only those', (model) => {
    expect(drawn[model].size).toBeGreaterThan(0);
    for (const testId of drawn[model]) {
      const name = figureName(testId);
      expect(name, testId).toBeDefined();
      expect(figureTestId(model, name as string)).toBe(testId);
    }
    expect(EMBED_FIGURES[model].map((f) => f.testId).sort()).toEqual([...drawn[model]].sort());
  });

  it('are unique, as are the test ids they name', () => {
    const all = MODELS.flatMap((m) => EMBED_FIGURES[m]);
    const names = all.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    const ids = all.map((f) => f.testId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are lower-case kebab case, and an embed address carries names and aliases', () => {
    for (const f of MODELS.flatMap((m) => EMBED_FIGURES[m])) {
      expect(f.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const n of [f.name, ...(f.aliases ?? [])])
        expect(readEmbedHash(`#figure=${n}`)).toMatchObject({ figure: n, messages: [] });
    }
  });

  it.each(MODELS)('keep every %s name a link used before', (model) => {
    for (const old of OLD_NAMES[model]) {
      const testId = figureTestId(model, old);
      expect(testId, old).toBeDefined();
      expect(drawn[model].has(testId as string), old).toBe(true);
    }
    // The names that worked are the public names themselves, not aliases.
    for (const old of OLD_NAMES[model].filter((n) => /^[a-z0-9-]+$/.test(n)))
      expect(EMBED_FIGURES[model].some((f) => f.name === old)).toBe(true);
  });

  it('do not resolve in another model, nor unknown names', () => {
    expect(figureTestId('gmm', 'std')).toBeUndefined();
    expect(figureTestId('gaussian1d', 'gmm-scatter')).toBeUndefined();
    expect(figureTestId('gaussian1d', 'std-chart')).toBeUndefined();
  });
});
