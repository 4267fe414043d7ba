// The training sets of the generation loop (src/core/generation/trainingSet.ts) on their own,
// with a stand-in family whose real points count up (so fresh and fixed real data can be told
// apart) and whose synthetic points are negative: sizes, provenance and composition per regime,
// fixed versus fresh real data, the points a filter dropped, the accumulate fast path, and the
// buffers chains share when they are fitted one by one.
import { describe, expect, it } from 'vitest';
import { TrainingSets } from '../../../../src/core/generation/trainingSet';
import {
  type ChainStreams,
  type LoopRecipe,
  REAL,
  type SufficientStatistics,
  type TrainingSet,
} from '../../../../src/core/generation/types';
import { createRng, Stream } from '../../../../src/core/rng';

const M = 10;

interface Options {
  regime?: LoopRecipe['regime'];
  realData?: LoopRecipe['realData'];
  chains?: number;
  oneByOne?: boolean;
  shown?: number;
  sufficient?: SufficientStatistics<Float64Array, null, { n: number }>;
}

/** Training sets of `chains` chains; chain r's real points are 1000·(r + 1), + 1, + 2, … */
function setsOf(o: Options = {}) {
  const streams = Array.from(
    { length: o.chains ?? 1 },
    (_, r): ChainStreams => ({
      index: r,
      real: createRng(1, r, Stream.real),
      synthetic: createRng(1, r, Stream.synthetic),
      subsample: createRng(1, r, Stream.subsample),
    }),
  );
  const chains = streams.map((s) => {
    let next = 1000 * (s.index + 1);
    return {
      streams: s,
      real: (k: number, out: Float64Array) => {
        for (let j = 0; j < k; j++) out[j] = next++;
      },
    };
  });
  const family = {
    alloc: (n: number) => new Float64Array(n),
    storage: { width: 1, bytesPerValue: 8, sufficientStatistics: o.sufficient !== undefined },
    shownTrainingPoints: o.shown ?? 1000,
    sufficient: o.sufficient as SufficientStatistics<Float64Array, null, unknown> | undefined,
  };
  const recipe = {
    samplesPerGeneration: M,
    regime: o.regime ?? 'replace',
    realData: o.realData ?? 'fresh',
    seed: 1,
  } as const;
  return new TrainingSets<Float64Array, null>(recipe, family, chains, o.oneByOne ?? true);
}

/**
 * One generation of chain i as the loop builds it: nSynth synthetic points (−(100·gen + j)),
 * then the real ones; the filter keeps the first `kept` (`keptSynthetic` of them synthetic).
 */
function generation(
  sets: TrainingSets<Float64Array, null>,
  i: number,
  gen: number,
  nSynth: number,
  kept = M,
  keptSynthetic = nSynth,
): TrainingSet<Float64Array> | null {
  const fresh = sets.newPoints(i);
  for (let j = 0; j < nSynth; j++) fresh.values[j] = -(100 * gen + j);
  sets.addReal(i, gen, fresh, nSynth);
  return sets.build(i, gen, fresh, kept, keptSynthetic, null);
}

const pointsOf = (s: TrainingSet<Float64Array> | null) => {
  if (!s) throw new Error('no set');
  return Array.from(s.values.subarray(0, s.size));
};
const originsOf = (s: TrainingSet<Float64Array> | null) => {
  if (!s) throw new Error('no set');
  return Array.from(s.origin.subarray(0, s.size));
};
const range = (from: number, n: number) => Array.from({ length: n }, (_, j) => from + j);

describe('training sets under replace', () => {
  it('trains generation 0 on M real points, then each generation on its own new points', () => {
    const sets = setsOf();
    const g0 = generation(sets, 0, 0, 0);
    expect(pointsOf(g0)).toEqual(range(1000, M));
    expect(originsOf(g0)).toEqual(Array(M).fill(REAL));
    expect(sets.composition).toEqual({ size: M, synthetic: 0, real: M });
    const g3 = generation(sets, 0, 3, 4);
    expect(g3?.generation).toBe(3);
    // The synthetic points first, marked as generation 2's; then 6 fresh real points.
    expect(pointsOf(g3)).toEqual([-300, -301, -302, -303, ...range(1010, 6)]);
    expect(originsOf(g3)).toEqual([2, 2, 2, 2, ...Array(6).fill(REAL)]);
    expect(sets.composition).toEqual({ size: M, synthetic: 4, real: 6 });
  });

  it('with fixed real data reuses the first of generation 0’s real points every generation', () => {
    const sets = setsOf({ realData: 'fixed' });
    expect(pointsOf(generation(sets, 0, 0, 0))).toEqual(range(1000, M));
    expect(pointsOf(generation(sets, 0, 1, 7))).toEqual([
      -100, -101, -102, -103, -104, -105, -106, 1000, 1001, 1002,
    ]);
    expect(pointsOf(generation(sets, 0, 2, 2)).slice(2)).toEqual(range(1000, 8));
  });

  it('trains on the points the filter left only', () => {
    const sets = setsOf();
    generation(sets, 0, 0, 0);
    const set = generation(sets, 0, 1, 5, 6, 2);
    expect(set?.size).toBe(6);
    expect(sets.composition).toEqual({ size: 6, synthetic: 2, real: 4 });
  });
});

