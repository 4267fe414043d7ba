// Metrics of one fitted mixture (one chain, one generation) against a real distribution.
//
// Closed form (from the parameters):
// - std: sqrt(trace(Σ_tot) / d) with the mixture's total covariance
//   Σ_tot = Σ_k w_k (Σ_k + (μ_k − μ)(μ_k − μ)ᵀ), μ = Σ_k w_k μ_k; variance = std²; mean = μ[0].
// - componentStd: sqrt(trace(Σ_k) / d) per component (scores give their unweighted mean).
// - logLikReal: mean log-likelihood under the model of a fixed held-out real sample
//   (HELD_OUT_SIZE = 2000 points, the same for every chain, generation and run).
// Monte Carlo, from N model points (default 2000) drawn with the caller's rng, stratified over
// the model's components (component j gets N·w_j points, rounded by largest remainder: unbiased
// up to that rounding, < 1/N per component, and free of the multinomial noise in how many points
// each component gets):
// - tailMass: the share of model points where the real density is below its 5 % level
//   (RealDistribution.tailLevel). Standard error at most sqrt(t(1 − t)/N): 0.0049 at t = 0.05,
//   N = 2000 (the stratification only lowers it).
// - modesAlive: real modes that keep a fair share of model mass. A mode (centre c, std s, weight
//   w) is alive when the share of model points within 3 s of c is at least w / 4 (a quarter of
//   its real share; a real mode holds 98.9 % of w within 3 s in 2-D, 99.7 % in 1-D). Modes are at
//   least 8 s apart (bimodal1d 8 s, ring8 10.2 s, grid25 10 s), so the discs are disjoint. For
//   gaussian2d (one mode at 0, s = 1) it is 1 while a quarter of the model mass stays within
//   radius 3 of the origin.
// - w2: in 1-D the 2-Wasserstein distance between the model's N points and the real
//   distribution's N-point quantization at its quantiles (i + ½)/N (exact, computed once), by
//   sorting: sqrt(Σ_i (x_(i) − q_i)² / N). In 2-D the sliced W2: the root mean square of that
//   1-D distance over L = 8 fixed directions θ_l = π l / L (l = 0…7, evenly spaced on the half
//   circle), projecting the model points and the real mixture (whose projection is a 1-D
//   mixture with known quantiles). For N(0, I) against N(0, σ² I) the sliced W2 is |1 − σ|
//   (the full W2 is √2 |1 − σ|). The real side carries no sampling noise; the model side's floor
//   (the real mixture scored against itself) at N = 2000 measured 0.012 (ring8), 0.023 (grid25),
//   0.027 (bimodal1d) and 0.040 (gaussian2d), each ± ~0.006 over draws: see the tests.
import { type GmmModel, GmmWorkspace, gmmMeanLogLikelihood, sampleGmmStratified } from './mixture';
import { GMM_METRICS, type GmmMetric } from './models/gmm/spec';
import { HELD_OUT_SIZE, heldOutSample, type RealDistribution } from './realDistributions';
import type { Rng } from './rng';
import { normalCdf } from './special';

// The metric names are the spec's (one list for the loop, the views and the CLI).
export { GMM_METRICS, type GmmMetric };

/** Model points drawn per scoring for the Monte Carlo metrics. */
export const GMM_METRIC_SAMPLES = 2000;
/** Directions of the sliced W2 in 2-D. */
export const W2_DIRECTIONS = 8;
/** Radius of a live mode, in that mode's std. */
export const MODE_RADIUS_STDS = 3;
/** A mode is alive while the model's mass within its radius is ≥ this share of its real weight. */
export const MODE_ALIVE_SHARE = 0.25;

export interface GmmMoments {
  /** Mixture mean (d). */
  mean: Float64Array;
  /** Total covariance (d×d). */
  covariance: Float64Array;
}

