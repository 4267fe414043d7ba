// A small GPT-style transformer language model, the seed paper's own experiment in miniature
// (Shumailov et al., "The Curse of Recursion", section 5: OPT-125m fine-tuned on wikitext-2, each
// generation fine-tuned again from the pretrained model on text the previous generation wrote).
// Here a decoder of three layers, width 96 and a context of 64 byte-pair tokens (about 440,000
// weights) was pretrained once on four Austen novels (scripts/pretrain-transformer.ts); every
// generation fine-tunes that base again on M passages of 64 tokens: real passages of Pride and
// Prejudice and Persuasion mixed with passages the previous generation wrote after prompts taken
// from the real text.
//
// Why this size and tokeniser: a word-level model needs thousands of embeddings and a character
// model four times the positions for the same text; 1,024 byte-pair tokens spell every word (so
// generation 0 writes real words), keep the output layer small, and a 64-token context holds two or
// three sentences. Three layers of width 96 train at about 100-200 ms a step of 16 passages on
// WebAssembly on a 2-core laptop, so a generation (fine-tuning, sampling, metrics) takes seconds.
import { choice, int, loopControls, loopFields, num } from '../../fields';
import type { MetricInfo, ModelSpec } from '../spec';

export const TRANSFORMER_METRICS = [
  'perplexityReal',
  'perplexityBase',
  'vocabAlive',
  'distinct2',
  'repetition',
  'entropy',
] as const;
export type TransformerMetric = (typeof TRANSFORMER_METRICS)[number];

/** Tokens of a passage: a point of the loop (the prompt's tokens and the continuation's). */
export const PASSAGE_TOKENS = 64;
/**
 * Tokens of real text a passage starts from (its prompt); the model writes the rest (40 tokens,
 * about 25 words). 24 tokens hold the opening the panel shows, "It is a truth universally
 * acknowledged, that a single man", so the panel is one of the passages the metrics score.
 */
export const PROMPT_TOKENS = 24;

export const DECODINGS = ['sample', 'beam'] as const;
export type Decoding = (typeof DECODINGS)[number];

const loop = loopFields({ M: [4, 512, 32], gens: [30, 9], reps: [8, 1] });

const fields = {
  ...loop,
  samplesPerGeneration: {
    ...loop.samplesPerGeneration,
    label: `Passages per generation M (${PASSAGE_TOKENS} tokens each)`,
  },
  epochs: int('ep', 'Fine-tuning epochs per generation', 1, 20, 4, {
    scale: 'log',
    display: 'count',
    testId: 'epochs',
    hint: 'Passes over the training passages; each generation starts again from the pretrained model.',
  }),
  batchSize: int('bs', 'Batch size', 1, 64, 16, {
    scale: 'log',
    display: 'count',
    testId: 'batch',
  }),
  learningRate: num('lr', 'Learning rate', 1e-5, 0.01, 1e-3, {
    scale: 'log',
    step: 0.1,
    display: 'exponent',
    testId: 'learning-rate',
  }),
  decoding: choice('dec', 'Decoding', DECODINGS, 'sample', {
    names: { sample: 'Sampling', beam: 'Beam search (5 beams)' },
    hint: 'The paper decoded with beam search and a repetition penalty.',
  }),
  topK: int('topk', 'Top-k (0: off)', 0, 200, 0, {
    display: 'count',
    testId: 'top-k',
    hint: 'Samples only from the k likeliest next tokens.',
  }),
  topP: num('topp', 'Top-p, nucleus (100 %: off)', 0.05, 1, 1, {
    step: 0.01,
    display: 'percent',
    testId: 'top-p',
    hint: 'Samples only from the likeliest next tokens that make up this much probability.',
  }),
  repetitionPenalty: num('rp', 'Repetition penalty (1: off)', 1, 3, 1, {
    step: 0.05,
    display: 'fixed2',
    testId: 'repetition-penalty',
    hint: 'Makes a token already in the passage less likely, as Hugging Face decoders do.',
  }),
};

