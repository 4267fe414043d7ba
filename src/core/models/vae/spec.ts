// A small VAE on MNIST digits, trained afresh each generation in the tab on real digits mixed
// with digits the previous generation drew.
import { int, loopControls, loopFields, num } from '../../fields';
import type { MetricInfo, ModelSpec } from '../spec';

export const VAE_METRICS = ['heldOutElbo', 'latentStd', 'classEntropy', 'diversity'] as const;
export type VaeMetric = (typeof VAE_METRICS)[number];

/** Pixels of one digit (28 × 28 grey levels, a byte each). */
export const DIGIT_PIXELS = 784;

/** Multiply-adds of encoder and decoder per digit: 784 → H → 2z, then z → H → 784. */
const vaeMacs = (h: number, z: number) => 2 * DIGIT_PIXELS * h + 3 * z * h;

/**
 * One digit's training epoch in the work cap's unit (the Gaussian's draw, caps.ts), for the
 * default 784-128-8: one Adam step of 64 digits took 8 ms on WebAssembly (bench: vae.msPerStep,
 * Node and a Chromium worker), 0.125 ms a digit, at 5e7 units a second (MAX_WORK a minute).
 * Other sizes scale with the multiply-adds.
 */
const EPOCH_WORK = 6250;

const fields = {
  ...loopFields({ M: [100, 8000, 2000], gens: [50, 5], reps: [4, 1] }),
  latentSize: int('z', 'Latent size', 2, 16, 8, {
    step: 1,
    display: 'count',
    hint: '2 shows the latent space as a scatter.',
    testId: 'latent',
  }),
  hiddenSize: int('h', 'Hidden units', 16, 512, 128, {
    scale: 'log',
    display: 'count',
    testId: 'hidden',
  }),
  epochs: int('ep', 'Epochs per generation', 1, 100, 10, {
    scale: 'log',
    display: 'count',
    testId: 'epochs',
  }),
  batchSize: int('bs', 'Batch size', 8, 512, 64, {
    scale: 'log',
    display: 'count',
    testId: 'batch',
  }),
  learningRate: num('lr', 'Learning rate', 1e-5, 0.1, 1e-3, {
    scale: 'log',
    step: 0.1,
    display: 'exponent',
    testId: 'learning-rate',
  }),
};

/** What the screens show of each metric (figures, summaries, the phase diagram). */
const metricInfo = {
  classEntropy: {
    title: 'Class entropy of the samples',
    label: 'bits',
    scale: 'linear',
    // Ten classes drawn equally often: log2(10) bits.
    reference: { value: Math.log2(10), label: 'all ten equally: 3.32' },
    spoken: { before: 'class entropy', after: 'bits' },
  },
  diversity: {
    title: 'Diversity of the samples',
    label: 'mean pairwise distance',
    scale: 'linear',
    spoken: { before: 'diversity' },
  },
  latentStd: {
    title: 'Spread of the latent codes',
    label: 'std of encoder means',
    scale: 'linear',
    spoken: { before: 'latent spread', relative: true },
  },
  heldOutElbo: {
    title: 'Fit to real test digits',
    label: 'ELBO, nats per digit (higher is better)',
    scale: 'linear',
  },
} satisfies { [K in VaeMetric]?: MetricInfo };

export const vaeSpec = {
  displayName: 'VAE on MNIST',
  fields,
  controls: [
    'syntheticFraction',
    'latentSize',
    'hiddenSize',
    'epochs',
    'batchSize',
    'learningRate',
    ...loopControls(),
  ],
  metrics: VAE_METRICS,
  metricInfo,
  spoken: ['latentStd', 'classEntropy'],
  presets: [],
  // No real density of digits: a verifier cannot rank them, so curation ranks by the VAE's own
  // score (engine/models/vae/family.ts, logLikelihood).
  derive(recipe) {
    const c = recipe.curation;
    if (c?.by !== 'verifier') return null;
    recipe.curation = { ...c, by: 'model' };
    return 'curation.by: the VAE has no real density of digits for a verifier; ranked by the model instead';
  },
  workPerPoint: (recipe) =>
    (vaeMacs(recipe.hiddenSize, recipe.latentSize) / vaeMacs(128, 8)) * recipe.epochs * EPOCH_WORK,
  workMinutes: 30,
  // Digits as bytes; 'accumulate' trains each chain on a float32 copy of its whole pool.
  storage: () => ({
    width: DIGIT_PIXELS,
    bytesPerValue: 1,
    sufficientStatistics: false,
    trainingBytesPerValue: 4,
  }),
} satisfies ModelSpec<typeof fields>;
