// The guard between results and views: NaN never reaches a chart or a readout.
import { describe, expect, it } from 'vitest';
import type { GenerationResult } from '../../../src/core/generation/types';
import { summarize } from '../../../src/core/summary';
import { allFinite, guardResult } from '../../../src/state/guard';

const summary = (...v: number[]) => summarize(Float64Array.from(v));

function result(over: Partial<GenerationResult> = {}): GenerationResult {
  return {
    generation: 7,
    stats: { std: summary(1, 2, 3), kl: summary(0.5, Number.POSITIVE_INFINITY) },
    chain: {
      training: { size: 3, synthetic: 2, real: 1 },
      sample: { values: Float32Array.of(1, 2, 3), origin: Int16Array.of(6, 6, -1), width: 1 },
      shown: { model: { mean: 0.1, std: 0.9 } },
    },
    ...over,
  };
}

describe('guardResult', () => {
  it('passes finite results through unchanged, with no notes', () => {
    const r = result();
    const g = guardResult(r);
    expect(g.stats.std).toEqual(r.stats.std);
    expect(g.chain.shown).toBe(r.chain.shown);
    expect(g.chain.sample).toBe(r.chain.sample);
    expect(g.notes).toEqual([]);
  });

  it('keeps +∞ (KL to a collapsed model) but turns a summary with no number into null', () => {
    const g = guardResult(
      result({
        stats: { kl: summary(Number.POSITIVE_INFINITY), std: summary(Number.NaN, Number.NaN) },
      }),
    );
    expect(g.stats.kl?.median).toBe(Number.POSITIVE_INFINITY);
    expect(g.stats.std).toBeNull();
    expect(g.notes).toEqual(['std is not a number in any chain at generation 7']);
  });

  it('notes chains left out of a summary', () => {
    const g = guardResult(result({ stats: { std: summary(1, Number.NaN, 2) } }));
    expect(g.stats.std?.median).toBe(1.5);
    expect(g.notes).toEqual(['std: 1 chain gave no number at generation 7 and is left out']);
  });

  it("drops chain 1's model and training points when any number in them is not finite", () => {
    const r = result();
    r.chain.shown = { model: { k: 1, d: 2, means: Float64Array.of(0, Number.NaN) } };
    r.chain.sample = {
      values: Float32Array.of(1, Number.NaN),
      origin: Int16Array.of(0, 0),
      width: 1,
    };
    const g = guardResult(r);
    expect(g.chain.shown).toBeNull();
    expect(g.chain.sample).toBeNull();
    expect(g.notes).toHaveLength(2);
  });
});

describe('allFinite', () => {
  it('looks into objects, arrays and float arrays', () => {
    expect(allFinite({ a: [1, { b: Float64Array.of(2, 3) }] })).toBe(true);
    expect(allFinite({ a: [1, { b: Float64Array.of(2, Number.POSITIVE_INFINITY) }] })).toBe(false);
    expect(allFinite([Number.NaN])).toBe(false);
    expect(allFinite({ bytes: Uint8Array.of(255) })).toBe(true);
  });
});
