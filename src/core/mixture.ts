// Gaussian mixtures with full covariances in d = 1 or 2 dimensions, fitted by EM exactly as
// scikit-learn's GaussianMixture(covariance_type='full', n_init=1) does it:
//
// - init 'kmeans++': greedy k-means++ centres (sklearn's kmeans_plusplus, 2 + floor(ln K) local
//   trials per centre), then, as sklearn's _initialize does with the one-hot responsibilities of
//   those centre points: means = centres / (1 + 10 eps), covariances = regCovar I (plus a ~1e-30
//   rounding term), weights = (1 + 10 eps) / n each (unnormalised, as in sklearn). The first EM
//   iteration's E-step then assigns every point (almost exactly hard) to its nearest centre, and
//   its M-step gives the k-means-like starting mixture.
// - init 'random': uniform random responsibilities, normalised per point, then the M-step.
// - init { weights, means, covariances }: explicit parameters (sklearn's weights_init,
//   means_init and precisions_init = inverse covariances).
// - Each iteration: E-step (log responsibilities by log-sum-exp), M-step (nk = Σ r + 10 eps,
//   means, covariances + regCovar on the diagonal, weights nk / Σ nk), lower bound = the mean
//   log-likelihood of the data under the parameters *before* that M-step; stop when
//   |lower bound − previous| < tol. The returned parameters are those after the last M-step and
//   `logLikelihood` is sklearn's lower_bound_.
//
// Speed: the E-step and the M-step's sums share one pass over the data. The sums are taken about
// each component's current mean (the E-step's differences), which keeps them as precise as
// sklearn's two-pass formula (the shift is close to the new mean) while reading the data once.
// Covariances are handled through closed-form 1×1 / 2×2 Cholesky factors. No allocation happens
// per point or per iteration; buffers live in a reusable GmmWorkspace.
import type { Rng } from './rng';

/** A mixture of k Gaussians in d dimensions. Arrays are row-major: means k×d, covariances k×d×d. */
export interface GmmModel {
  k: number;
  d: number;
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
}

/** Explicit initial parameters (sklearn's weights_init, means_init, precisions_init). */
export interface GmmInitParams {
  /** k weights summing to 1; default uniform. */
  weights?: ArrayLike<number>;
  /** k×d means. */
  means: ArrayLike<number>;
  /** k×d×d covariances; default the data's covariance (MLE) + regCovar I for every component. */
  covariances?: ArrayLike<number>;
}

export type GmmInit = 'kmeans++' | 'random' | GmmInitParams;

export interface GmmFitOptions {
  /** Number of components K (1–10 in the app; any K ≤ n works). */
  components: number;
  /** Convergence threshold on the change of the mean log-likelihood lower bound (default 1e-3). */
  tol?: number;
  /** Maximum EM iterations (default 100). */
  maxIter?: number;
  /** Added to every covariance diagonal (default 1e-6). */
  regCovar?: number;
  /** Default 'kmeans++'. */
  init?: GmmInit;
  /** Needed by 'kmeans++' and 'random'. */
  rng?: Rng;
  /** Scratch buffers reused across fits (one per thread of work). */
  workspace?: GmmWorkspace;
}

export interface GmmFitResult {
  model: GmmModel;
  /** Mean log-likelihood per point, as sklearn's lower_bound_ (−∞ when maxIter is 0). */
  logLikelihood: number;
  /** EM iterations run (sklearn's n_iter_). */
  iterations: number;
  converged: boolean;
}

/** 10 · float64 machine epsilon: sklearn adds it to every nk so that empty components stay finite. */
const EPS10 = 10 * 2.220446049250313e-16;
const LOG_2PI = Math.log(2 * Math.PI);
/** Component table stride: m0, m1, 1/l11, l21, 1/l22, log w − (d/2) ln 2π − ln|L|, l11, l22. */
const T = 8;
/** Accumulator stride: Σr, Σr·dx, Σr·dy, Σr·dx², Σr·dx·dy, Σr·dy² (d = 1 uses the first three). */
const A = 6;

