// A denoising diffusion model (DDPM) of 2-D points, trained afresh each generation in the tab on
// real points mixed with points the previous generation's reverse chain drew: the small analogue
// of the image diffusion models retrained on their own samples.
import { choice, int, loopControls, loopFields, num } from '../../fields';
import type { MetricInfo, ModelSpec } from '../spec';
import { EMBED } from './schedule';

export const DIFFUSION_DISTRIBUTIONS = ['ring8', 'grid25', 'spiral'] as const;
export type DiffusionDistribution = (typeof DIFFUSION_DISTRIBUTIONS)[number];

export const DIFFUSION_METRICS = ['modesAlive', 'w2', 'std', 'precision', 'recall'] as const;
export type DiffusionMetric = (typeof DIFFUSION_METRICS)[number];

/** Points per Adam step (a batch of 256, as the issue fixes it). */
export const DIFFUSION_BATCH = 256;

/** Multiply-adds of the noise predictor per point: (2 + EMBED) → H → H → H → 2. */
const predictorMacs = (h: number) => (2 + EMBED) * h + 2 * h * h + 2 * h;

/**
 * One point's training epoch, and one reverse step of sampling it, in the work cap's unit (the
 * Gaussian's draw, caps.ts), for the default H = 32: the default recipe's whole run took 1.77 s a
 * generation in Chromium on WebAssembly (bench: diffusion.msPerGeneration, 2 shared cores), at
 * 5e7 units a second (MAX_WORK a minute), over 1,000 points × (200 epochs + 100 steps / 3) —
 * a forward pass is about a third of a training step. Other widths scale with the multiply-adds.
 */
const EPOCH_WORK = 400;
const STEP_WORK = EPOCH_WORK / 3;

const fields = {
  ...loopFields({ M: [256, 5000, 1000], gens: [50, 5], reps: [8, 1] }),
  realDistribution: choice('dist', 'Real distribution', DIFFUSION_DISTRIBUTIONS, 'ring8', {
    names: { ring8: 'Ring of 8', grid25: '5 × 5 grid', spiral: 'Spiral of 16' },
  }),
  steps: int('T', 'Noise steps T', 50, 200, 100, {
    scale: 'log',
    display: 'count',
    hint: 'The sampler walks all T steps back from pure noise.',
    testId: 'noise-steps',
  }),
  hiddenSize: int('h', 'Hidden units', 16, 256, 32, {
    scale: 'log',
    display: 'count',
    testId: 'hidden',
  }),
  epochs: int('ep', 'Epochs per generation', 10, 2000, 200, {
    scale: 'log',
    display: 'count',
    hint: 'Passes over the training set in batches of 256.',
    testId: 'epochs',
  }),
  learningRate: num('lr', 'Learning rate', 1e-4, 0.05, 1e-2, {
    scale: 'log',
    step: 0.1,
    display: 'exponent',
    testId: 'learning-rate',
  }),
};

/** What the screens show of each metric (figures, summaries, the phase diagram). */
const metricInfo = {
  modesAlive: {
    title: 'Real modes still covered',
    label: 'modes alive',
    scale: 'linear',
    spoken: { digits: 2, after: 'modes alive' },
  },
  precision: {
    title: 'Precision: samples that look real',
    label: 'share of samples (k-NN)',
    scale: 'linear',
  },
  recall: {
    title: 'Recall: real data still covered',
    label: 'share of real points (k-NN)',
    scale: 'linear',
    spoken: { before: 'recall', digits: 2 },
  },
  w2: { title: 'Distance to the real distribution', label: 'sliced W₂', scale: 'linear' },
  std: {
    title: 'Spread of the samples',
    label: 'σ',
    scale: 'linear',
    spoken: { before: 'spread', relative: true },
    phaseScale: 'log',
  },
} satisfies { [K in DiffusionMetric]?: MetricInfo };

export const diffusionSpec = {
  displayName: 'Diffusion on 2-D points',
  fields,
  controls: [
    'syntheticFraction',
    'realDistribution',
    'steps',
    'hiddenSize',
    'epochs',
    'learningRate',
    ...loopControls(),
  ],
  metrics: DIFFUSION_METRICS,
  metricInfo,
  spoken: ['std', 'modesAlive'],
  presets: [
    {
      name: 'Two generations of diffusion',
      title:
        'Martínez et al.: diffusion models retrained on their own images lose quality within a few generations; a small DDPM on the ring of 8, no real data',
      // The reduced recipe of the unit tests (measured on wasm, seed 1: 8 modes alive at
      // generations 0 and 1, 5 at generation 2), quick enough to watch.
      recipe: {
        realDistribution: 'ring8',
        samplesPerGeneration: 512,
        steps: 50,
        epochs: 300,
        generations: 2,
        replicates: 1,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
  ],
  workPerPoint: (recipe) =>
    (predictorMacs(recipe.hiddenSize) / predictorMacs(32)) *
    (recipe.epochs * EPOCH_WORK + recipe.steps * STEP_WORK),
  workMinutes: 30,
  // Points as float64 pairs; 'accumulate' trains each chain on a float32 copy of its pool.
  storage: () => ({
    width: 2,
    bytesPerValue: 8,
    sufficientStatistics: false,
    trainingBytesPerValue: 4,
  }),
} satisfies ModelSpec<typeof fields>;
