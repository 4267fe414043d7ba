import { describe, expect, it } from 'vitest';
import {
  emptyMoments,
  fitGaussian,
  GAUSSIAN_METRICS,
  type Gaussian1d,
  type GaussianMetric,
  klRealToModel,
  type Moments,
  mergeMoments,
  momentsOf,
  REAL_GAUSSIAN,
  scoreGaussian,
  tailMass,
  w2ToReal,
} from '../../../../../src/core/models/gaussian1d/gaussian';
import { createRng } from '../../../../../src/core/rng';

/** Composite Simpson's rule on [a, b] with `n` (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, n = 20_000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

const logDensity = (g: Gaussian1d, x: number) =>
  -0.5 * ((x - g.mean) / g.std) ** 2 - Math.log(g.std) - 0.5 * Math.log(2 * Math.PI);

/** Two-pass reference: mean first, then the sum of squared deviations. */
function twoPass(values: ArrayLike<number>): Moments {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) m2 += (values[i] - mean) ** 2;
  return { n, mean, m2 };
}

function normals(seed: number, n: number, mean: number, sd: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mean + sd * rng.normal());
}

describe('tailMass', () => {
  it('is 0.05 for the real N(0, 1)', () => {
    expect(Math.abs(tailMass(REAL_GAUSSIAN) - 0.05)).toBeLessThan(1e-6);
  });

  it('matches a numerical integral of the model density over |x| > 1.96', () => {
    // Simpson with 20,000 intervals over ±(mean + 14 sd) is accurate to ~1e-12; normalCdf's
    // documented relative error is 1.2e-7, so 1e-6 absolute is ample.
    for (const g of [
      { mean: 0, std: 2 },
      { mean: 0, std: 0.5 },
      { mean: 1.96, std: 1 },
      { mean: -0.7, std: 1.3 },
      { mean: 0.2, std: 0.1 },
    ]) {
      const density = (x: number) => Math.exp(logDensity(g, x));
      const far = Math.abs(g.mean) + 14 * g.std + 2;
      const want =
        simpson(density, -far, -1.959963984540054) + simpson(density, 1.959963984540054, far);
      expect(Math.abs(tailMass(g) - want)).toBeLessThan(1e-6);
    }
  });

  it('falls as the model narrows, and handles a point mass', () => {
    let previous = tailMass(REAL_GAUSSIAN);
    for (const std of [0.9, 0.7, 0.5, 0.3]) {
      const t = tailMass({ mean: 0, std });
      expect(t).toBeLessThan(previous);
      previous = t;
    }
    expect(tailMass({ mean: 0, std: 0 })).toBe(0);
    expect(tailMass({ mean: 3, std: 0 })).toBe(1);
    expect(tailMass({ mean: -3, std: 0 })).toBe(1);
  });
});

describe('w2ToReal', () => {
  it('is 0 at the real distribution and the closed form elsewhere', () => {
    expect(w2ToReal(REAL_GAUSSIAN)).toBe(0);
    expect(w2ToReal({ mean: 3, std: 1 })).toBeCloseTo(3, 14);
    expect(w2ToReal({ mean: -3, std: 1 })).toBeCloseTo(3, 14);
    expect(w2ToReal({ mean: 0, std: 0.5 })).toBeCloseTo(0.5, 14);
    expect(w2ToReal({ mean: 0, std: 0 })).toBeCloseTo(1, 14);
    expect(w2ToReal({ mean: 3, std: 5 })).toBeCloseTo(5, 14);
  });

  it('matches the quantile-coupling integral ∫(F⁻¹ − G⁻¹)² over a fine grid of z', () => {
    // W2² = E[(μ + σZ − Z)²] with Z ~ N(0, 1): integrate against the standard normal density.
    for (const g of [
      { mean: 0.4, std: 0.3 },
      { mean: -1, std: 2 },
    ]) {
      const integrand = (z: number) =>
        (g.mean + (g.std - 1) * z) ** 2 * Math.exp(logDensity(REAL_GAUSSIAN, z));
      expect(w2ToReal(g)).toBeCloseTo(Math.sqrt(simpson(integrand, -15, 15)), 9);
    }
  });
});