/** The mixture's mean and total covariance Σ_k w_k (Σ_k + (μ_k − μ)(μ_k − μ)ᵀ). */
export function gmmMoments(model: GmmModel): GmmMoments {
  const { k, d, weights, means, covariances } = model;
  let wsum = 0;
  for (let j = 0; j < k; j++) wsum += weights[j];
  const mean = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    for (let a = 0; a < d; a++) mean[a] += (weights[j] / wsum) * means[j * d + a];
  }
  const covariance = new Float64Array(d * d);
  for (let j = 0; j < k; j++) {
    const w = weights[j] / wsum;
    for (let a = 0; a < d; a++) {
      const da = means[j * d + a] - mean[a];
      for (let b = 0; b < d; b++) {
        const db = means[j * d + b] - mean[b];
        covariance[a * d + b] += w * (covariances[j * d * d + a * d + b] + da * db);
      }
    }
  }
  return { mean, covariance };
}

/** trace(total covariance) / d: the per-coordinate variance of the whole mixture. */
export function gmmTotalVariance(model: GmmModel): number {
  const { covariance } = gmmMoments(model);
  let t = 0;
  for (let a = 0; a < model.d; a++) t += covariance[a * model.d + a];
  return t / model.d;
}

/** sqrt(trace(Σ_k) / d) for each component. */
export function componentStds(model: GmmModel): Float64Array {
  const { k, d, covariances } = model;
  const out = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let t = 0;
    for (let a = 0; a < d; a++) t += covariances[j * d * d + a * d + a];
    out[j] = Math.sqrt(t / d);
  }
  return out;
}

export type GmmScores = Record<GmmMetric, number>;

export interface GmmScorerOptions {
  /** Model points per scoring (default GMM_METRIC_SAMPLES). */
  samples?: number;
  /** Sliced-W2 directions in 2-D (default W2_DIRECTIONS). */
  directions?: number;
}

/**
 * Quantiles at levels (i + ½)/n, i = 0…n−1, of the 1-D mixture Σ_j w N(m_j, s²) (equal weights),
 * by safeguarded Newton from the previous quantile (bisection whenever a step leaves the
 * bracket, e.g. across the gap between two modes).
 */
export function mixtureQuantiles(centres: ArrayLike<number>, s: number, n: number): Float64Array {
  const K = centres.length;
  const w = 1 / K;
  let lo0 = Number.POSITIVE_INFINITY;
  let hi0 = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < K; j++) {
    lo0 = Math.min(lo0, centres[j] - 12 * s);
    hi0 = Math.max(hi0, centres[j] + 12 * s);
  }
  const pdfNorm = w / (s * Math.sqrt(2 * Math.PI));
  const out = new Float64Array(n);
  let x = lo0;
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / n;
    let lo = x;
    let hi = hi0;
    for (let it = 0; it < 200; it++) {
      let F = 0;
      let f = 0;
      for (let j = 0; j < K; j++) {
        const z = (x - centres[j]) / s;
        if (z > 12) F += w;
        else if (z > -12) {
          F += w * normalCdf(z);
          f += pdfNorm * Math.exp(-0.5 * z * z);
        }
      }
      const g = F - u;
      if (g < 0) lo = x;
      else hi = x;
      let next = f > 0 ? x - g / f : Number.NaN;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const done =
        Math.abs(next - x) <= 1e-12 * (1 + Math.abs(x)) || hi - lo <= 1e-13 * (1 + Math.abs(x));
      x = next;
      if (done) break;
    }
    out[i] = x;
  }
  return out;
}

/**
 * Sorts the first n values of `vals` ascending (as float32: plenty for the W2 metric) by LSD radix
 * on their order-preserving bit patterns, 3 passes of 11/11/10 bits. Returns the sorted values
 * (a view into `vals` or `tmp`).
 */
