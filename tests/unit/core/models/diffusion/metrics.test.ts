import { describe, expect, it } from 'vitest';
import {
  coverage,
  knnRadii2,
  pointStd,
  precisionRecall,
  precisionRecallReference,
} from '../../../../../src/core/models/diffusion/metrics';
import { heldOutSample, realDistribution } from '../../../../../src/core/realDistributions';
import { createRng } from '../../../../../src/core/rng';

describe('pointStd', () => {
  it('is sqrt(trace(cov) / d) with the covariance divided by n', () => {
    // x: 1, 3 (var 1); y: 0, 4 (var 4) → sqrt((1 + 4) / 2).
    expect(pointStd([1, 0, 3, 4], 2, 2)).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(pointStd([2, 2, 2, 2], 2, 2)).toBe(0);
  });

  it('estimates a real distribution’s std within 3 standard errors', () => {
    const real = realDistribution('ring8');
    const n = 20_000;
    const x = real.sample(n, createRng(4));
    // The variance of the two coordinates' sample variances averaged is small: 1 % is > 3 SE.
    expect(Math.abs(pointStd(x, n, 2) / Math.sqrt(real.variance) - 1)).toBeLessThan(0.01);
  });
});

describe('k-NN precision and recall', () => {
  it('gives each point the squared distance to its 3rd nearest neighbour', () => {
    // Points on a line at 0, 1, 3, 6, 10.
    const x = [0, 0, 1, 0, 3, 0, 6, 0, 10, 0];
    expect(Array.from(knnRadii2(x, 5))).toEqual([36, 25, 9, 25, 81]);
    expect(coverage([2, 0, 20, 0], 2, x, knnRadii2(x, 5), 5)).toBe(0.5);
  });

  it('scores a real sample against another ≈ 1 on both (same distribution)', () => {
    const ref = precisionRecallReference(heldOutSample('ring8'), 1000);
    const x = realDistribution('ring8').sample(1000, createRng(9));
    const { precision, recall } = precisionRecall(x, 1000, ref);
    // Kynkäänniemi et al.'s k = 3 balls miss some points of an equal sample: measured 0.96–0.98.
    expect(precision).toBeGreaterThan(0.93);
    expect(recall).toBeGreaterThan(0.93);
  });

  it('a model on half the modes keeps precision and loses about half of recall', () => {
    const real = realDistribution('ring8');
    const ref = precisionRecallReference(heldOutSample('ring8'), 1000);
    const rng = createRng(2);
    // Modes 0–3 only.
    const x = new Float64Array(2000);
    for (let i = 0; i < 1000; i++) {
      const j = rng.int(4);
      x[2 * i] = real.modes[2 * j] + real.modeStd * rng.normal();
      x[2 * i + 1] = real.modes[2 * j + 1] + real.modeStd * rng.normal();
    }
    const { precision, recall } = precisionRecall(x, 1000, ref);
    expect(precision).toBeGreaterThan(0.93);
    // Half the real points lie on the missing modes (binomial SE of the held-out split ≈ 0.016).
    expect(Math.abs(recall - 0.5)).toBeLessThan(0.08);
  });

  it('a model collapsed onto one point has recall ≈ 0; one off the data has precision 0', () => {
    const ref = precisionRecallReference(heldOutSample('ring8'), 1000);
    const onMode = new Float64Array(2000);
    for (let i = 0; i < 1000; i++) onMode[2 * i] = 2;
    const collapsed = precisionRecall(onMode, 1000, ref);
    expect(collapsed.precision).toBe(1);
    expect(collapsed.recall).toBeLessThan(0.01);
    const far = precisionRecall(
      Float64Array.from({ length: 2000 }, (_, i) => 10 + (i % 7) * 0.1),
      1000,
      ref,
    );
    expect(far.precision).toBe(0);
  });
});
