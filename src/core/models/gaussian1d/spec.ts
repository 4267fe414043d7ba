// The 1-D Gaussian (Shumailov et al., The Curse of Recursion): a mean and a variance refitted to
// M points drawn from the previous fit.
import { choice, loopControls, loopFields } from '../../fields';
import type { MetricInfo, ModelSpec } from '../spec';
import { ESTIMATORS } from './gaussian';
import { gaussianTheory, theoryUnavailable } from './theory';

export const GAUSSIAN_METRICS = ['std', 'variance', 'mean', 'tailMass', 'w2', 'kl'] as const;
export type GaussianMetric = (typeof GAUSSIAN_METRICS)[number];

const fields = {
  ...loopFields({ M: [10, 10_000, 100], gens: [1000, 200], reps: [1000, 500] }),
  estimator: choice('est', 'Variance estimate', ESTIMATORS, 'mle', {
    names: { mle: 'MLE (÷n)', unbiased: 'Unbiased (÷n−1)' },
  }),
};

/** What the screens show of each metric (figures, summaries, the phase diagram). */
const metricInfo = {
  std: {
    title: 'Spread σ',
    label: 'σ (log scale)',
    scale: 'log',
    reference: { value: 1, label: 'real σ = 1' },
    spoken: { before: 'spread', relative: true },
    phaseScale: 'log',
    phaseBoundary: { level: 0.5, label: 'theory: σ falls below ½' },
  },
  variance: {
    phaseScale: 'log',
    phaseBoundary: { level: 0.25, label: 'theory: σ² falls below ¼' },
  },
  tailMass: {
    title: 'Tail mass P(|x| > 1.96)',
    label: 'P(|x| > 1.96)',
    scale: 'linear',
    reference: { value: 0.05, label: 'real: 0.05' },
    spoken: { before: 'tails', times: 100, digits: 2, after: '%' },
  },
  w2: { title: 'Distance to the real N(0, 1)', label: 'W₂', scale: 'linear' },
  kl: { phaseScale: 'log' },
} satisfies { [K in GaussianMetric]?: MetricInfo };

export const gaussianSpec = {
  displayName: '1-D Gaussian',
  fields,
  controls: ['syntheticFraction', ...loopControls({ between: ['estimator'] })],
  metrics: GAUSSIAN_METRICS,
  metricInfo,
  spoken: ['std', 'tailMass'],
  classMetric: 'std',
  presets: [
    {
      name: 'Pure collapse',
      title: 'Shumailov et al.: M = 100, 1,000 generations, no real data',
      recipe: {
        samplesPerGeneration: 100,
        generations: 1000,
        replicates: 500,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
    {
      name: 'Keep 10 % real',
      title: 'Each generation keeps 10 % fresh real data',
      recipe: {
        samplesPerGeneration: 100,
        generations: 1000,
        replicates: 500,
        syntheticFraction: 0.9,
        regime: 'replace',
      },
    },
    {
      name: 'Accumulate',
      title: 'Gerstgrasser et al.: keep all earlier data',
      recipe: {
        samplesPerGeneration: 100,
        generations: 1000,
        replicates: 200,
        syntheticFraction: 1,
        regime: 'accumulate',
      },
    },
  ],
  parallelChains: () => true,
  theoryNote: theoryUnavailable,
  metricTheory: (recipe, metric) => {
    const t = gaussianTheory(recipe);
    if (!t) return null;
    if (metric === 'variance') return t.points.map((p) => p.variance);
    if (metric !== 'std') return null;
    // The curve the σ chart draws: the median where it is known, else √E[σ²].
    return t.points.map((p) =>
      t.stdCurve === 'median' ? (p.stdMedian as number) : Math.sqrt(p.variance),
    );
  },
  theory: (recipe) => gaussianTheory(recipe)?.points ?? null,
  // One value per point; `accumulate` keeps only moments (chain 1 keeps its points for display).
  storage: () => ({ width: 1, bytesPerValue: 8, sufficientStatistics: true }),
  // The unit of the work cap: one draw and its share of a refit.
  workPerPoint: () => 1,
} satisfies ModelSpec<typeof fields>;
