import { describe, expect, it } from 'vitest';
import { createRng, type Rng, Stream, shuffle, streamState } from '../../../src/core/rng';

// Statistical checks below use 4 standard errors: for a normal sampling distribution a false
// alarm happens on about 1 seed in 16,000. Seeds are fixed, so every run is deterministic.
const N = 100_000;

function draw(rng: Rng, n: number, f: (r: Rng) => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(rng);
  return out;
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Central moment of order `k`. */
function centralMoment(xs: ArrayLike<number>, k: number): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** k;
  return s / xs.length;
}

function correlation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('createRng', () => {
  it('gives the same sequence for the same seed and path', () => {
    const a = createRng(42, 3, Stream.real);
    const b = createRng(42, 3, Stream.real);
    for (let i = 0; i < 1000; i++) {
      expect(a.uniform()).toBe(b.uniform());
      expect(a.normal()).toBe(b.normal());
      expect(a.int(1000)).toBe(b.int(1000));
    }
  });

  it('gives different sequences for different seeds, paths and path orders', () => {
    const first = (rng: Rng) => Array.from(draw(rng, 8, (r) => r.uniform()));
    const seqs = [
      first(createRng(1)),
      first(createRng(2)),
      first(createRng(1, 0)),
      first(createRng(1, 0, Stream.real)),
      first(createRng(1, 0, Stream.synthetic)),
      first(createRng(1, 1, Stream.real)),
      first(createRng(1, Stream.synthetic, 0)),
      first(createRng(4_294_967_295, 0, Stream.real)),
    ];
    const keys = new Set(seqs.map((s) => s.join(',')));
    expect(keys.size).toBe(seqs.length);
  });

  it('keeps the stream purposes distinct', () => {
    const values = Object.values(Stream);
    expect(new Set(values).size).toBe(values.length);
  });

  it('draws uniforms in [0, 1) with 32 bits of resolution, mean 1/2 and variance 1/12', () => {
    const u = draw(createRng(7), N, (r) => r.uniform());
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let offGrid = 0;
    for (const x of u) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      if (!Number.isInteger(x * 2 ** 32)) offGrid++;
    }
    expect(offGrid).toBe(0);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // SE of the mean: sqrt(1/12 / N); of the sample variance: sqrt((mu4 - sigma^4) / N) with
    // mu4 = 1/80 for U(0, 1).
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(centralMoment(u, 2) - 1 / 12)).toBeLessThan(
      4 * Math.sqrt((1 / 80 - 1 / 144) / N),
    );
  });

  it('spreads uniforms evenly over 20 bins', () => {
    const bins = new Float64Array(20);
    const rng = createRng(8);
    for (let i = 0; i < N; i++) bins[Math.floor(rng.uniform() * 20)]++;
    // Each bin count is Binomial(N, 1/20); 4 SE on each of 20 bins: a false alarm ~1 in 800.
    const sd = Math.sqrt(N * (1 / 20) * (19 / 20));
    for (const c of bins) expect(Math.abs(c - N / 20)).toBeLessThan(4 * sd);
  });

  it('draws standard normals: mean 0, variance 1, no skew, normal kurtosis and tails', () => {
    const z = draw(createRng(9), N, (r) => r.normal());
    // SEs for N(0, 1): mean 1/sqrt(N); variance sqrt(2/N); skewness sqrt(6/N); kurtosis sqrt(24/N).
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(N));
    const v = centralMoment(z, 2);
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(centralMoment(z, 3) / v ** 1.5)).toBeLessThan(4 * Math.sqrt(6 / N));
    expect(Math.abs(centralMoment(z, 4) / v ** 2 - 3)).toBeLessThan(4 * Math.sqrt(24 / N));
    // P(|Z| > 1.96) = 0.05, a Binomial(N, 0.05) proportion.
    let tail = 0;
    for (const x of z) if (Math.abs(x) > 1.959963984540054) tail++;
    expect(Math.abs(tail / N - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / N));
  });

  it('draws the two normals of each polar pair without correlation', () => {
    // The polar method yields normals in pairs; consecutive draws must still be independent.
    const z = draw(createRng(10), N, (r) => r.normal());
    const even = z.filter((_, i) => i % 2 === 0);
    const odd = z.filter((_, i) => i % 2 === 1);
    // SE of a correlation of independent samples: 1/sqrt(n).
    expect(Math.abs(correlation(even, odd))).toBeLessThan(4 / Math.sqrt(N / 2));
    expect(Math.abs(correlation(odd.subarray(0, -1), even.subarray(1)))).toBeLessThan(
      4 / Math.sqrt(N / 2 - 1),
    );
  });

  it('draws integers in [0, n), each value about equally often', () => {
    for (const n of [1, 2, 7, 1000, 2 ** 31]) {
      const rng = createRng(11, n);
      const bad: number[] = [];
      for (let i = 0; i < 10_000; i++) {
        const k = rng.int(n);
        if (!Number.isInteger(k) || k < 0 || k >= n) bad.push(k);
      }
      expect(bad).toEqual([]);
    }
    const counts = new Float64Array(7);
    const rng = createRng(12);
    for (let i = 0; i < N; i++) counts[rng.int(7)]++;
    const sd = Math.sqrt(N * (1 / 7) * (6 / 7));
    for (const c of counts) expect(Math.abs(c - N / 7)).toBeLessThan(4 * sd);
  });

  it('gives replicate streams and neighbouring seeds that are uncorrelated', () => {
    const n = 20_000;
    const pairs: [Rng, Rng][] = [
      [createRng(1, 0, Stream.real), createRng(1, 1, Stream.real)],
      [createRng(1, 0, Stream.real), createRng(1, 0, Stream.synthetic)],
      [createRng(1, 0, Stream.synthetic), createRng(2, 0, Stream.synthetic)],
    ];
    for (const [a, b] of pairs) {
      const x = draw(a, n, (r) => r.normal());
      const y = draw(b, n, (r) => r.normal());
      expect(Math.abs(correlation(x, y))).toBeLessThan(4 / Math.sqrt(n));
    }
  });
});

