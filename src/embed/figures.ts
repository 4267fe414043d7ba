// The embed's public figure names: what `figure=` in an embed link calls each figure of each
// model's view, and which figure (by its test id) that is. Every embed link pasted into someone's
// page holds one of these names, so a name never changes or goes away; a view's test ids are free
// to change, as long as this table follows them (tests/unit/embed/figures.test.ts renders every
// view and fails on a figure without a name).
//
// The names are those links used before this table existed: a figure's test id without a
// trailing "-chart". The embed then refused names with capitals, so the metric figures named in
// camelCase could not be embedded by name; they are written here in kebab case, and their
// camelCase spelling, which the docs' snippet builder put into links, is kept as an alias.
import type { Model } from '../core/recipe';

export interface EmbedFigure {
  /** The public name, in lower-case kebab case (`figure=` accepts [a-z0-9-] and capitals). */
  name: string;
  /** The figure's data-testid in the model's view. */
  testId: string;
  /** Other names links may hold for it. */
  aliases?: readonly string[];
}

/** Each model's figures, in the order its view draws them (some only for some recipes). */
export const EMBED_FIGURES: Record<Model, readonly EmbedFigure[]> = {
  gaussian1d: [
    { name: 'density', testId: 'density-chart' },
    { name: 'std', testId: 'std-chart' },
    { name: 'tail', testId: 'tail-chart' },
    { name: 'histogram', testId: 'histogram-chart' },
  ],
  gmm: [
    // The scatter for 2-D real distributions, the ridgeline for 1-D ones.
    { name: 'gmm-scatter', testId: 'gmm-scatter' },
    { name: 'gmm-ridgeline', testId: 'gmm-ridgeline' },
    { name: 'gmm-std', testId: 'gmm-std' },
    { name: 'gmm-component-std', testId: 'gmm-componentStd', aliases: ['gmm-componentStd'] },
    { name: 'gmm-modes-alive', testId: 'gmm-modesAlive', aliases: ['gmm-modesAlive'] },
    { name: 'gmm-tail-mass', testId: 'gmm-tailMass', aliases: ['gmm-tailMass'] },
    { name: 'gmm-log-lik-real', testId: 'gmm-logLikReal', aliases: ['gmm-logLikReal'] },
    { name: 'gmm-w2', testId: 'gmm-w2' },
  ],
  vae: [
    { name: 'vae-filmstrip', testId: 'vae-filmstrip' },
    { name: 'vae-generations', testId: 'vae-generations' },
    { name: 'vae-class-histogram', testId: 'vae-class-histogram' },
    // Only with a 2-D latent space.
    { name: 'vae-latent', testId: 'vae-latent' },
    {
      name: 'vae-chart-class-entropy',
      testId: 'vae-chart-classEntropy',
      aliases: ['vae-chart-classEntropy'],
    },
    { name: 'vae-chart-diversity', testId: 'vae-chart-diversity' },
    {
      name: 'vae-chart-latent-std',
      testId: 'vae-chart-latentStd',
      aliases: ['vae-chart-latentStd'],
    },
    {
      name: 'vae-chart-held-out-elbo',
      testId: 'vae-chart-heldOutElbo',
      aliases: ['vae-chart-heldOutElbo'],
    },
  ],
  diffusion: [
    { name: 'diffusion-scatter', testId: 'diffusion-scatter' },
    { name: 'diffusion-filmstrip', testId: 'diffusion-filmstrip' },
    {
      name: 'diffusion-chart-modes-alive',
      testId: 'diffusion-chart-modesAlive',
      aliases: ['diffusion-chart-modesAlive'],
    },
    { name: 'diffusion-chart-precision', testId: 'diffusion-chart-precision' },
    { name: 'diffusion-chart-recall', testId: 'diffusion-chart-recall' },
    { name: 'diffusion-chart-w2', testId: 'diffusion-chart-w2' },
    { name: 'diffusion-chart-std', testId: 'diffusion-chart-std' },
  ],
  ngram: [
    { name: 'ngram-passages', testId: 'ngram-passages' },
    { name: 'ngram-zipf', testId: 'ngram-zipf' },
    { name: 'ngram-perplexity', testId: 'ngram-perplexity' },
    {
      name: 'ngram-perplexity-real',
      testId: 'ngram-perplexityReal',
      aliases: ['ngram-perplexityReal'],
    },
    {
      name: 'ngram-perplexity-base',
      testId: 'ngram-perplexityBase',
      aliases: ['ngram-perplexityBase'],
    },
    { name: 'ngram-vocab-alive', testId: 'ngram-vocabAlive', aliases: ['ngram-vocabAlive'] },
    { name: 'ngram-tail-mass', testId: 'ngram-tailMass', aliases: ['ngram-tailMass'] },
    { name: 'ngram-gini-simpson', testId: 'ngram-giniSimpson', aliases: ['ngram-giniSimpson'] },
    { name: 'ngram-entropy', testId: 'ngram-entropy' },
    { name: 'ngram-repetition', testId: 'ngram-repetition' },
  ],
  transformer: [
    { name: 'transformer-passages', testId: 'transformer-passages' },
    { name: 'transformer-perplexity', testId: 'transformer-perplexity' },
    { name: 'transformer-perplexity-real', testId: 'transformer-perplexityReal' },
    { name: 'transformer-perplexity-base', testId: 'transformer-perplexityBase' },
    { name: 'transformer-vocab-alive', testId: 'transformer-vocabAlive' },
    { name: 'transformer-distinct2', testId: 'transformer-distinct2' },
    { name: 'transformer-repetition', testId: 'transformer-repetition' },
    { name: 'transformer-entropy', testId: 'transformer-entropy' },
  ],
};

/** The test id of `model`'s figure that `name` (a public name or an alias) names, if any. */
export function figureTestId(model: Model, name: string): string | undefined {
  return EMBED_FIGURES[model].find((f) => f.name === name || f.aliases?.includes(name))?.testId;
}

/** The public name of the figure with test id `testId`, in any model's view (they are unique). */
export function figureName(testId: string): string | undefined {
  for (const figures of Object.values(EMBED_FIGURES)) {
    const found = figures.find((f) => f.testId === testId);
    if (found) return found.name;
  }
  return undefined;
}