/** Reusable scratch buffers for fitGmm and friends. Not safe to share between concurrent fits. */
export class GmmWorkspace {
  /** Component table (see T). */
  table = new Float64Array(0);
  /** M-step sums about the current means (see A). */
  acc = new Float64Array(0);
  /** Per-component log densities, then exps, for one point. */
  lp = new Float64Array(0);
  /** Per-component differences x − μ_k for one point. */
  diff = new Float64Array(0);
  /** Per-point scratch for k-means++ (closest distances, cumulative sums, candidates). */
  closest = new Float64Array(0);
  cumsum = new Float64Array(0);
  candidate = new Float64Array(0);
  best = new Float64Array(0);
  /** Responsibilities n×k for the 'random' initialisation. */
  resp = new Float64Array(0);

  ensureComponents(k: number): void {
    if (this.table.length < k * T) {
      this.table = new Float64Array(k * T);
      this.acc = new Float64Array(k * A);
      this.lp = new Float64Array(k);
      this.diff = new Float64Array(k * 2);
    }
  }

  ensurePoints(n: number): void {
    if (this.closest.length < n) {
      const c = Math.max(n, this.closest.length * 2);
      this.closest = new Float64Array(c);
      this.cumsum = new Float64Array(c);
      this.candidate = new Float64Array(c);
      this.best = new Float64Array(c);
    }
  }
}

const defaultWorkspace = new GmmWorkspace();

/** An all-zero model with k components in d dimensions. */
export function emptyGmm(k: number, d: number): GmmModel {
  return {
    k,
    d,
    weights: new Float64Array(k),
    means: new Float64Array(k * d),
    covariances: new Float64Array(k * d * d),
  };
}

/** A deep copy of `m`. */
export function cloneGmm(m: GmmModel): GmmModel {
  return {
    k: m.k,
    d: m.d,
    weights: m.weights.slice(),
    means: m.means.slice(),
    covariances: m.covariances.slice(),
  };
}

function checkDims(d: number): void {
  if (d !== 1 && d !== 2) throw new RangeError(`GMM dimension must be 1 or 2, got ${d}`);
}

/**
 * Fills the component table from a model: the Cholesky factor Σ = L Lᵀ (closed form for 1×1 and
 * 2×2) and the log normaliser. sklearn raises when a covariance is not positive definite; here a
 * non-positive pivot (possible only when regCovar is 0 and the data are degenerate) is floored
 * to 1e-15 of the diagonal scale, so the fit goes on with a near-singular component.
 */
export function prepareTable(m: GmmModel, table: Float64Array): void {
  const { k, d, weights, means, covariances } = m;
  for (let j = 0; j < k; j++) {
    const p = j * T;
    const w = weights[j];
    if (d === 1) {
      let v = covariances[j];
      if (!(v > 0)) v = 1e-300;
      const l11 = Math.sqrt(v);
      table[p] = means[j];
      table[p + 1] = 0;
      table[p + 2] = 1 / l11;
      table[p + 3] = 0;
      table[p + 4] = 0;
      table[p + 5] = Math.log(w) - 0.5 * LOG_2PI - Math.log(l11);
      table[p + 6] = l11;
      table[p + 7] = 0;
    } else {
      const c = j * 4;
      let a = covariances[c];
      const b = covariances[c + 1];
      const e = covariances[c + 3];
      if (!(a > 0)) a = Math.max(Math.abs(e), 1e-285) * 1e-15;
      const l11 = Math.sqrt(a);
      const l21 = b / l11;
      let s = e - l21 * l21;
      if (!(s > 0)) s = Math.max(Math.abs(e), a, 1e-285) * 1e-15;
      const l22 = Math.sqrt(s);
      table[p] = means[j * 2];
      table[p + 1] = means[j * 2 + 1];
      table[p + 2] = 1 / l11;
      table[p + 3] = l21;
      table[p + 4] = 1 / l22;
      table[p + 5] = Math.log(w) - LOG_2PI - Math.log(l11) - Math.log(l22);
      table[p + 6] = l11;
      table[p + 7] = l22;
    }
  }
}

/**
 * One EM iteration on 2-D data: E-step under the table's parameters, with the M-step's sums
 * gathered in the same pass. Returns the summed log-likelihood Σ_i log p(x_i).
 */
