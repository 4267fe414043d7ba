// The mitigations as the loop applies them (src/core/generation/applyMitigations.ts), on their
// own: off, they change nothing and count nothing; on, a perfect filter drops exactly the
// synthetic points (from generation 1), the counts add up over chains with chain 1's kept apart,
// and a chain with too few points starves. (Through the loop: mitigations*.test.ts.)
import { describe, expect, it } from 'vitest';
import { LoopMitigations } from '../../../../src/core/generation/applyMitigations';
import { REAL } from '../../../../src/core/generation/types';

const M = 8;
const base = {
  samplesPerGeneration: M,
  generations: 3,
  replicates: 2,
  seed: 4,
  syntheticFraction: 0.5,
  regime: 'replace',
  realData: 'fresh',
  temperature: 1,
} as const;
const family = {
  alloc: (n: number) => new Float64Array(n),
  storage: { width: 1, bytesPerValue: 8, sufficientStatistics: false },
  sample: () => {},
  minPoints: () => 3,
};

/** M new points: nSynth synthetic (from generation gen − 1), then real; values 0, 1, 2, … */
function fresh(gen: number, nSynth: number) {
  const origin = new Int16Array(M).fill(REAL);
  origin.fill(gen - 1, 0, nSynth);
  return { values: Float64Array.from({ length: M }, (_, j) => j), origin };
}

describe('the mitigations applied by the loop', () => {
  it('off: keep every new point, count nothing and never starve', () => {
    const m = new LoopMitigations(base, family, [0, 1]);
    expect(m.on).toBe(false);
    m.startGeneration();
    expect(m.syntheticCount(2)).toBe(4);
    expect(m.filter(0, 2, fresh(2, 4), 4, 0)).toEqual({ kept: M, keptSynthetic: 4 });
    expect(m.starves(0, true, 0)).toBe(false);
    expect(m.totals).toEqual({
      chains: 0,
      drawnSynthetic: 0,
      drawnReal: 0,
      flaggedSynthetic: 0,
      flaggedReal: 0,
      starved: 0,
    });
    expect(m.chain1).toEqual({});
  });

  it('a perfect filter drops exactly the synthetic points from generation 1, and counts them', () => {
    const filter = { truePositiveRate: 1, falsePositiveRate: 0 };
    const m = new LoopMitigations({ ...base, filter }, family, [0, 1]);
    m.startGeneration();
    expect(m.filter(0, 0, fresh(0, 0), 0, 0)).toEqual({ kept: M, keptSynthetic: 0 });
    m.startGeneration();
    const points = fresh(1, 3);
    expect(m.filter(0, 1, points, 3, 0)).toEqual({ kept: 5, keptSynthetic: 0 });
    // The real points left move to the front, in order.
    expect(Array.from(points.values.subarray(0, 5))).toEqual([3, 4, 5, 6, 7]);
    expect(Array.from(points.origin.subarray(0, 5))).toEqual(Array(5).fill(REAL));
    expect(m.filter(1, 1, fresh(1, 6), 6, 0)).toEqual({ kept: 2, keptSynthetic: 0 });
    expect(m.totals).toEqual({
      chains: 2,
      drawnSynthetic: 9,
      drawnReal: 7,
      flaggedSynthetic: 9,
      flaggedReal: 0,
      starved: 0,
    });
    // Chain 1's own counts (the second chain's are in the totals only).
    expect(m.chain1).toEqual({
      drawnSynthetic: 3,
      drawnReal: 5,
      flaggedSynthetic: 3,
      flaggedReal: 0,
      syntheticShare: 0,
    });
    // Fewer than minPoints (3) left starves a chain that has a model, not one that has none.
    expect(m.starves(1, true, 2)).toBe(true);
    expect(m.starves(0, false, 2)).toBe(false);
    expect(m.starves(0, true, 3)).toBe(false);
    expect(m.totals.starved).toBe(1);
    expect(m.chain1.starved).toBeUndefined();
  });

  it('takes each generation’s synthetic count from the schedule', () => {
    const syntheticSchedule = { from: 0.25, to: 0.75, over: 3 };
    const m = new LoopMitigations({ ...base, syntheticSchedule }, family, [0]);
    expect([1, 2, 3, 4].map((g) => m.syntheticCount(g))).toEqual([2, 4, 6, 6]);
  });

  it('refuses curation by a score the family lacks', () => {
    const curation = { keep: 0.5, by: 'model', accuracy: 1 } as const;
    expect(() => new LoopMitigations({ ...base, curation }, family, [0])).toThrow(/logLikelihood/);
  });
});