describe('training sets under accumulate', () => {
  it('trains on every point so far, each with the generation that sampled it', () => {
    const sets = setsOf({ regime: 'accumulate' });
    generation(sets, 0, 0, 0);
    generation(sets, 0, 1, 3);
    const g2 = generation(sets, 0, 2, 4);
    expect(g2?.size).toBe(3 * M);
    expect(originsOf(g2)).toEqual([
      ...Array(M).fill(REAL),
      ...[0, 0, 0],
      ...Array(7).fill(REAL),
      ...[1, 1, 1, 1],
      ...Array(6).fill(REAL),
    ]);
    expect(pointsOf(g2).slice(M, M + 4)).toEqual([-100, -101, -102, 1010]);
    expect(sets.composition).toEqual({ size: 3 * M, synthetic: 7, real: 23 });
  });

  it('grows the pool only by the points the filter left', () => {
    const sets = setsOf({ regime: 'accumulate' });
    generation(sets, 0, 0, 0);
    const g1 = generation(sets, 0, 1, 5, 4, 1);
    expect(g1?.size).toBe(M + 4);
    const g2 = generation(sets, 0, 2, 5);
    expect(g2?.size).toBe(2 * M + 4);
    // The new points of generation 2 follow the 4 that generation 1 kept.
    expect(originsOf(g2).slice(M + 4, M + 9)).toEqual([1, 1, 1, 1, 1]);
    expect(sets.composition).toEqual({ size: 2 * M + 4, synthetic: 6, real: 2 * M - 2 });
  });

  it('on the fast path fits from statistics: no set, a pool for chain 1 only (for display)', () => {
    const added: number[][] = [];
    const sets = setsOf({
      regime: 'accumulate',
      chains: 2,
      shown: 1000,
      sufficient: {
        empty: () => ({ n: 0 }),
        add: (stats, values, size) => {
          stats.n += size;
          added.push(Array.from(values.subarray(0, size)));
        },
        fit: () => null,
      },
    });
    for (const i of [0, 1]) expect(generation(sets, i, 0, 0)).toBeNull();
    for (const i of [0, 1]) expect(generation(sets, i, 1, 3)).toBeNull();
    expect(sets.statistics(0)).toEqual({ n: 2 * M });
    expect(sets.statistics(1)).toEqual({ n: 2 * M });
    expect(sets.sizeOf(1, null)).toBe(2 * M);
    expect(added[3]).toEqual([-100, -101, -102, ...range(2010, 7)]);
    // Chain 1's shown points are its pool.
    const shown = sets.shownSample(0, null);
    expect(Array.from(shown?.values ?? [])).toEqual([
      ...range(1000, M),
      -100,
      -101,
      -102,
      ...range(1010, 7),
    ]);
    expect(sets.composition).toEqual({ size: 2 * M, synthetic: 3, real: 17 });
  });
});

describe('training sets under accumulate-subsample', () => {
  it('trains on M distinct points of the pool, their provenance kept', () => {
    const sets = setsOf({ regime: 'accumulate-subsample' });
    expect(generation(sets, 0, 0, 0)?.size).toBe(M);
    let set: TrainingSet<Float64Array> | null = null;
    for (let gen = 1; gen <= 4; gen++) set = generation(sets, 0, gen, 6);
    expect(set?.size).toBe(M);
    const points = pointsOf(set);
    expect(new Set(points).size).toBe(M);
    // Each point says where it came from: a real point (≥ 1000) or generation g − 1's (−100·g − j).
    const origins = originsOf(set);
    for (let j = 0; j < M; j++) {
      const p = points[j];
      expect(origins[j]).toBe(p >= 1000 ? REAL : Math.floor(-p / 100) - 1);
    }
    const synthetic = origins.filter((o) => o !== REAL).length;
    expect(sets.composition).toEqual({ size: M, synthetic, real: M - synthetic });
  });

  it('takes the whole pool while it holds fewer than M points', () => {
    const sets = setsOf({ regime: 'accumulate-subsample' });
    const g0 = generation(sets, 0, 0, 0, 4, 0);
    expect(g0?.size).toBe(4);
    expect(pointsOf(g0).sort((a, b) => a - b)).toEqual(range(1000, 4));
  });
});

describe('buffers and the shown sample', () => {
  it('shares one training buffer between chains fitted one by one, one each when fitted at once', () => {
    const shared = setsOf({ chains: 2, oneByOne: true });
    expect(shared.newPoints(0).values).toBe(shared.newPoints(1).values);
    const own = setsOf({ chains: 2, oneByOne: false });
    expect(own.newPoints(0).values).not.toBe(own.newPoints(1).values);
  });

  it('shows every training point, or a uniform subset of shownTrainingPoints with provenance', () => {
    const all = setsOf({ shown: 1000 });
    const set = generation(all, 0, 1, 4);
    const shown = all.shownSample(0, set);
    expect(Array.from(shown?.values ?? [])).toEqual(pointsOf(set));
    expect(Array.from(shown?.origin ?? [])).toEqual(originsOf(set));

    const few = setsOf({ shown: 3 });
    const subset = few.shownSample(0, generation(few, 0, 1, 4));
    expect(subset?.values.length).toBe(3);
    for (let j = 0; j < 3; j++) {
      const p = subset?.values[j] ?? 0;
      expect(subset?.origin[j]).toBe(p < 0 ? 0 : REAL);
    }
    expect(setsOf({ shown: 0 }).shownSample(0, set)).toBeNull();
  });
});
