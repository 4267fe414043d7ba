// Seeded, splittable random numbers. One seed gives the same numbers on every run and platform:
// generators are pure 32-bit integer arithmetic, and independent streams (one per replicate chain
// and purpose) are derived by hashing the seed with a stream path.
/** A stream of random numbers: uniforms in [0, 1), standard normals, integers. */
export interface Rng {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

// splitmix32-style finaliser: a good 32-bit avalanche hash for deriving stream seeds.
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Hashes a seed and a stream path (e.g. [replicate, purpose]) into four 32-bit state words. */
export function streamState(seed: number, path: readonly number[]): Uint32Array {
  let h = mix32(seed >>> 0);
  // Mix h before folding p in: h ^ mix32(p) with h = mix32(seed) is symmetric in seed and p, so
  // (seed a, replicate b) and (seed b, replicate a) shared a stream, as did (seed s, replicate s)
  // for every s.
  for (const p of path) h = mix32(mix32(h) ^ (p >>> 0));
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    h = mix32(h + i);
    state[i] = h;
  }
  // sfc32 must not start from all zeros; the counter word makes that impossible after warm-up.
  return state;
}

/**
 * A random stream for `seed` and `path`. Uses sfc32 (Small Fast Counting generator, 128-bit
 * state, passes PractRand to multi-terabyte sizes) and Marsaglia's polar method for normals.
 */
export function createRng(seed: number, ...path: number[]): Rng {
  // State lives in typed arrays, not closure variables: with pointer compression (as in browsers)
  // a 32-bit value held in a `let` is boxed on every write, which measured ~5x slower.
  const s = new Int32Array(streamState(seed, path).buffer);
  const next = (): number => {
    const t = (((s[0] + s[1]) | 0) + s[3]) | 0;
    s[3] = (s[3] + 1) | 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) | 0;
    s[2] = (s[2] << 21) | (s[2] >>> 11);
    s[2] = (s[2] + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  // Marsaglia's polar method, keeping the pair's second normal. (d3-random's randomNormal
  // recomputes the log and square root for each of the pair; caching measured 1.4x faster, and
  // normals are the loop's hot path.) spare[1] is 1 while spare[0] holds an unused normal.
  const spare = new Float64Array(2);
  const normal = (): number => {
    if (spare[1] === 1) {
      spare[1] = 0;
      return spare[0];
    }
    let u: number;
    let v: number;
    let r: number;
    do {
      u = next() * 2 - 1;
      v = next() * 2 - 1;
      r = u * u + v * v;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt((-2 * Math.log(r)) / r);
    spare[0] = u * f;
    spare[1] = 1;
    return v * f;
  };
  return {
    uniform: next,
    normal,
    int: (n: number) => Math.floor(next() * n),
  };
}

/**
 * Every stream purpose of the app, in one table, so that no two purposes of one chain ever share
 * numbers: createRng(seed, chain, purpose). `display` is the run's own stream (no chain) for
 * picking the training points shown.
 */
export const Stream = {
  real: 1,
  synthetic: 2,
  subsample: 3,
  /** The watermark filter's flags (mitigations). */
  filter: 4,
  /** The curation verifier's noise (mitigations). */
  curation: 5,
  /** EM initialisation seeds (mixtures). */
  init: 11,
  /** Monte Carlo metrics (mixtures). */
  metrics: 12,
  /** A fresh model's weights and its training order (VAE). */
  model: 21,
  display: 0xd15b1a7,
} as const;

/**
 * Shuffles `a` in place (Fisher–Yates, from the last element down, one `rng.int(i + 1)` draw per
 * position): the one shuffle every model uses, so a stream's draws mean the same everywhere.
 */
export function shuffle(a: { length: number; [i: number]: number }, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