describe('klRealToModel', () => {
  it('is 0 at the real distribution and the closed form elsewhere', () => {
    expect(klRealToModel(REAL_GAUSSIAN)).toBe(0);
    // KL(N(0,1) ‖ N(0, 4)) = ln 2 + 1/8 − 1/2; KL(N(0,1) ‖ N(1, 1)) = 1/2.
    expect(klRealToModel({ mean: 0, std: 2 })).toBeCloseTo(Math.LN2 + 1 / 8 - 1 / 2, 14);
    expect(klRealToModel({ mean: 1, std: 1 })).toBeCloseTo(0.5, 14);
    expect(klRealToModel({ mean: 0, std: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('matches a numerical integral of p ln(p/q) with p the real N(0, 1)', () => {
    for (const g of [
      { mean: 0.5, std: 0.7 },
      { mean: -2, std: 1.5 },
      { mean: 0, std: 0.2 },
    ]) {
      const integrand = (x: number) => {
        const lp = logDensity(REAL_GAUSSIAN, x);
        return Math.exp(lp) * (lp - logDensity(g, x));
      };
      expect(klRealToModel(g)).toBeCloseTo(simpson(integrand, -15, 15), 9);
    }
  });

  it('is positive away from the real distribution', () => {
    for (const g of [
      { mean: 0.01, std: 1 },
      { mean: 0, std: 0.99 },
      { mean: 0, std: 1.01 },
    ])
      expect(klRealToModel(g)).toBeGreaterThan(0);
  });
});

describe('momentsOf', () => {
  it('agrees with the two-pass formulas, whatever the shift', () => {
    const xs = normals(1, 1000, 3, 2);
    const ref = twoPass(xs);
    for (const shift of [0, 3, -50, xs[0]]) {
      const m = momentsOf(xs, xs.length, shift);
      expect(m.n).toBe(1000);
      expect(Math.abs(m.mean - ref.mean)).toBeLessThan(1e-12);
      expect(Math.abs(m.m2 / ref.m2 - 1)).toBeLessThan(1e-10);
    }
  });

  it('reads only the first `count` values', () => {
    const xs = normals(2, 100, 0, 1);
    const m = momentsOf(xs, 40, 0);
    const ref = twoPass(xs.subarray(0, 40));
    expect(m.n).toBe(40);
    expect(m.mean).toBeCloseTo(ref.mean, 13);
    expect(m.m2).toBeCloseTo(ref.m2, 11);
    expect(momentsOf(xs, 0, 0)).toEqual(emptyMoments());
  });

  it('stays accurate when the spread is 1e-9 around a mean of 1, given a shift near the mean', () => {
    const n = 1000;
    const xs = normals(3, n, 1, 1e-9);
    // Reference from the deviations x − 1, which are exact in floating point (Sterbenz).
    const ref = twoPass(Float64Array.from(xs, (x) => x - 1));
    // The naive Σx² − (Σx)²/n is wrecked here: this is the hard case.
    let s1 = 0;
    let s2 = 0;
    for (const x of xs) {
      s1 += x;
      s2 += x * x;
    }
    expect(Math.abs((s2 - (s1 * s1) / n) / ref.m2 - 1)).toBeGreaterThan(1e-2);
    for (const shift of [1, xs[0], xs[n - 1]]) {
      const m = momentsOf(xs, n, shift);
      expect(Math.abs(m.mean - (1 + ref.mean))).toBeLessThan(1e-15);
      // m2 ≈ n·1e-18; 1e-9 relative is far below the spread's own 1e-7 quantisation.
      expect(Math.abs(m.m2 / ref.m2 - 1)).toBeLessThan(1e-9);
    }
  });
});

describe('mergeMoments', () => {
  function mergedInChunks(xs: Float64Array, sizes: number[], shiftOf: (c: Float64Array) => number) {
    const total = emptyMoments();
    let at = 0;
    for (const size of sizes) {
      const chunk = xs.subarray(at, at + size);
      mergeMoments(total, momentsOf(chunk, size, size > 0 ? shiftOf(chunk) : 0));
      at += size;
    }
    expect(at).toBe(xs.length);
    return total;
  }
  const sizes = [1, 0, 17, 300, 2, 0, 180, 500];

  it('agrees with the two-pass formulas on the whole set, chunk by chunk', () => {
    const xs = normals(4, 1000, -2, 3);
    const ref = twoPass(xs);
    const m = mergedInChunks(xs, sizes, () => 0);
    expect(m.n).toBe(1000);
    expect(Math.abs(m.mean - ref.mean)).toBeLessThan(1e-12);
    expect(Math.abs(m.m2 / ref.m2 - 1)).toBeLessThan(1e-10);
  });

  it('stays accurate when the spread is 1e-9 around a mean of 1', () => {
    const xs = normals(5, 1000, 1, 1e-9);
    const ref = twoPass(Float64Array.from(xs, (x) => x - 1));
    for (const shiftOf of [(c: Float64Array) => c[0], () => 1]) {
      const m = mergedInChunks(xs, sizes, shiftOf);
      expect(Math.abs(m.mean - (1 + ref.mean))).toBeLessThan(1e-15);
      // Each chunk's mean is stored near 1, so it is rounded to ulp(1) ≈ 2e-16, i.e. 2e-7 of the
      // spread; the between-chunk term inherits that, so 1e-6 relative is what the data allows
      // (the naive formula above is off by more than 1e-2).
      expect(Math.abs(m.m2 / ref.m2 - 1)).toBeLessThan(1e-6);
    }
  });

  it('merges in place, copies into an empty target and ignores an empty source', () => {
    const a: Moments = { n: 2, mean: 1, m2: 2 };
    const b: Moments = { n: 2, mean: 3, m2: 2 };
    // {0, 2} ∪ {2, 4}: mean 2, m2 = 4 + 0 + 0 + 4 = 8.
    expect(mergeMoments(a, b)).toBe(a);
    expect(a).toEqual({ n: 4, mean: 2, m2: 8 });
    expect(b).toEqual({ n: 2, mean: 3, m2: 2 });

    const empty = emptyMoments();
    expect(mergeMoments(empty, b)).toBe(empty);
    expect(empty).toEqual(b);
    empty.m2 = 99;
    expect(b.m2).toBe(2);

    const c: Moments = { n: 3, mean: 5, m2: 1 };
    expect(mergeMoments(c, emptyMoments())).toEqual({ n: 3, mean: 5, m2: 1 });
  });
});

describe('fitGaussian', () => {
  it('divides by n (mle) or n − 1 (unbiased)', () => {
    // {1, 2, 3, 4}: mean 2.5, m2 = 5.
    const m = momentsOf(Float64Array.from([1, 2, 3, 4]), 4, 0);
    expect(fitGaussian(m, 'mle').mean).toBeCloseTo(2.5, 14);
    expect(fitGaussian(m, 'mle').std).toBeCloseTo(Math.sqrt(5 / 4), 14);
    expect(fitGaussian(m, 'unbiased').std).toBeCloseTo(Math.sqrt(5 / 3), 14);
  });
});

describe('scoreGaussian', () => {
  it('writes every metric at the given index, consistently with the metric functions', () => {
    const out = Object.fromEntries(GAUSSIAN_METRICS.map((k) => [k, new Float64Array(3)])) as Record<
      GaussianMetric,
      Float64Array
    >;
    const g = { mean: 0.3, std: 0.8 };
    scoreGaussian(g, out, 1);
    expect(out.std[1]).toBe(0.8);
    expect(out.variance[1]).toBeCloseTo(0.64, 15);
    expect(out.mean[1]).toBe(0.3);
    expect(out.tailMass[1]).toBe(tailMass(g));
    expect(out.w2[1]).toBe(w2ToReal(g));
    expect(out.kl[1]).toBe(klRealToModel(g));
    for (const k of GAUSSIAN_METRICS) {
      expect(out[k][0], k).toBe(0);
      expect(out[k][2], k).toBe(0);
    }
  });
});
