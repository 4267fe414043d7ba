// The story's sections, one per model (driven by the model registry) and one for the remedies.
// A model with an entry in MODEL_STORIES gets its own words, figure and "try this" recipes; a
// model without one (just added) still gets a section: its lab view on its default recipe and its
// first presets; a model in SHOWN_WITHIN (the n-gram) runs as a "try this" of another model's
// section instead of its own. The Gaussian's figure is bundled with the page (the first screen);
// the others load as the reader nears them.
import { type ComponentType, lazy, type ReactNode } from 'react';
import { MODEL_SPECS } from '../../core/models/registry';
import {
  type AnyRecipe,
  DEFAULT_RECIPES,
  MODELS,
  type Model,
  parseRecipe,
} from '../../core/recipe';
import { useStore } from '../../state/store';
import { GaussianOpeningFigure, GaussianStoryFigure } from '../models/gaussian1d/GaussianView';
import { VIEWS } from '../models/registry';

/** A button under a figure that sets its recipe. */
export interface TryThis {
  label: string;
  recipe: AnyRecipe;
  /** What to look for once it runs. */
  watch: string;
}

export interface StorySection {
  id: string;
  model: Model;
  title: string;
  /** The words before the figure. */
  prose: ReactNode;
  /** The figure's recipe as the reader first sees it (small: the story runs several). */
  recipe: AnyRecipe;
  /** Its caption's name for that first recipe. */
  recipeLabel: string;
  tries: TryThis[];
  Figure: ComponentType;
}

/** A model's recipe from its defaults and `fields`; a bad story recipe is a bug, so it throws. */
export function storyRecipe(model: Model, fields: Record<string, unknown>): AnyRecipe {
  const parsed = parseRecipe({ ...DEFAULT_RECIPES[model], ...fields, model });
  if (!parsed.ok) throw new Error(`story recipe for ${model}: ${parsed.error}`);
  return parsed.recipe;
}

type ModelStory = Omit<StorySection, 'id' | 'model'>;
type Fields = Record<string, unknown>;

/** A section's words and figure, its recipes as changes to the section's small base recipe. */
interface OnBase extends Omit<ModelStory, 'recipe' | 'tries'> {
  /** The figure's first recipe, as a change to the base (none: the base itself). */
  start?: Fields;
  /** Each "try this": its label, its change to the base, what to look for. */
  tries: { label: string; change: Fields; watch: string }[];
}

/** A section of `model` on `base`: its first recipe and every "try this" are the base changed. */
function onBase(model: Model, base: Fields, { start = {}, tries, ...rest }: OnBase): ModelStory {
  return {
    ...rest,
    recipe: storyRecipe(model, { ...base, ...start }),
    tries: tries.map(({ label, change, watch }) => ({
      label,
      recipe: storyRecipe(model, { ...base, ...change }),
      watch,
    })),
  };
}

const lazyFigure = <M,>(load: () => Promise<M>, pick: (m: M) => ComponentType) =>
  lazy(() => load().then((m) => ({ default: pick(m) })));

/** The Gaussian story's starting point: 100 points a generation, 200 generations, 100 chains. */
const GAUSSIAN = { samplesPerGeneration: 100, generations: 200, replicates: 100, seed: 1 };

/** A VAE small enough to train ten generations in seconds: 500 digits, 3 epochs, one chain. */
const VAE = { samplesPerGeneration: 500, generations: 10, replicates: 1, epochs: 3 };

/** A diffusion model small enough for a few generations in seconds. */
const DIFFUSION = { realDistribution: 'ring8', generations: 4, replicates: 1 };

/** Nine generations of a trigram model of Austen, eight chains. */
const NGRAM = { order: 3, samplesPerGeneration: 500, generations: 9, replicates: 8 };

/**
 * The small GPT, small enough for a tab: 16 passages a generation (one step of 16 per epoch),
 * five generations after the first, one chain.
 */
const TRANSFORMER = { samplesPerGeneration: 16, generations: 5, replicates: 1 };