/** What the screens show of each metric (figures, summaries, the phase diagram). */
const metricInfo = {
  perplexityReal: {
    title: 'Perplexity of held-out real text',
    label: 'perplexity per token (log)',
    scale: 'log',
    spoken: { before: 'perplexity of real text' },
  },
  perplexityBase: {
    title: 'Its own text, scored by the first model',
    label: 'perplexity per token (log)',
    scale: 'log',
  },
  vocabAlive: {
    title: 'Words still alive',
    label: 'distinct words written',
    scale: 'log',
    spoken: { after: 'distinct words written' },
  },
  distinct2: {
    title: 'Distinct word pairs (distinct-2)',
    label: 'distinct / all word pairs',
    scale: 'linear',
    spoken: { before: 'distinct-2', digits: 2 },
  },
  repetition: {
    title: 'Repetition within a passage',
    label: 'share of repeated 4-grams',
    scale: 'linear',
  },
  entropy: {
    title: 'Entropy of the words written',
    label: 'bits per word',
    scale: 'linear',
  },
} satisfies { [K in TransformerMetric]?: MetricInfo };

/**
 * The paper's protocol in miniature (its code: 5-beam search, 64 new tokens a block, repetition
 * penalty 3.0; 5 epochs with no original data, 10 epochs with 10 % kept), on 16 passages a
 * generation so that a tab runs it in minutes.
 */
const paper = {
  samplesPerGeneration: 16,
  generations: 9,
  replicates: 1,
  regime: 'replace',
  decoding: 'beam',
  repetitionPenalty: 3,
  temperature: 1,
  topK: 0,
  topP: 1,
} as const;

export const transformerSpec = {
  displayName: 'Transformer',
  fields,
  controls: [
    'syntheticFraction',
    'epochs',
    'learningRate',
    'batchSize',
    'decoding',
    'temperature',
    'topK',
    'topP',
    'repetitionPenalty',
    ...loopControls({ temperature: false }),
  ],
  metrics: TRANSFORMER_METRICS,
  metricInfo,
  spoken: ['distinct2', 'vocabAlive'],
  presets: [
    {
      name: 'Nine generations, no real data',
      title:
        'Shumailov et al.: fine-tuned on its own text for nine generations, no real data kept, decoded as the paper did (5 beams, repetition penalty 3)',
      recipe: { ...paper, syntheticFraction: 1, epochs: 5 },
    },
    {
      name: 'Keep 10 % real text',
      title:
        'The same with 10 % of each training set real text and 10 epochs (the paper’s second setting)',
      recipe: { ...paper, syntheticFraction: 0.9, epochs: 10 },
    },
    {
      name: 'Sampling instead of beams',
      title:
        'No real data kept, decoded by sampling at temperature 1: errors pile up instead of loops',
      recipe: {
        ...paper,
        samplesPerGeneration: 32,
        syntheticFraction: 1,
        epochs: 4,
        decoding: 'sample',
        repetitionPenalty: 1,
      },
    },
  ],
  // No real density of text for a verifier to rank passages by: curation ranks by the model.
  derive(recipe) {
    if (recipe.curation?.by !== 'verifier') return null;
    recipe.curation = { ...recipe.curation, by: 'model' };
    return 'curation.by: there is no real density of text for a verifier; ranked by the model instead';
  },
  // A passage of 64 token ids per point, held as float64 like every model's coordinates.
  storage: () => ({ width: PASSAGE_TOKENS, bytesPerValue: 8, sufficientStatistics: false }),
  // For the work cap, in the cap's unit (a Gaussian point-draw, about 20 ns): a passage costs one
  // forward and backward pass per epoch (about 6 ms a passage at width 96 on WebAssembly) and its
  // sampling (about 2 ms): 4e5 units per passage-epoch, and the sampling on top.
  workPerPoint: (recipe) => 3e5 * recipe.epochs + 1e5,
  workMinutes: 30,
} satisfies ModelSpec<typeof fields>;
