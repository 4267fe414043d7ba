import { simulate } from '../../../src/core/generation/loop';
import { REAL } from '../../../src/core/generation/types';
import { gaussianFamily } from '../../../src/core/models/gaussian1d/family';
import { gmmFamily } from '../../../src/core/models/gmm/family';
import { parseRecipe } from '../../../src/core/recipe';

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

/** One pinned recipe's run through the generation loop, in the fixture's shape. */
export async function pinnedRun(raw: Record<string, unknown>): Promise<PinnedGeneration[]> {
  const parsed = parseRecipe(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  const r = parsed.recipe;
  const gens: PinnedGeneration[] = [];
  if (r.model === 'gaussian1d') {
    for await (const g of simulate(r, gaussianFamily(r))) {
      const sample = g.chain.sample;
      if (!sample) throw new Error('no training sample');
      const pick = (synthetic: boolean) =>
        sample.values.filter((_, i) => (sample.origin[i] !== REAL) === synthetic);
      gens.push({
        generation: g.generation,
        stats: g.stats as unknown as PinnedGeneration['stats'],
        chain: {
          model: g.chain.shown.model,
          training: g.chain.training,
          synthetic: fingerprint(pick(true)),
          real: fingerprint(pick(false)),
        },
      });
    }
  } else if (r.model === 'gmm') {
    for await (const g of simulate(r, gmmFamily(r))) {
      const sample = g.chain.sample;
      if (!sample) throw new Error('no training sample');
      const model = g.chain.shown.model;
      gens.push({
        generation: g.generation,
        stats: g.stats as unknown as PinnedGeneration['stats'],
        chain: {
          weights: Array.from(model.weights),
          means: Array.from(model.means),
          covariances: Array.from(model.covariances),
          training: g.chain.training,
          samples: fingerprint(sample.values),
          synthetic: fingerprint(Uint8Array.from(sample.origin, (o) => (o === REAL ? 0 : 1))),
        },
      });
    }
  }
  return gens;
}