/**
 * Models that have no section of their own: each is a "try this" in the named model's section
 * (the n-gram model is the transformer section's fast version of the same experiment).
 */
export const SHOWN_WITHIN: Partial<Record<Model, Model>> = { ngram: 'transformer' };

const TransformerStoryFigure = lazyFigure(
  () => import('../models/transformer/TransformerView'),
  (m) => m.TransformerStoryFigure,
);
const NgramStoryFigure = lazyFigure(
  () => import('../models/ngram/NgramView'),
  (m) => m.NgramStoryFigure,
);

/** The text section's figure: the transformer's, or the n-gram's while its "try this" runs. */
function TextFigure() {
  const ngram = useStore((s) => s.recipe.model === 'ngram');
  return ngram ? <NgramStoryFigure /> : <TransformerStoryFigure />;
}

/** Eight modes on a ring fitted by eight components, 200 points a generation, eight chains. */
const GMM = {
  realDistribution: 'ring8',
  components: 8,
  samplesPerGeneration: 200,
  generations: 150,
  replicates: 8,
};

/** One entry per model with words of its own (a new model adds one line here). */
export const MODEL_STORIES: Partial<Record<Model, () => ModelStory>> = {
  gaussian1d: () =>
    onBase('gaussian1d', GAUSSIAN, {
      title: 'The bell curve that forgets its tails',
      prose: (
        <>
          <p>
            Start with the simplest model there is: a bell curve. Draw 100 points from the real
            distribution, a standard normal, and fit a mean and a spread to them. That fit is
            generation 0. Now forget the real data: draw 100 points from the fit, fit again, and
            repeat. Each fit is a little off, and each generation learns only from the one before
            it.
          </p>
          <p>
            The errors do not cancel; they compound. A sample of 100 points rarely contains the rare
            values far out in the tails, so the next fit has thinner tails; the spread shrinks by a
            factor of about (M−1)/M per generation on average, and over hundreds of generations the
            curve narrows to a spike. The dashed line is what theory predicts; the band shows 100
            independent runs, so this is not bad luck.
          </p>
        </>
      ),
      start: { syntheticFraction: 1, regime: 'replace' },
      recipeLabel: 'only synthetic data, 100 points a generation',
      tries: [
        {
          label: 'Keep half the data real',
          change: { syntheticFraction: 0.5 },
          watch: 'σ stays near 1: fresh real data pulls every generation back.',
        },
        {
          label: 'Sample cautiously (λ = 0.8)',
          change: { temperature: 0.8 },
          watch:
            'Preferring likely samples speeds the collapse: the spike comes within a few dozen generations.',
        },
      ],
      Figure: GaussianStoryFigure,
    }),
  gmm: () =>
    onBase('gmm', GMM, {
      title: 'Mixtures, and the modes that vanish',
      prose: (
        <>
          <p>
            Real data has many modes: kinds of faces, dialects, styles of code. Model the real
            distribution as eight clusters on a ring and fit a mixture of eight Gaussians, again and
            again, each time to points the last mixture drew. A cluster that happens to draw few
            points in one generation gets a smaller weight in the next, and once it is gone nothing
            brings it back.
          </p>
          <p>
            The rare modes go first, then the mixture keeps collapsing like the bell curve did. This
            is the “early” and “late” model collapse that Shumailov and colleagues describe, and the
            loss of diversity that Alemohammad and colleagues saw in image generators.
          </p>
        </>
      ),
      recipeLabel: 'eight modes on a ring, 200 points a generation',
      tries: [
        {
          label: 'Sample cautiously (λ = 0.7)',
          change: { temperature: 0.7 },
          watch: 'Modes die faster: favouring typical samples starves the rare ones.',
        },
        {
          label: 'Accumulate the data',
          change: { regime: 'accumulate-subsample' },
          watch:
            'Drawing each training set from everything gathered so far keeps more modes alive.',
        },
      ],
      Figure: lazyFigure(
        () => import('../models/gmm/GmmView'),
        (m) => m.GmmStoryFigure,
      ),
    }),
  vae: () =>
    onBase('vae', VAE, {
      title: 'Digits that blur into one',
      prose: (
        <>
          <p>
            Now a real neural network: a small variational autoencoder, trained in this tab on
            handwritten digits. Generation 0 learns from real digits; each next generation learns
            from the digits the last one drew. A small model draws smooth, average digits; the next
            learns those averages and nothing rarer. Variety falls row by row: first the odd shapes,
            then whole digits, until every sample is the same blur.
          </p>
          <p>
            The figure trains a fresh network per generation, so it takes a moment; it pauses when
            you scroll past it.
          </p>
        </>
      ),
      recipeLabel: 'one chain, 500 digits a generation',
      tries: [
        {
          label: 'Keep 30 % real digits',
          change: { syntheticFraction: 0.7 },
          watch: 'The rows keep their variety: real digits anchor each generation.',
        },
      ],
      Figure: lazyFigure(
        () => import('../models/vae/VaeView'),
        (m) => m.VaeStoryFigure,
      ),
    }),
  transformer: () => {
    const story = onBase('transformer', TRANSFORMER, {
      title: 'Text that repeats itself',
      prose: (
        <>
          <p>
            Language models are trained on text from the web, and more of that text is now written
            by language models. Shumailov and colleagues fine-tuned a language model on its own
            output for nine generations: the text drifted toward its most common phrases, rare words
            vanished, and late generations babbled.
          </p>
          <p>
            Here is their experiment in miniature: a small GPT that has read four of Jane Austen's
            novels, fine-tuned in this tab on passages of another, then fine-tuned afresh on the
            passages it wrote, generation after generation. Each row continues the same opening line
            with the same random numbers, so only the model changes. It trains a network per
            generation, so it takes a moment; its fast version below runs the same loop with an
            n-gram model in seconds.
          </p>
        </>
      ),
      recipeLabel: 'five generations of its own text, no real text kept',
      tries: [
        {
          label: 'Keep 10 % real text',
          change: { syntheticFraction: 0.9 },
          watch: 'The paper’s second setting: a little real text keeps the passages varied.',
        },
      ],
      Figure: TextFigure,
    });
    return {
      ...story,
      tries: [
        ...story.tries,
        {
          label: 'The fast version: an n-gram model',
          recipe: storyRecipe('ngram', NGRAM),
          watch:
            'A trigram model of Austen, nine generations in seconds: the rare words vanish and the text loops.',
        },
        {
          label: 'n-gram with nucleus sampling (top-p 0.9)',
          recipe: storyRecipe('ngram', { ...NGRAM, topP: 0.9 }),
          watch: 'Cutting the unlikely words at every step, as chat models do, speeds the loss.',
        },
      ],
    };
  },
  diffusion: () =>
    onBase('diffusion', DIFFUSION, {
      title: 'Diffusion models, retrained on their own pictures',
      prose: (
        <>
          <p>
            Image generators today are mostly diffusion models: they learn to turn noise into data
            by undoing, step by step, noise added to real examples. Martínez and colleagues
            retrained such models on their own images, flowers and birds, and saw quality and
            variety fall within a few generations when no real images were added.
          </p>
          <p>
            Here a small diffusion model learns eight clusters of points on a ring, then learns
            again from what it drew. Watch the clusters smear and fade.
          </p>
        </>
      ),
      recipeLabel: 'eight clusters on a ring, no real data after generation 0',
      tries: [
        {
          label: 'Keep half the points real',
          change: { syntheticFraction: 0.5 },
          watch: 'Real points each generation keep the clusters sharp.',
        },
      ],
      Figure: lazyFigure(
        () => import('../models/diffusion/DiffusionView'),
        (m) => m.DiffusionStoryFigure,
      ),
    }),
};

