// The real distributions the GMM loop starts from. Each is a mixture of isotropic Gaussians of
// one common std s with equal weights, so its density, samples, modes and tail level are exact:
//
// - gaussian2d: N(0, I) in 2-D, the Curse of Recursion GMM setting (Shumailov et al.).
// - bimodal1d: ½ N(−2, 0.5²) + ½ N(2, 0.5²), two modes 8 std apart.
// - ring8: 8 Gaussians evenly on a circle of radius 2 (the first at angle 0), std 0.15
//   (neighbours 1.53 apart, about 10 std).
// - grid25: 25 Gaussians at {−4, −2, 0, 2, 4}², std 0.2 (the MAD paper's 2-D setting).
// - spiral: 16 Gaussians of std 0.12 strung along an Archimedean spiral r = 0.5 + 1.3 θ / 2π
//   (1.3 between turns) every 1.1 of arc length, centred on their mean: a spiral made of modes,
//   so that modesAlive means what it means for the ring and the grid (the diffusion model's toy
//   data; closest two centres 0.97 apart, 8.1 std).
//
// Tail level ℓ (the 5 %-quantile of the real density over real points: P_real(p(X) < ℓ) = 0.05).
// For one isotropic Gaussian in d dimensions the density falls with |x − c|², so
// {p < ℓ} = {|x − c|² > s² q} with q the χ²_d 0.95-quantile: q = −2 ln 0.05 for d = 2, 1.96² for
// d = 1, and ℓ = φ_s(√q · s) = (2π s²)^(−d/2) e^(−q/2). With K well-separated components of weight
// w = 1/K, p ≈ w φ_s(x − c_j) near each centre, each component puts 5 % of its mass beyond the
// same radius, and ℓ = w (2π s²)^(−d/2) e^(−q/2). On that radius the other components' density,
// relative to ℓ, is at most: bimodal1d e^(−6.04²/2)/e^(−1.96²/2) ≈ 8e-8 (the other mode is
// 6.04 std away); ring8 2·e^(−7.76²/2)/0.05 ≈ 4e-12; grid25 4·e^(−7.55²/2)/0.05 ≈ 3e-11;
// spiral 3·e^(−5.64²/2)/0.05 ≈ 7e-6; gaussian2d 0. The closed form is exact to that relative accuracy; tests check it by Monte Carlo.
import { emptyGmm, type GmmModel } from './mixture';
import { createRng, type Rng } from './rng';
import { Z975 } from './special';

// (Appended in this order: a distribution's index seeds its held-out sample.)
export const REAL_DISTRIBUTION_NAMES = [
  'gaussian2d',
  'bimodal1d',
  'ring8',
  'grid25',
  'spiral',
] as const;
export type RealDistributionName = (typeof REAL_DISTRIBUTION_NAMES)[number];

export interface RealDistribution {
  name: RealDistributionName;
  /** Dimension (1 or 2). */
  d: number;
  /** The true mixture. */
  mixture: GmmModel;
  /** Mode centres, numModes×d row-major (the mixture's means). */
  modes: Float64Array;
  numModes: number;
  /** Weight of each mode (1 / numModes). */
  modeWeight: number;
  /** Std of every mode (isotropic). */
  modeStd: number;
  /** Per-coordinate variance of the whole distribution: trace(total covariance) / d. */
  variance: number;
  /** The density level ℓ with P_real(p_real(X) < ℓ) = 0.05. */
  tailLevel: number;
  /** n points, n×d row-major; writes into `out` when given. */
  sample(n: number, rng: Rng, out?: Float64Array): Float64Array;
  /** The real density at the point x[offset .. offset + d). */
  density(x: ArrayLike<number>, offset?: number): number;
}

/** χ²_d 0.95-quantiles for d = 1, 2. */
const CHI2_95 = [0, Z975 * Z975, -2 * Math.log(0.05)];

/**
 * Terms of the density beyond this many squared stds (halved) are skipped: each is below
 * e^(−60) ≈ 1e-26 of a component's peak, far below any level the metrics compare against.
 */
const CUTOFF = 60;