function ePass2(
  x: Float64Array,
  n: number,
  k: number,
  tb: Float64Array,
  acc: Float64Array,
  lp: Float64Array,
  diff: Float64Array,
): number {
  acc.fill(0, 0, k * A);
  let ll = 0;
  if (k === 2) {
    // The app's default (K = 2), unrolled: one exp and one log per point.
    const m00 = tb[0];
    const m01 = tb[1];
    const ia0 = tb[2];
    const l0 = tb[3];
    const ic0 = tb[4];
    const c0 = tb[5];
    const m10 = tb[T];
    const m11 = tb[T + 1];
    const ia1 = tb[T + 2];
    const l1 = tb[T + 3];
    const ic1 = tb[T + 4];
    const c1 = tb[T + 5];
    let s0 = 0;
    let sx0 = 0;
    let sy0 = 0;
    let sxx0 = 0;
    let sxy0 = 0;
    let syy0 = 0;
    let s1 = 0;
    let sx1 = 0;
    let sy1 = 0;
    let sxx1 = 0;
    let sxy1 = 0;
    let syy1 = 0;
    for (let i = 0, o = 0; i < n; i++, o += 2) {
      const x0 = x[o];
      const x1 = x[o + 1];
      const dx0 = x0 - m00;
      const dy0 = x1 - m01;
      const za = dx0 * ia0;
      const zb = (dy0 - l0 * za) * ic0;
      const v0 = c0 - 0.5 * (za * za + zb * zb);
      const dx1 = x0 - m10;
      const dy1 = x1 - m11;
      const zc = dx1 * ia1;
      const zd = (dy1 - l1 * zc) * ic1;
      const v1 = c1 - 0.5 * (zc * zc + zd * zd);
      let r0: number;
      let r1: number;
      if (v0 >= v1) {
        const e = Math.exp(v1 - v0);
        const s = 1 + e;
        ll += v0 + Math.log(s);
        r0 = 1 / s;
        r1 = e * r0;
      } else {
        const e = Math.exp(v0 - v1);
        const s = 1 + e;
        ll += v1 + Math.log(s);
        r1 = 1 / s;
        r0 = e * r1;
      }
      s0 += r0;
      const rx0 = r0 * dx0;
      const ry0 = r0 * dy0;
      sx0 += rx0;
      sy0 += ry0;
      sxx0 += rx0 * dx0;
      sxy0 += rx0 * dy0;
      syy0 += ry0 * dy0;
      s1 += r1;
      const rx1 = r1 * dx1;
      const ry1 = r1 * dy1;
      sx1 += rx1;
      sy1 += ry1;
      sxx1 += rx1 * dx1;
      sxy1 += rx1 * dy1;
      syy1 += ry1 * dy1;
    }
    acc[0] = s0;
    acc[1] = sx0;
    acc[2] = sy0;
    acc[3] = sxx0;
    acc[4] = sxy0;
    acc[5] = syy0;
    acc[A] = s1;
    acc[A + 1] = sx1;
    acc[A + 2] = sy1;
    acc[A + 3] = sxx1;
    acc[A + 4] = sxy1;
    acc[A + 5] = syy1;
    return ll;
  }
  for (let i = 0, o = 0; i < n; i++, o += 2) {
    const x0 = x[o];
    const x1 = x[o + 1];
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0, p = 0; j < k; j++, p += T) {
      const dx = x0 - tb[p];
      const dy = x1 - tb[p + 1];
      const z1 = dx * tb[p + 2];
      const z2 = (dy - tb[p + 3] * z1) * tb[p + 4];
      const v = tb[p + 5] - 0.5 * (z1 * z1 + z2 * z2);
      lp[j] = v;
      diff[2 * j] = dx;
      diff[2 * j + 1] = dy;
      if (v > max) max = v;
    }
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(lp[j] - max);
      lp[j] = e;
      s += e;
    }
    ll += max + Math.log(s);
    const inv = 1 / s;
    for (let j = 0, a = 0; j < k; j++, a += A) {
      const r = lp[j] * inv;
      const dx = diff[2 * j];
      const dy = diff[2 * j + 1];
      const rx = r * dx;
      const ry = r * dy;
      acc[a] += r;
      acc[a + 1] += rx;
      acc[a + 2] += ry;
      acc[a + 3] += rx * dx;
      acc[a + 4] += rx * dy;
      acc[a + 5] += ry * dy;
    }
  }
  return ll;
}

