import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { quantileSorted, SUMMARY_KEYS, summarize } from '../../../src/core/summary';

/**
 * Type-7 quantile written the way R documents it (1-based): Q(p) = (1 − g)·x[j] + g·x[j + 1]
 * with j = floor((n − 1)p + 1), g = (n − 1)p + 1 − j. An independent formulation to compare with.
 */
function type7(sorted: number[], p: number): number {
  const n = sorted.length;
  const h = (n - 1) * p + 1;
  const j = Math.floor(h);
  const g = h - j;
  const x = (i: number) => sorted[Math.min(n, Math.max(1, i)) - 1];
  return (1 - g) * x(j) + g * x(j + 1);
}

describe('quantileSorted', () => {
  it('interpolates linearly between order statistics (hand-computed)', () => {
    const xs = [1, 2, 3, 4];
    // h = (n − 1)p: p = 0.5 → h = 1.5 → 2.5; p = 0.25 → h = 0.75 → 1.75; p = 0.05 → h = 0.15
    // → 1.15; p = 0.95 → h = 2.85 → 3.85.
    expect(quantileSorted(xs, 0)).toBe(1);
    expect(quantileSorted(xs, 0.5)).toBeCloseTo(2.5, 14);
    expect(quantileSorted(xs, 0.25)).toBeCloseTo(1.75, 14);
    expect(quantileSorted(xs, 0.05)).toBeCloseTo(1.15, 14);
    expect(quantileSorted(xs, 0.95)).toBeCloseTo(3.85, 14);
    expect(quantileSorted(xs, 1)).toBe(4);
    // Odd length: the median is the middle value.
    expect(quantileSorted([-3, 10, 11], 0.5)).toBe(10);
  });

  it('returns the single value of a one-element array and NaN for an empty one', () => {
    for (const p of [0, 0.05, 0.5, 0.95, 1]) expect(quantileSorted([7], p)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('agrees with an independent type-7 formula on random data', () => {
    const rng = createRng(3);
    for (const n of [2, 3, 10, 101, 1000]) {
      const xs = Array.from({ length: n }, () => rng.normal()).sort((a, b) => a - b);
      for (const p of [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1]) {
        expect(Math.abs(quantileSorted(xs, p) - type7(xs, p))).toBeLessThan(1e-12);
      }
    }
  });
});

describe('summarize', () => {
  it('gives the mean and quantiles of unsorted values (hand-computed)', () => {
    // Sorted: 1 1 2 3 3 4 5 5 6 9; mean 39/10. Median h = 4.5 → 3.5; q25 h = 2.25 → 2.25;
    // q75 h = 6.75 → 5; q05 h = 0.45 → 1; q95 h = 8.55 → 6 + 0.55·3 = 7.65.
    const s = summarize(Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]));
    expect(s.mean).toBeCloseTo(3.9, 14);
    expect(s.median).toBeCloseTo(3.5, 14);
    expect(s.q25).toBeCloseTo(2.25, 14);
    expect(s.q75).toBeCloseTo(5, 14);
    expect(s.q05).toBeCloseTo(1, 14);
    expect(s.q95).toBeCloseTo(7.65, 14);
  });

  it('sorts numerically, not as strings', () => {
    // As strings, 10 < 9 and -1 < -20 would reorder these.
    const s = summarize(Float64Array.from([10, 9, 100, -1, -20]));
    // Sorted: -20 -1 9 10 100; median 9; q25 h = 1 → -1; q75 h = 3 → 10.
    expect(s.median).toBe(9);
    expect(s.q25).toBe(-1);
    expect(s.q75).toBe(10);
  });

  it('returns every key in SUMMARY_KEYS and nothing else', () => {
    const s = summarize(Float64Array.from([1, 2, 3]));
    expect(Object.keys(s).sort()).toEqual([...SUMMARY_KEYS].sort());
  });

  it('orders its quantiles and keeps the mean inside the range', () => {
    const rng = createRng(4);
    const xs = Float64Array.from({ length: 999 }, () => Math.exp(rng.normal()));
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const s = summarize(xs);
    expect(lo).toBeLessThanOrEqual(s.q05);
    expect(s.q05).toBeLessThanOrEqual(s.q25);
    expect(s.q25).toBeLessThanOrEqual(s.median);
    expect(s.median).toBeLessThanOrEqual(s.q75);
    expect(s.q75).toBeLessThanOrEqual(s.q95);
    expect(s.q95).toBeLessThanOrEqual(hi);
    expect(s.mean).toBeGreaterThan(lo);
    expect(s.mean).toBeLessThan(hi);
  });

  it('summarises infinite values without producing NaN', () => {
    // kl is +∞ for a chain collapsed to a point; interpolating ∞ − ∞ or 0 × ∞ must not give NaN.
    const inf = Number.POSITIVE_INFINITY;
    const s = summarize(Float64Array.from([inf, 1, inf, 2, inf, inf, 3, inf, inf, inf, inf]));
    // Sorted: 1 2 3 ∞ × 8. q05 h = 0.5 → 1.5; q25 h = 2.5 → between 3 and ∞ → ∞.
    expect(s.q05).toBeCloseTo(1.5, 14);
    for (const k of ['mean', 'median', 'q25', 'q75', 'q95'] as const) expect(s[k], k).toBe(inf);
    expect(quantileSorted([1, inf], 0)).toBe(1);
    expect(quantileSorted([inf, inf, inf], 0.3)).toBe(inf);
  });

  it('leaves NaN chains out of every field and counts them', () => {
    const s = summarize(Float64Array.from([Number.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Number.NaN]));
    expect(s.mean).toBe(5.5);
    expect(s.median).toBe(5.5);
    expect(s.q05).toBeCloseTo(1.45, 12);
    expect(s.q95).toBeCloseTo(9.55, 12);
    expect(s.nonFinite).toBe(2);
    expect(summarize(Float64Array.from([1, 2])).nonFinite).toBeUndefined();
  });

  it('gives NaN in every field when no chain has a number', () => {
    const s = summarize(Float64Array.from([Number.NaN, Number.NaN]));
    for (const v of [s.mean, s.median, s.q05, s.q95]) expect(v).toBeNaN();
    expect(s.nonFinite).toBe(2);
  });
});
