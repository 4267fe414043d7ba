// A word-level n-gram language model on Jane Austen's prose (the seed paper's OPT-125m on
// wikitext-2, in miniature): fitted to M passages of 64 tokens, sampled with the decoding settings
// real decoders use (temperature, top-k, top-p), refitted generation after generation.
import { choice, int, loopControls, loopFields, num } from '../../fields';
import type { MetricInfo, ModelSpec } from '../spec';
import { PASSAGE, SMOOTHINGS } from './constants';
import { ngramTheory, ngramTheoryUnavailable } from './theory';

export const NGRAM_METRICS = [
  'perplexityReal',
  'perplexityBase',
  'vocabAlive',
  'entropy',
  'giniSimpson',
  'tailMass',
  'repetition',
] as const;
export type NgramMetric = (typeof NGRAM_METRICS)[number];

const loop = loopFields({ M: [1, 4000, 500], gens: [100, 9], reps: [64, 8] });

const fields = {
  ...loop,
  samplesPerGeneration: {
    ...loop.samplesPerGeneration,
    label: `Passages per generation M (${PASSAGE} tokens each)`,
  },
  order: int('n', 'Order n (n − 1 words of context)', 1, 5, 3, {
    step: 1,
    display: 'count',
    testId: 'order',
  }),
  smoothing: choice('sm', 'Smoothing', SMOOTHINGS, 'kn', {
    names: { none: 'None (MLE)', addk: 'Add-k', kn: 'Kneser–Ney' },
    hint: 'Without smoothing a word the model never saw can never come back.',
  }),
  k: num('addk', 'Add-k pseudo-count k', 0.0001, 10, 0.01, {
    scale: 'log',
    step: 0.1,
    display: 'exponent',
    testId: 'addk',
    hint: 'Used by add-k smoothing only.',
  }),
  topK: int('topk', 'Top-k (0: off)', 0, 200, 0, {
    display: 'count',
    testId: 'top-k',
    hint: 'Samples only from the k likeliest next words.',
  }),
  topP: num('topp', 'Top-p, nucleus (100 %: off)', 0.05, 1, 1, {
    step: 0.01,
    display: 'percent',
    testId: 'top-p',
    hint: 'Samples only from the likeliest next words that make up this much probability.',
  }),
};

/** What the screens show of each metric (figures, summaries, the phase diagram). */
const metricInfo = {
  perplexityReal: {
    title: 'Perplexity of held-out real text',
    label: 'perplexity (log)',
    scale: 'log',
    spoken: { before: 'perplexity of real text' },
  },
  perplexityBase: {
    title: 'Its own text, scored by the first model',
    label: 'perplexity (log)',
    scale: 'log',
  },
  vocabAlive: {
    title: 'Words still alive',
    label: 'word types seen',
    scale: 'log',
    spoken: { after: 'word types alive' },
  },
  tailMass: {
    title: 'Tail mass: the rarest words of 10 % of real text',
    label: 'model mass there',
    scale: 'linear',
    spoken: { before: 'tails', times: 100, digits: 2, after: '%' },
  },
  giniSimpson: { title: 'Gini–Simpson diversity', label: '1 − Σp²', scale: 'linear' },
  entropy: { title: 'Entropy of the word distribution', label: 'bits per word', scale: 'linear' },
  repetition: {
    title: 'Repetition within a passage',
    label: 'share of repeated 4-grams',
    scale: 'linear',
  },
} satisfies { [K in NgramMetric]?: MetricInfo };

export const ngramSpec = {
  displayName: 'Language model',
  fields,
  controls: [
    'syntheticFraction',
    'order',
    'smoothing',
    'k',
    'temperature',
    'topK',
    'topP',
    ...loopControls({ temperature: false }),
  ],
  metrics: NGRAM_METRICS,
  metricInfo,
  spoken: ['tailMass', 'vocabAlive'],
  presets: [
    {
      name: 'Nine generations of text',
      title:
        'Shumailov et al.: a language model fine-tuned on its own text for nine generations, no real data kept',
      recipe: {
        order: 3,
        smoothing: 'kn',
        samplesPerGeneration: 500,
        generations: 9,
        replicates: 8,
        syntheticFraction: 1,
        regime: 'replace',
        temperature: 1,
        topK: 0,
        topP: 1,
      },
    },
    {
      name: 'Keep 10 % real text',
      title: 'The same, with 10 % of each training set real text (the paper’s second setting)',
      recipe: {
        order: 3,
        smoothing: 'kn',
        samplesPerGeneration: 500,
        generations: 9,
        replicates: 8,
        syntheticFraction: 0.9,
        regime: 'replace',
        temperature: 1,
        topK: 0,
        topP: 1,
      },
    },
    {
      name: 'Nucleus sampling',
      title: 'Decoding with top-p = 0.9, as chat models do: the tails are cut every generation',
      recipe: {
        order: 3,
        smoothing: 'kn',
        samplesPerGeneration: 200,
        generations: 9,
        replicates: 8,
        syntheticFraction: 1,
        regime: 'replace',
        temperature: 1,
        topK: 0,
        topP: 0.9,
      },
    },
    {
      name: 'Wright–Fisher drift',
      title: 'A unigram model without smoothing: neutral genetic drift of word types',
      recipe: {
        order: 1,
        smoothing: 'none',
        samplesPerGeneration: 10,
        generations: 100,
        replicates: 32,
        syntheticFraction: 1,
        regime: 'replace',
        temperature: 1,
        topK: 0,
        topP: 1,
      },
    },
  ],
  // No real density of text for a verifier to rank passages by: curation ranks by the model.
  derive(recipe) {
    const c = recipe.curation;
    if (c?.by !== 'verifier') return null;
    recipe.curation = { ...c, by: 'model' };
    return 'curation.by: there is no real density of text for a verifier; ranked by the model instead';
  },
  parallelChains: () => true,
  theoryNote: ngramTheoryUnavailable,
  theory: ngramTheory,
  // A passage of 64 token ids per point, held as float64 like every model's coordinates.
  // For the work cap, in the cap's unit (a Gaussian point-draw, about 20 ns): a passage is 64
  // tokens counted and sampled at about 0.8 µs a token for order 3 (bench:
  // ngram.msPerGeneration, 78 ms for 100,000 tokens), more for longer contexts.
  workPerPoint: (recipe) => PASSAGE * 40 * Math.max(1, recipe.order / 3),
  storage: () => ({ width: PASSAGE, bytesPerValue: 8, sufficientStatistics: false }),
} satisfies ModelSpec<typeof fields>;
