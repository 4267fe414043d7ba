import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { sampleIndices } from '../../../src/core/sampling';

describe('sampleIndices', () => {
  it('gives k distinct indices in [0, n) and leaves mark all zero', () => {
    const rng = createRng(1);
    const mark = new Uint8Array(500);
    for (const [n, k] of [
      [1, 1],
      [10, 0],
      [10, 3],
      [10, 10],
      [100, 99],
      [500, 250],
    ]) {
      for (let t = 0; t < 20; t++) {
        const idx = sampleIndices(n, k, rng, mark);
        expect(idx).toBeInstanceOf(Int32Array);
        expect(idx.length).toBe(k);
        expect(new Set(idx).size).toBe(k);
        for (const i of idx) {
          expect(i).toBeGreaterThanOrEqual(0);
          expect(i).toBeLessThan(n);
        }
        expect(mark.every((m) => m === 0)).toBe(true);
      }
    }
  });

  it('is a permutation of [0, n) when k = n', () => {
    const idx = sampleIndices(50, 50, createRng(2), new Uint8Array(50));
    expect(Array.from(idx).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('is deterministic in its random stream', () => {
    const a = sampleIndices(1000, 100, createRng(3), new Uint8Array(1000));
    const b = sampleIndices(1000, 100, createRng(3), new Uint8Array(1000));
    const c = sampleIndices(1000, 100, createRng(4), new Uint8Array(1000));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('includes each index, and each pair of indices, about equally often', () => {
    const n = 10;
    const k = 3;
    const trials = 30_000;
    const rng = createRng(5);
    const mark = new Uint8Array(n);
    const single = new Float64Array(n);
    const pair = new Float64Array(n * n);
    for (let t = 0; t < trials; t++) {
      const idx = sampleIndices(n, k, rng, mark);
      for (let a = 0; a < k; a++) {
        single[idx[a]]++;
        for (let b = 0; b < k; b++)
          if (a !== b) pair[Math.min(idx[a], idx[b]) * n + Math.max(idx[a], idx[b])]++;
      }
    }
    // Inclusion is Bernoulli(k/n) per trial, pair inclusion Bernoulli(k(k−1)/(n(n−1))); 4.5 SE
    // on each of 10 + 45 counts keeps the family-wise false-alarm rate under ~1 in 2,000.
    const p1 = k / n;
    for (const c of single) {
      expect(Math.abs(c - trials * p1)).toBeLessThan(4.5 * Math.sqrt(trials * p1 * (1 - p1)));
    }
    const p2 = (k * (k - 1)) / (n * (n - 1));
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        // Each unordered pair was counted twice (a, b) and (b, a).
        const c = pair[a * n + b] / 2;
        expect(Math.abs(c - trials * p2)).toBeLessThan(4.5 * Math.sqrt(trials * p2 * (1 - p2)));
      }
    }
  });
});