/** A model without words of its own: its lab view on its default recipe, its first presets. */
function fallbackStory(model: Model): ModelStory {
  const spec = MODEL_SPECS[model];
  const start = DEFAULT_RECIPES[model];
  const presets = (spec.presets as readonly { name: string; title: string; recipe: object }[])
    .map((p) => ({
      label: p.name,
      recipe: storyRecipe(model, p.recipe as Record<string, unknown>),
      watch: p.title,
    }))
    .filter((t) => JSON.stringify(t.recipe) !== JSON.stringify(start))
    .slice(0, 2);
  return {
    title: spec.displayName,
    prose: (
      <p>
        The same loop with another model: {spec.displayName}, retrained each generation on what the
        last one produced.
      </p>
    ),
    recipe: start,
    recipeLabel: 'its default recipe',
    tries: presets,
    Figure: VIEWS[model].View,
  };
}

/** The figure the page opens on: one bell curve refitted to its own samples, 200 times. */
export const OPENING: StorySection = {
  id: 'opening',
  model: 'gaussian1d',
  ...onBase('gaussian1d', GAUSSIAN, {
    title: 'A bell curve, refitted to its own samples',
    prose: null,
    start: { syntheticFraction: 1, regime: 'replace' },
    recipeLabel: 'each generation trained only on the last one’s output',
    tries: [
      {
        label: 'Keep 10 % real data',
        change: { syntheticFraction: 0.9 },
        watch: 'a little fresh real data each generation and the curve holds its shape.',
      },
    ],
    Figure: GaussianOpeningFigure,
  }),
};