function radixSortF32(
  vals: Float32Array,
  tmp: Float32Array,
  n: number,
  counts: Int32Array,
): Float32Array {
  let a = new Uint32Array(vals.buffer, vals.byteOffset, n);
  let b = new Uint32Array(tmp.buffer, tmp.byteOffset, n);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    const key = v & 0x80000000 ? ~v >>> 0 : (v | 0x80000000) >>> 0;
    a[i] = key;
    counts[key & 0x7ff]++;
    counts[2048 + ((key >>> 11) & 0x7ff)]++;
    counts[4096 + (key >>> 22)]++;
  }
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * 2048;
    const shift = pass * 11;
    let sum = 0;
    for (let c = 0; c < 2048; c++) {
      const t = counts[base + c];
      counts[base + c] = sum;
      sum += t;
    }
    for (let i = 0; i < n; i++) {
      const key = a[i];
      const bucket = base + ((key >>> shift) & 0x7ff);
      b[counts[bucket]++] = key;
    }
    const t = a;
    a = b;
    b = t;
  }
  for (let i = 0; i < n; i++) {
    const key = a[i];
    a[i] = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  }
  return new Float32Array(a.buffer, a.byteOffset, n);
}

/**
 * Scores models against one real distribution. Holds the fixed real data (the held-out sample
 * for logLikReal; the real quantiles per direction for w2) and scratch buffers, so scoring
 * allocates almost nothing. Its buffers are only used within one synchronous call, so one scorer
 * can serve any number of interleaved (async) loops on the same thread.
 */
export class GmmScorer {
  readonly real: RealDistribution;
  readonly samples: number;
  readonly directions: number;
  private readonly heldOut: Float64Array;
  /** Real quantiles at (i + ½)/N, one run of N per direction. */
  private readonly refQuantiles: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly buf: Float64Array;
  private readonly proj: Float32Array;
  private readonly projTmp: Float32Array;
  private readonly radixCounts = new Int32Array(3 * 2048);
  private readonly modeCounts: Float64Array;
  private readonly ws = new GmmWorkspace();
  /** The tail test p_real(x) < ℓ as Σ_j exp(−|x − c_j|²/2s²) < tailTerm. */
  private readonly tailTerm: number;

  constructor(real: RealDistribution, opts: GmmScorerOptions = {}) {
    this.real = real;
    const N = opts.samples ?? GMM_METRIC_SAMPLES;
    const L = real.d === 1 ? 1 : (opts.directions ?? W2_DIRECTIONS);
    this.samples = N;
    this.directions = L;
    this.heldOut = heldOutSample(real.name);
    this.cos = new Float64Array(L);
    this.sin = new Float64Array(L);
    this.refQuantiles = new Float64Array(N * L);
    const projected = new Float64Array(real.numModes);
    for (let l = 0; l < L; l++) {
      const c = Math.cos((Math.PI * l) / L);
      const s = Math.sin((Math.PI * l) / L);
      this.cos[l] = c;
      this.sin[l] = s;
      for (let j = 0; j < real.numModes; j++) {
        projected[j] =
          real.d === 1 ? real.modes[j] : c * real.modes[2 * j] + s * real.modes[2 * j + 1];
      }
      this.refQuantiles.set(mixtureQuantiles(projected, real.modeStd, N), l * N);
    }
    this.buf = new Float64Array(N * real.d);
    this.proj = new Float32Array(N);
    this.projTmp = new Float32Array(N);
    this.modeCounts = new Float64Array(real.numModes);
    const peak = real.modeWeight * (2 * Math.PI * real.modeStd * real.modeStd) ** (-real.d / 2);
    this.tailTerm = real.tailLevel / peak;
  }

  /** Every metric of `model`; the Monte Carlo ones draw `samples` points from `rng`. */
  score(model: GmmModel, rng: Rng): GmmScores {
    const moments = gmmMoments(model);
    let trace = 0;
    for (let a = 0; a < model.d; a++) trace += moments.covariance[a * model.d + a];
    const variance = trace / model.d;
    const cs = componentStds(model);
    let csum = 0;
    for (let j = 0; j < cs.length; j++) csum += cs[j];
    const x = sampleGmmStratified(model, this.samples, rng, 1, this.buf);
    const [tailMass, modesAlive] = this.tailAndModes(x);
    return {
      std: Math.sqrt(variance),
      variance,
      mean: moments.mean[0],
      componentStd: csum / cs.length,
      tailMass,
      logLikReal: gmmMeanLogLikelihood(model, this.heldOut, HELD_OUT_SIZE, this.ws),
      modesAlive,
      w2: this.w2(x),
    };
  }