/** One EM iteration's E-step and M-step sums on 1-D data (see ePass2). */
function ePass1(
  x: Float64Array,
  n: number,
  k: number,
  tb: Float64Array,
  acc: Float64Array,
  lp: Float64Array,
  diff: Float64Array,
): number {
  acc.fill(0, 0, k * A);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const x0 = x[i];
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0, p = 0; j < k; j++, p += T) {
      const dx = x0 - tb[p];
      const z = dx * tb[p + 2];
      const v = tb[p + 5] - 0.5 * z * z;
      lp[j] = v;
      diff[j] = dx;
      if (v > max) max = v;
    }
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(lp[j] - max);
      lp[j] = e;
      s += e;
    }
    ll += max + Math.log(s);
    const inv = 1 / s;
    for (let j = 0, a = 0; j < k; j++, a += A) {
      const r = lp[j] * inv;
      const rx = r * diff[j];
      acc[a] += r;
      acc[a + 1] += rx;
      acc[a + 2] += rx * diff[j];
    }
  }
  return ll;
}

/**
 * The M-step from sums about the old means c (the table's): nk = S0 + 10 eps,
 * μ = (c·S0 + S1) / nk, Σ = (S2 − δS1ᵀ − S1δᵀ + S0 δδᵀ) / nk + regCovar I with δ = μ − c,
 * weights nk / Σ nk. Writes the model.
 */
function mStep(m: GmmModel, tb: Float64Array, acc: Float64Array, reg: number): void {
  const { k, d, weights, means, covariances } = m;
  let total = 0;
  for (let j = 0; j < k; j++) {
    const a = j * A;
    const p = j * T;
    const s0 = acc[a];
    const nk = s0 + EPS10;
    total += nk;
    weights[j] = nk;
    if (d === 1) {
      const c = tb[p];
      const mu = (c * s0 + acc[a + 1]) / nk;
      const dl = mu - c;
      means[j] = mu;
      covariances[j] = (acc[a + 2] - 2 * dl * acc[a + 1] + s0 * dl * dl) / nk + reg;
    } else {
      const c0 = tb[p];
      const c1 = tb[p + 1];
      const sx = acc[a + 1];
      const sy = acc[a + 2];
      const mu0 = (c0 * s0 + sx) / nk;
      const mu1 = (c1 * s0 + sy) / nk;
      const d0 = mu0 - c0;
      const d1 = mu1 - c1;
      means[2 * j] = mu0;
      means[2 * j + 1] = mu1;
      const q = 4 * j;
      const cxy = (acc[a + 4] - d0 * sy - d1 * sx + s0 * d0 * d1) / nk;
      covariances[q] = (acc[a + 3] - 2 * d0 * sx + s0 * d0 * d0) / nk + reg;
      covariances[q + 1] = cxy;
      covariances[q + 2] = cxy;
      covariances[q + 3] = (acc[a + 5] - 2 * d1 * sy + s0 * d1 * d1) / nk + reg;
    }
  }
  for (let j = 0; j < k; j++) weights[j] /= total;
}

/**
 * Greedy k-means++ (as scikit-learn's kmeans_plusplus): the first centre uniformly, each next one
 * the best of 2 + floor(ln k) candidates drawn proportionally to the squared distance to the
 * nearest chosen centre (best = lowest total potential). Returns the centres' row indices.
 */
export function kmeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  workspace: GmmWorkspace = defaultWorkspace,
): Int32Array {
  checkDims(d);
  workspace.ensurePoints(n);
  let closest = workspace.closest;
  let best = workspace.best;
  let cand = workspace.candidate;
  const cumsum = workspace.cumsum;
  const indices = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));
  const picks = new Int32Array(trials);
  const first = rng.int(n);
  indices[0] = first;
  let pot = sqDistances(data, n, d, first, null, closest);
  for (let c = 1; c < k; c++) {
    let run = 0;
    for (let i = 0; i < n; i++) {
      run += closest[i];
      cumsum[i] = run;
    }
    for (let t = 0; t < trials; t++) {
      const target = rng.uniform() * pot;
      // searchsorted(cumsum, target, side='left'), clipped to n − 1.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumsum[mid] < target) lo = mid + 1;
        else hi = mid;
      }
      picks[t] = Math.min(lo, n - 1);
    }
    let bestPot = Number.POSITIVE_INFINITY;
    let bestIdx = picks[0];
    for (let t = 0; t < trials; t++) {
      const p = sqDistances(data, n, d, picks[t], closest, cand);
      if (p < bestPot) {
        bestPot = p;
        bestIdx = picks[t];
        const tmp = best;
        best = cand;
        cand = tmp;
      }
    }
    indices[c] = bestIdx;
    pot = bestPot;
    const tmp = closest;
    closest = best;
    best = tmp;
  }
  workspace.closest = closest;
  workspace.best = best;
  workspace.candidate = cand;
  return indices;
}

