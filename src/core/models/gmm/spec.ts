// Gaussian mixtures refitted by EM as scikit-learn's GaussianMixture does, on a known real mixture
// (the Curse of Recursion's GMM, MAD's 25 modes, a ring of 8, two modes on a line).
import { choice, int, loopControls, loopFields, num, type Values } from '../../fields';
import type { MetricInfo, ModelSpec } from '../spec';
import { gmmTheoryUnavailable } from './theory';

export const REAL_DISTRIBUTIONS = ['gaussian2d', 'bimodal1d', 'ring8', 'grid25'] as const;
export type RealDistribution = (typeof REAL_DISTRIBUTIONS)[number];
export const GMM_INITS = ['kmeans++', 'random'] as const;
export const ENGINES = ['auto', 'ts', 'tfjs'] as const;
export type Engine = (typeof ENGINES)[number];

/** Dimension of each real distribution. */
export const REAL_DISTRIBUTION_DIMENSIONS: Record<RealDistribution, 1 | 2> = {
  gaussian2d: 2,
  bimodal1d: 1,
  ring8: 2,
  grid25: 2,
};

export const GMM_METRICS = [
  'std',
  'variance',
  'mean',
  'componentStd',
  'tailMass',
  'logLikReal',
  'modesAlive',
  'w2',
] as const;
export type GmmMetric = (typeof GMM_METRICS)[number];

/** What the mixture's hooks are given: its fields' values and the derived dimension. */
type GmmSpecRecipe = Values<typeof fields> & { dimensions: 1 | 2 };

const fields = {
  ...loopFields({ M: [10, 10_000, 1000], gens: [5000, 100], reps: [1000, 64] }),
  realDistribution: choice('dist', 'Real distribution', REAL_DISTRIBUTIONS, 'gaussian2d', {
    names: {
      gaussian2d: '2-D Gaussian',
      bimodal1d: '1-D two modes',
      ring8: 'Ring of 8',
      grid25: '5 × 5 grid',
    },
  }),
  components: int('K', 'Mixture components K', 1, 25, 2, {
    step: 1,
    display: 'count',
    testId: 'components',
  }),
  tol: num('tol', 'EM tolerance', 1e-8, 1, 1e-3, { control: 'none' }),
  maxIter: int('iter', 'EM iterations at most', 1, 10_000, 100, { control: 'none' }),
  regCovar: num('reg', 'Covariance regularisation', 0, 1, 1e-6, { control: 'none' }),
  init: choice('init', 'EM initialisation', GMM_INITS, 'kmeans++', { control: 'none' }),
  engine: choice('engine', 'Engine', ENGINES, 'auto', {
    names: { auto: 'Fastest', ts: 'TypeScript', tfjs: 'tfjs (batched)' },
  }),
};

/** What the screens show of each metric (figures, summaries, the phase diagram). */
const metricInfo = {
  std: {
    title: 'Spread of the whole mixture',
    label: 'σ (log scale)',
    scale: 'log',
    spoken: { before: 'spread', relative: true },
    phaseScale: 'log',
  },
  variance: { phaseScale: 'log' },
  componentStd: {
    title: 'Spread of each component',
    label: 'mean component σ (log)',
    scale: 'log',
    phaseScale: 'log',
  },
  modesAlive: {
    title: 'Real modes still covered',
    label: 'modes alive',
    scale: 'linear',
    spoken: { digits: 2, after: 'modes alive' },
  },
  tailMass: {
    title: 'Tail mass: the least likely 5 %',
    label: 'model mass there',
    scale: 'linear',
    reference: { value: 0.05, label: 'real: 0.05' },
    spoken: { before: 'tails', times: 100, digits: 2, after: '%' },
  },
  logLikReal: { title: 'Log-likelihood of real data', label: 'nats per point', scale: 'linear' },
  w2: { title: 'Distance to the real distribution', label: 'W₂ (sample-based)', scale: 'linear' },
} satisfies { [K in GmmMetric]?: MetricInfo };

export const gmmSpec = {
  displayName: 'Gaussian mixtures',
  fields,
  controls: ['syntheticFraction', 'realDistribution', 'components', 'engine', ...loopControls()],
  metrics: GMM_METRICS,
  metricInfo,
  spoken: ['std', 'tailMass'],
  presets: [
    {
      name: 'Curse of Recursion GMM',
      title: 'Shumailov et al.: 2-D N(0, I), M = 1,000, K = 2, 2,050 generations',
      recipe: {
        realDistribution: 'gaussian2d',
        samplesPerGeneration: 1000,
        components: 2,
        generations: 2050,
        replicates: 16,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
    {
      name: '25 modes',
      title: 'Alemohammad et al. (MAD): a 5 × 5 grid of modes, K = 25',
      recipe: {
        realDistribution: 'grid25',
        samplesPerGeneration: 1000,
        components: 25,
        generations: 200,
        replicates: 8,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
    {
      name: 'Ring of 8',
      title: '8 modes on a circle, K = 8',
      recipe: {
        realDistribution: 'ring8',
        samplesPerGeneration: 500,
        components: 8,
        generations: 300,
        replicates: 16,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
    {
      name: '1-D bimodal',
      title: 'Two modes on a line, K = 2',
      recipe: {
        realDistribution: 'bimodal1d',
        samplesPerGeneration: 200,
        components: 2,
        generations: 300,
        replicates: 32,
        syntheticFraction: 1,
        regime: 'replace',
      },
    },
  ],
  // The TS engine fits chain by chain; the batched engine wants every chain in one tensor program.
  parallelChains: (recipe) => recipe.engine !== 'tfjs',
  theoryNote: (recipe) => {
    const why = gmmTheoryUnavailable(recipe);
    return why ? `No theory curve on the spread chart: ${why}.` : null;
  },
  derived: ['dimensions'],
  /** Type-only: the recipe's derived values. */
  derivedValues: undefined as { dimensions: 1 | 2 } | undefined,
  derive(recipe, input) {
    const warnings: string[] = [];
    const dims = REAL_DISTRIBUTION_DIMENSIONS[recipe.realDistribution];
    recipe.dimensions = dims;
    if (input.dimensions !== undefined && input.dimensions !== dims) {
      warnings.push(
        `dimensions: ${JSON.stringify(input.dimensions)} does not match realDistribution ${recipe.realDistribution}; set to ${dims}`,
      );
    }
    // EM cannot fit more components than a generation has points (K points on K components is
    // the most: each collapses onto one, kept positive definite by regCovar).
    const M = recipe.samplesPerGeneration;
    if (recipe.components > M) {
      warnings.push(
        `components: ${recipe.components} is more than the ${M} points of a generation; lowered to ${M}`,
      );
      recipe.components = M;
    }
    return warnings;
  },
  // EM touches each point once per component and dimension per iteration: a generous estimate
  // for the work cap (iterations left out), so that no slider's end alone is cut.
  workPerPoint: (recipe) => recipe.components * recipe.dimensions,
  // Given only what it reads: the family (family.ts) asks before its recipe is a whole one.
  storage: (recipe: { realDistribution: RealDistribution }) => ({
    width: REAL_DISTRIBUTION_DIMENSIONS[recipe.realDistribution],
    bytesPerValue: 8,
    sufficientStatistics: false,
  }),
} satisfies ModelSpec<typeof fields, GmmSpecRecipe>;