function isotropicMixture(
  name: RealDistributionName,
  d: number,
  centres: number[],
  s: number,
): RealDistribution {
  const K = centres.length / d;
  const w = 1 / K;
  const mixture = emptyGmm(K, d);
  mixture.weights.fill(w);
  mixture.means.set(centres);
  for (let j = 0; j < K; j++) {
    for (let a = 0; a < d; a++) mixture.covariances[j * d * d + a * d + a] = s * s;
  }
  const modes = Float64Array.from(centres);
  // Total covariance trace / d: within-component s² plus the spread of the centres.
  let trace = 0;
  for (let a = 0; a < d; a++) {
    let m = 0;
    for (let j = 0; j < K; j++) m += modes[j * d + a] / K;
    for (let j = 0; j < K; j++) trace += (modes[j * d + a] - m) ** 2 / K;
  }
  const variance = s * s + trace / d;
  const norm = w * (2 * Math.PI * s * s) ** (-d / 2);
  const inv2s2 = 1 / (2 * s * s);
  const tailLevel = norm * Math.exp(-CHI2_95[d] / 2);

  const density = (x: ArrayLike<number>, offset = 0): number => {
    let p = 0;
    const x0 = x[offset];
    const x1 = d === 2 ? x[offset + 1] : 0;
    for (let j = 0; j < K; j++) {
      const t0 = x0 - modes[j * d];
      const t1 = d === 2 ? x1 - modes[j * d + 1] : 0;
      const e = (t0 * t0 + t1 * t1) * inv2s2;
      if (e < CUTOFF) p += Math.exp(-e);
    }
    return norm * p;
  };

  const sample = (n: number, rng: Rng, out: Float64Array = new Float64Array(n * d)) => {
    for (let i = 0; i < n; i++) {
      const j = K === 1 ? 0 : rng.int(K);
      for (let a = 0; a < d; a++) out[i * d + a] = modes[j * d + a] + s * rng.normal();
    }
    return out;
  };

  return {
    name,
    d,
    mixture,
    modes,
    numModes: K,
    modeWeight: w,
    modeStd: s,
    variance,
    tailLevel,
    sample,
    density,
  };
}

function ringCentres(count: number, radius: number): number[] {
  const c: number[] = [];
  for (let j = 0; j < count; j++) {
    const t = (2 * Math.PI * j) / count;
    c.push(radius * Math.cos(t), radius * Math.sin(t));
  }
  return c;
}

function gridCentres(values: number[]): number[] {
  const c: number[] = [];
  for (const a of values) for (const b of values) c.push(a, b);
  return c;
}

/**
 * `count` points every `gap` of arc length along r = a + bθ (θ ≥ 0), b = turn / 2π, shifted so
 * their mean is the origin. (Arc length by the midpoint rule in steps of 1e-4 rad.)
 */
function spiralCentres(count: number, gap: number, a: number, turn: number): number[] {
  const b = turn / (2 * Math.PI);
  const c: number[] = [];
  const dt = 1e-4;
  let arc = 0;
  let next = 0;
  for (let t = 0; c.length < 2 * count; t += dt) {
    const r = a + b * t;
    if (arc >= next) {
      c.push(r * Math.cos(t), r * Math.sin(t));
      next += gap;
    }
    arc += Math.hypot(a + b * (t + dt / 2), b) * dt;
  }
  for (let axis = 0; axis < 2; axis++) {
    let m = 0;
    for (let j = 0; j < count; j++) m += c[2 * j + axis] / count;
    for (let j = 0; j < count; j++) c[2 * j + axis] -= m;
  }
  return c;
}

export const REAL_DISTRIBUTIONS: Record<RealDistributionName, RealDistribution> = {
  gaussian2d: isotropicMixture('gaussian2d', 2, [0, 0], 1),
  bimodal1d: isotropicMixture('bimodal1d', 1, [-2, 2], 0.5),
  ring8: isotropicMixture('ring8', 2, ringCentres(8, 2), 0.15),
  grid25: isotropicMixture('grid25', 2, gridCentres([-4, -2, 0, 2, 4]), 0.2),
  spiral: isotropicMixture('spiral', 2, spiralCentres(16, 1.1, 0.5, 1.3), 0.12),
};

export function realDistribution(name: RealDistributionName): RealDistribution {
  const r = REAL_DISTRIBUTIONS[name];
  if (!r) throw new RangeError(`unknown real distribution '${name}'`);
  return r;
}

/** Size of the fixed held-out real sample the metrics score models against. */
export const HELD_OUT_SIZE = 2000;
const HELD_OUT_SEED = 0x5eed_4e1d;
const heldOutCache = new Map<string, Float64Array>();

/**
 * A fixed held-out real sample (HELD_OUT_SIZE points, n×d), the same on every run: drawn from a
 * seed of its own, independent of any recipe's seed.
 */
export function heldOutSample(name: RealDistributionName): Float64Array {
  let s = heldOutCache.get(name);
  if (!s) {
    const idx = REAL_DISTRIBUTION_NAMES.indexOf(name);
    s = realDistribution(name).sample(HELD_OUT_SIZE, createRng(HELD_OUT_SEED, idx));
    heldOutCache.set(name, s);
  }
  return s;
}