/** out[i] = min(floor[i], |x_i − x_c|²) (floor null: no min); returns Σ out. */
function sqDistances(
  x: Float64Array,
  n: number,
  d: number,
  c: number,
  floor: Float64Array | null,
  out: Float64Array,
): number {
  let sum = 0;
  if (d === 1) {
    const c0 = x[c];
    for (let i = 0; i < n; i++) {
      const t = x[i] - c0;
      let v = t * t;
      if (floor !== null && floor[i] < v) v = floor[i];
      out[i] = v;
      sum += v;
    }
  } else {
    const c0 = x[2 * c];
    const c1 = x[2 * c + 1];
    for (let i = 0, o = 0; i < n; i++, o += 2) {
      const t0 = x[o] - c0;
      const t1 = x[o + 1] - c1;
      let v = t0 * t0 + t1 * t1;
      if (floor !== null && floor[i] < v) v = floor[i];
      out[i] = v;
      sum += v;
    }
  }
  return sum;
}

/**
 * sklearn's _initialize with one-hot responsibilities at the given centre rows: nk = 1 + 10 eps,
 * mean = x_c / nk, covariance = (x_c − mean)(x_c − mean)ᵀ / nk + regCovar I, weight = nk / n.
 */
export function initFromCenters(
  data: Float64Array,
  n: number,
  d: number,
  centers: ArrayLike<number>,
  regCovar: number,
  out: GmmModel = emptyGmm(centers.length, d),
): GmmModel {
  const k = centers.length;
  const nk = 1 + EPS10;
  for (let j = 0; j < k; j++) {
    out.weights[j] = nk / n;
    for (let a = 0; a < d; a++) out.means[j * d + a] = data[centers[j] * d + a] / nk;
    for (let a = 0; a < d; a++) {
      const da = data[centers[j] * d + a] - out.means[j * d + a];
      for (let b = 0; b < d; b++) {
        const db = data[centers[j] * d + b] - out.means[j * d + b];
        out.covariances[j * d * d + a * d + b] = (da * db) / nk + (a === b ? regCovar : 0);
      }
    }
  }
  return out;
}

/**
 * sklearn's _estimate_gaussian_parameters from responsibilities resp (n×k), two-pass, with
 * weights = nk / n (sklearn's _initialize leaves them so). Used by the 'random' initialisation.
 */
export function paramsFromResponsibilities(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  resp: Float64Array,
  regCovar: number,
  out: GmmModel = emptyGmm(k, d),
): GmmModel {
  for (let j = 0; j < k; j++) {
    let nk = EPS10;
    const s = [0, 0];
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + j];
      nk += r;
      for (let a = 0; a < d; a++) s[a] += r * data[i * d + a];
    }
    for (let a = 0; a < d; a++) out.means[j * d + a] = s[a] / nk;
    const c = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + j];
      for (let a = 0; a < d; a++) {
        const da = data[i * d + a] - out.means[j * d + a];
        for (let b = 0; b < d; b++)
          c[a * d + b] += r * da * (data[i * d + b] - out.means[j * d + b]);
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        out.covariances[j * d * d + a * d + b] = c[a * d + b] / nk + (a === b ? regCovar : 0);
      }
    }
    out.weights[j] = nk / n;
  }
  return out;
}

/** MLE covariance (d×d) of the first n rows. */
function dataCovariance(data: Float64Array, n: number, d: number): Float64Array {
  const mean = [0, 0];
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += data[i * d + a] / n;
  const c = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        c[a * d + b] += ((data[i * d + a] - mean[a]) * (data[i * d + b] - mean[b])) / n;
      }
    }
  }
  return c;
}

/**
 * The parameters EM starts from, exactly as fitGmm computes them (see the header): for batched
 * engines that initialise on the CPU and run the EM iterations elsewhere. `rng` is needed by
 * 'kmeans++' and 'random'.
 */