/** The remedies, on the bell curve: what keeps a model from collapsing. */
const REMEDIES: StorySection = {
  id: 'remedies',
  model: 'gaussian1d',
  ...onBase('gaussian1d', GAUSSIAN, {
    title: 'What keeps a model from collapsing',
    prose: (
      <>
        <p>
          Collapse is not inevitable. Everything above replaced each generation's training data with
          synthetic data. Change that and the bell curve holds:
        </p>
        <ul>
          <li>
            <strong>Keep real data.</strong> Mix a share of fresh real data into every generation
            and the spread stays bounded away from zero: even 10 % helps.
          </li>
          <li>
            <strong>Accumulate, don't replace.</strong> Keep all earlier data and add the new; the
            error stays bounded (Gerstgrasser and colleagues).
          </li>
          <li>
            <strong>Filter by watermark.</strong> If generated content carries a watermark, a filter
            can drop most of it before training, at the price of some real data wrongly dropped.
          </li>
          <li>
            <strong>Curate.</strong> Keep only the synthetic points a verifier of real data ranks
            highest. A good verifier steers the data back toward the truth; the model's own taste
            does not.
          </li>
        </ul>
      </>
    ),
    start: { syntheticFraction: 0.9 },
    recipeLabel: '10 % fresh real data each generation',
    tries: [
      {
        label: 'Accumulate',
        change: { regime: 'accumulate' },
        watch: 'All synthetic, yet σ stays close to 1: old data is never thrown away.',
      },
      {
        label: 'Watermark filter',
        change: {
          syntheticFraction: 0.9,
          filter: { truePositiveRate: 0.9, falsePositiveRate: 0.05 },
        },
        watch: 'Catching 90 % of synthetic points leaves mostly real data: σ holds.',
      },
      {
        label: 'Curate by a verifier',
        change: {
          curation: { keep: 0.5, by: 'verifier', accuracy: 0.9 },
        },
        watch:
          'A verifier that knows real data keeps the spread; ranked by the model itself, it collapses faster.',
      },
    ],
    Figure: GaussianStoryFigure,
  }),
};

/**
 * Every section in order: each model in the registry's order (but those shown within another's
 * section), then the remedies.
 */
export function storySections(): StorySection[] {
  const models = MODELS.filter((model) => !SHOWN_WITHIN[model]).map((model) => ({
    id: model,
    model,
    ...(MODEL_STORIES[model] ?? (() => fallbackStory(model)))(),
  }));
  return [...models, REMEDIES];
}
