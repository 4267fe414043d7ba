// Recipes whose outputs were recorded before the generation loop moved into src/core/generation/
// (tests/unit/core/fixtures/pinned-runs.json, written by scripts/pin-runs.ts). The loop must give
// the very same numbers for them: same streams, same order of draws, same arithmetic.
export const PINNED_RECIPES: Record<string, Record<string, unknown>> = {
  'gaussian replace mle': { samplesPerGeneration: 100, generations: 30, replicates: 40 },
  'gaussian replace unbiased, 60 % synthetic, λ 0.8, fixed real': {
    samplesPerGeneration: 50,
    generations: 25,
    replicates: 30,
    estimator: 'unbiased',
    syntheticFraction: 0.6,
    temperature: 0.8,
    realData: 'fixed',
  },
  'gaussian accumulate': {
    samplesPerGeneration: 40,
    generations: 60,
    replicates: 20,
    regime: 'accumulate',
  },
  'gaussian accumulate-subsample, fixed real, 70 %': {
    samplesPerGeneration: 30,
    generations: 80,
    replicates: 16,
    regime: 'accumulate-subsample',
    realData: 'fixed',
    syntheticFraction: 0.7,
  },
  'gaussian accumulate, shown set past the display cap': {
    samplesPerGeneration: 500,
    generations: 6,
    replicates: 3,
    regime: 'accumulate',
    syntheticFraction: 0.5,
  },
  'gmm gaussian2d replace': {
    model: 'gmm',
    samplesPerGeneration: 200,
    generations: 12,
    replicates: 6,
    engine: 'ts',
  },
  'gmm ring8 accumulate-subsample fixed real': {
    model: 'gmm',
    realDistribution: 'ring8',
    components: 8,
    samplesPerGeneration: 160,
    generations: 8,
    replicates: 4,
    regime: 'accumulate-subsample',
    realData: 'fixed',
    syntheticFraction: 0.75,
    engine: 'ts',
  },
  'gmm bimodal1d accumulate, λ 0.7, random init': {
    model: 'gmm',
    realDistribution: 'bimodal1d',
    components: 2,
    samplesPerGeneration: 120,
    generations: 10,
    replicates: 5,
    regime: 'accumulate',
    temperature: 0.7,
    init: 'random',
    engine: 'ts',
  },
  'gmm grid25 replace, 90 % synthetic': {
    model: 'gmm',
    realDistribution: 'grid25',
    components: 25,
    samplesPerGeneration: 400,
    generations: 5,
    replicates: 3,
    syntheticFraction: 0.9,
    engine: 'ts',
  },
};

/** A generation as pinned: the stats, and chain 1's model and training set in brief. */
export interface PinnedGeneration {
  generation: number;
  stats: Record<string, Record<string, number | null>>;
  chain: Record<string, unknown>;
}

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

/** A short, exact fingerprint of a typed array: its length, sum, and first and last values. */
export function fingerprint(a: ArrayLike<number>): [number, number, number[], number[]] {
  const arr = Array.from(a);
  return [arr.length, sum(arr), arr.slice(0, 3), arr.slice(-3)];
}

/** JSON keeps ±Infinity and NaN as null; compare through the same round trip. */
export function roundTrip<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}