export function initialModel(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  init: GmmInit,
  reg: number,
  rng: Rng | undefined,
  ws: GmmWorkspace,
): GmmModel {
  if (init === 'kmeans++' || init === 'random') {
    if (rng === undefined) throw new Error(`fitGmm: init '${init}' needs an rng`);
    if (init === 'kmeans++') {
      return initFromCenters(data, n, d, kmeansPlusPlus(data, n, d, k, rng, ws), reg);
    }
    if (ws.resp.length < n * k) ws.resp = new Float64Array(n * k);
    const resp = ws.resp;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const u = rng.uniform();
        resp[i * k + j] = u;
        s += u;
      }
      for (let j = 0; j < k; j++) resp[i * k + j] /= s;
    }
    return paramsFromResponsibilities(data, n, d, k, resp, reg);
  }
  const m = emptyGmm(k, d);
  if (init.means.length !== k * d) throw new RangeError('fitGmm: init.means must have k×d values');
  m.means.set(Array.from(init.means));
  if (init.weights) m.weights.set(Array.from(init.weights));
  else m.weights.fill(1 / k);
  if (init.covariances) {
    m.covariances.set(Array.from(init.covariances));
  } else {
    const c = dataCovariance(data, n, d);
    for (let a = 0; a < d; a++) c[a * d + a] += reg;
    for (let j = 0; j < k; j++) m.covariances.set(c, j * d * d);
  }
  return m;
}

/**
 * Fits a K-component full-covariance Gaussian mixture to `data` (n×d row-major, d = 1 or 2) by
 * EM, as scikit-learn's GaussianMixture(covariance_type='full', n_init=1) does.
 */
export function fitGmm(
  data: Float64Array,
  n: number,
  d: number,
  opts: GmmFitOptions,
): GmmFitResult {
  checkDims(d);
  const k = opts.components;
  if (!(k >= 1) || !(n >= k))
    throw new RangeError(`fitGmm: need n ≥ components ≥ 1 (n=${n}, k=${k})`);
  const tol = opts.tol ?? 1e-3;
  const maxIter = opts.maxIter ?? 100;
  const reg = opts.regCovar ?? 1e-6;
  const ws = opts.workspace ?? defaultWorkspace;
  ws.ensureComponents(k);
  const model = initialModel(data, n, d, k, opts.init ?? 'kmeans++', reg, opts.rng, ws);
  const { table, acc, lp, diff } = ws;
  let lower = Number.NEGATIVE_INFINITY;
  let converged = false;
  let iterations = 0;
  while (iterations < maxIter) {
    iterations++;
    prepareTable(model, table);
    const prev = lower;
    lower =
      (d === 2
        ? ePass2(data, n, k, table, acc, lp, diff)
        : ePass1(data, n, k, table, acc, lp, diff)) / n;
    mStep(model, table, acc, reg);
    if (Math.abs(lower - prev) < tol) {
      converged = true;
      break;
    }
  }
  return { model, logLikelihood: lower, iterations, converged };
}

/**
 * n points from the mixture: a component by weight, then μ + sqrt(λ)·L z with Σ = L Lᵀ, i.e.
 * covariance λΣ (λ = temperature). Writes into `out` (length ≥ n·d) when given.
 */
export function sampleGmm(
  model: GmmModel,
  n: number,
  rng: Rng,
  temperature = 1,
  out: Float64Array = new Float64Array(n * model.d),
): Float64Array {
  const { k, d, weights } = model;
  checkDims(d);
  const tb = new Float64Array(k * T);
  prepareTable(model, tb);
  const cum = new Float64Array(k);
  let total = 0;
  for (let j = 0; j < k; j++) {
    total += weights[j];
    cum[j] = total;
  }
  const scale = Math.sqrt(temperature);
  const last = k - 1;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform() * total;
    let j = 0;
    while (j < last && u >= cum[j]) j++;
    const p = j * T;
    if (d === 1) {
      out[i] = tb[p] + scale * tb[p + 6] * rng.normal();
    } else {
      const z1 = rng.normal();
      const z2 = rng.normal();
      const l11 = tb[p + 6];
      out[2 * i] = tb[p] + scale * l11 * z1;
      out[2 * i + 1] = tb[p + 1] + scale * (tb[p + 3] * z1 + tb[p + 7] * z2);
    }
  }
  return out;
}