describe('streamState', () => {
  it('never gives seed a, replicate b the stream of seed b, replicate a, nor one stream to the diagonal', () => {
    // A symmetric combination of seed and path (h ^ mix(p) with h = mix(seed)) once made these
    // collide, so chains of different seeds were copies of each other.
    const key = (seed: number, path: number[]) => Array.from(streamState(seed, path)).join(',');
    const seen = new Set<string>();
    for (let a = 0; a < 30; a++) {
      for (let b = 0; b < 30; b++) {
        for (const purpose of Object.values(Stream)) seen.add(key(a, [b, purpose]));
      }
      seen.add(key(a, []));
      seen.add(key(a, [0]));
      seen.add(key(a, [0xd15b1a7]));
    }
    expect(seen.size).toBe(30 * 30 * Object.values(Stream).length + 30 * 3);
  });

  it('hashes a seed and path into four 32-bit words, deterministically', () => {
    const s = streamState(5, [1, 2]);
    expect(s).toBeInstanceOf(Uint32Array);
    expect(s.length).toBe(4);
    expect(Array.from(streamState(5, [1, 2]))).toEqual(Array.from(s));
    expect(Array.from(streamState(5, [2, 1]))).not.toEqual(Array.from(s));
    expect(Array.from(streamState(6, [1, 2]))).not.toEqual(Array.from(s));
    expect(new Set(s).size).toBe(4);
  });
});

describe('shuffle', () => {
  it('is Fisher–Yates from the end: one draw rng.int(i + 1) per position, a permutation', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    shuffle(a, createRng(9, 1));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // The same swaps written out with the same stream.
    const b = Array.from({ length: 50 }, (_, i) => i);
    const rng = createRng(9, 1);
    for (let i = b.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [b[i], b[j]] = [b[j], b[i]];
    }
    expect(a).toEqual(b);
    const c = Int32Array.from({ length: 50 }, (_, i) => i);
    shuffle(c, createRng(9, 1));
    expect(Array.from(c)).toEqual(a);
  });
});