  /** Scores `model` into out[metric][i] for every metric. */
  scoreInto(model: GmmModel, rng: Rng, out: Record<GmmMetric, Float64Array>, i: number): void {
    const s = this.score(model, rng);
    for (const m of GMM_METRICS) out[m][i] = s[m];
  }

  /**
   * For N points x (n×d): the share where the real density is below its tail level, and the
   * modes holding ≥ MODE_ALIVE_SHARE of their real weight within MODE_RADIUS_STDS stds.
   */
  tailAndModes(x: Float64Array): [number, number] {
    const { modes, numModes, modeStd, modeWeight, d } = this.real;
    const counts = this.modeCounts;
    counts.fill(0);
    const inv2s2 = 1 / (2 * modeStd * modeStd);
    const e2 = (MODE_RADIUS_STDS * MODE_RADIUS_STDS) / 2; // radius² / 2s²
    const theta = this.tailTerm;
    // Terms beyond this exponent are < θ e^(−40): they cannot move the tail decision.
    const cut = -Math.log(theta) + 40;
    const N = this.samples;
    let tail = 0;
    for (let i = 0; i < N; i++) {
      const x0 = x[i * d];
      const x1 = d === 2 ? x[i * d + 1] : 0;
      let p = 0;
      let near = -1;
      for (let j = 0; j < numModes; j++) {
        const t0 = x0 - modes[j * d];
        const t1 = d === 2 ? x1 - modes[j * d + 1] : 0;
        const e = (t0 * t0 + t1 * t1) * inv2s2;
        if (e < cut) {
          p += Math.exp(-e);
          if (e <= e2) near = j;
        }
      }
      if (p < theta) tail++;
      if (near >= 0) counts[near]++;
    }
    let alive = 0;
    const need = MODE_ALIVE_SHARE * modeWeight * N;
    for (let j = 0; j < numModes; j++) if (counts[j] >= need) alive++;
    return [tail / N, alive];
  }

  /** W2 (1-D) or sliced W2 (2-D) between N points x and the real distribution. */
  w2(x: Float64Array): number {
    const N = this.samples;
    const L = this.directions;
    const d = this.real.d;
    const q = this.refQuantiles;
    let sum = 0;
    for (let l = 0; l < L; l++) {
      const proj = this.proj;
      if (d === 1) {
        for (let i = 0; i < N; i++) proj[i] = x[i];
      } else {
        const c = this.cos[l];
        const s = this.sin[l];
        for (let i = 0; i < N; i++) proj[i] = c * x[2 * i] + s * x[2 * i + 1];
      }
      const sorted = radixSortF32(proj, this.projTmp, N, this.radixCounts);
      const off = l * N;
      for (let i = 0; i < N; i++) {
        const t = sorted[i] - q[off + i];
        sum += t * t;
      }
    }
    return Math.sqrt(sum / (N * L));
  }
}

const scorers = new Map<string, GmmScorer>();

/**
 * A shared scorer per real distribution and sample count (built on first use: the real
 * quantiles take ~2–70 ms to compute).
 */
export function gmmScorer(real: RealDistribution, samples = GMM_METRIC_SAMPLES): GmmScorer {
  const key = `${real.name}:${samples}`;
  let s = scorers.get(key);
  if (!s) {
    s = new GmmScorer(real, { samples });
    scorers.set(key, s);
  }
  return s;
}

/** Every metric of one model (convenience wrapper over the shared scorer). */
export function scoreGmm(model: GmmModel, real: RealDistribution, rng: Rng): GmmScores {
  return gmmScorer(real).score(model, rng);
}