/**
 * n points from the mixture, stratified over components: component j gets n·w_j points rounded
 * by largest remainder (so the counts differ from n·w_j by less than 1), in component order. Not
 * an iid sample (the counts are fixed); it estimates expectations under the model with less
 * noise than sampleGmm, which is what the Monte Carlo metrics need. Training data must come from
 * sampleGmm.
 */
export function sampleGmmStratified(
  model: GmmModel,
  n: number,
  rng: Rng,
  temperature = 1,
  out: Float64Array = new Float64Array(n * model.d),
): Float64Array {
  const { k, d, weights } = model;
  checkDims(d);
  const tb = new Float64Array(k * T);
  prepareTable(model, tb);
  const counts = stratifiedCounts(weights, n);
  const scale = Math.sqrt(temperature);
  let i = 0;
  for (let j = 0; j < k; j++) {
    const p = j * T;
    const m0 = tb[p];
    const m1 = tb[p + 1];
    const a = scale * tb[p + 6];
    const b = scale * tb[p + 3];
    const c = scale * tb[p + 7];
    const end = i + counts[j];
    if (d === 1) {
      for (; i < end; i++) out[i] = m0 + a * rng.normal();
    } else {
      for (; i < end; i++) {
        const z1 = rng.normal();
        const z2 = rng.normal();
        out[2 * i] = m0 + a * z1;
        out[2 * i + 1] = m1 + b * z1 + c * z2;
      }
    }
  }
  return out;
}

/** Counts summing to n, proportional to the weights, rounded by largest remainder. */
export function stratifiedCounts(weights: ArrayLike<number>, n: number): Int32Array {
  const k = weights.length;
  let total = 0;
  for (let j = 0; j < k; j++) total += weights[j];
  const counts = new Int32Array(k);
  const rem = new Float64Array(k);
  let used = 0;
  for (let j = 0; j < k; j++) {
    const e = (n * weights[j]) / total;
    counts[j] = Math.floor(e);
    rem[j] = e - counts[j];
    used += counts[j];
  }
  while (used < n) {
    let best = 0;
    for (let j = 1; j < k; j++) if (rem[j] > rem[best]) best = j;
    counts[best]++;
    rem[best] = -1;
    used++;
  }
  return counts;
}

/** log p(x) of one point stored at x[offset .. offset + d). */
export function gmmLogDensity(model: GmmModel, x: ArrayLike<number>, offset = 0): number {
  const tb = new Float64Array(model.k * T);
  prepareTable(model, tb);
  return tableLogDensity(tb, model.k, model.d, x, offset);
}

/** log p(x) under a prepared component table (see prepareTable). */
export function tableLogDensity(
  tb: Float64Array,
  k: number,
  d: number,
  x: ArrayLike<number>,
  offset: number,
): number {
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  // Streaming log-sum-exp: rescale the running sum when a larger term arrives.
  for (let j = 0, p = 0; j < k; j++, p += T) {
    let v: number;
    if (d === 1) {
      const z = (x[offset] - tb[p]) * tb[p + 2];
      v = tb[p + 5] - 0.5 * z * z;
    } else {
      const z1 = (x[offset] - tb[p]) * tb[p + 2];
      const z2 = (x[offset + 1] - tb[p + 1] - tb[p + 3] * z1) * tb[p + 4];
      v = tb[p + 5] - 0.5 * (z1 * z1 + z2 * z2);
    }
    if (v > max) {
      sum = sum * Math.exp(max - v) + 1;
      max = v;
    } else {
      sum += Math.exp(v - max);
    }
  }
  return max + Math.log(sum);
}

/** Mean log-likelihood per point of `data` (n×d) under `model`. */
export function gmmMeanLogLikelihood(
  model: GmmModel,
  data: Float64Array,
  n: number,
  workspace: GmmWorkspace = defaultWorkspace,
): number {
  const { k, d } = model;
  checkDims(d);
  workspace.ensureComponents(k);
  const { table, acc, lp, diff } = workspace;
  prepareTable(model, table);
  return (
    (d === 2
      ? ePass2(data, n, k, table, acc, lp, diff)
      : ePass1(data, n, k, table, acc, lp, diff)) / n
  );
}
