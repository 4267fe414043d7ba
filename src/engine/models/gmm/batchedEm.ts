// Batched EM for Gaussian mixtures on tfjs: R replicate chains × n points × K components fitted in
// one tensor program per iteration (no per-chain loop in JS). d ≤ 2, full covariances in closed
// form (tfjs has no batched inverse or determinant). Mirrors scikit-learn's GaussianMixture and the
// plain-TS reference: E-step with log-sum-exp responsibilities, M-step with regCovar on the
// diagonal, a chain stops when its mean log-likelihood changes by less than tol.
//
// Both steps are batched matrix products over per-point features Φ = [x², xy, y², x, y, 1]
// (d = 2; [x², x, 1] in 1-D), which stay on the device for the whole fit:
//   E-step: log w_k + log N(x | μ_k, Σ_k) is a quadratic form in x, i.e. Φ · W with W [R, F, K]
//           built from the parameters (tiny tensors);
//   M-step: every sufficient statistic (Σ r, Σ r x, …, Σ r y²) is Φᵀ · resp, one product.
// Each chain's data are standardised first (centred, scaled to unit spread; regCovar scaled to
// match), so float32 keeps precision when a collapsed chain's spread is tiny next to its offset.
// Converged chains are frozen by masks on the device; the host reads the "all converged?" flag
// only every few iterations, asynchronously.
//
// float32 and degenerate components. A component that shrinks onto a few points (a collapsing
// chain does this all the time) has a covariance of about regCovar, far below what float32 can
// resolve from raw moments: Σ r x² / nk − μ² cancels to rounding noise of about eps32·|μ|², can
// come out negative, and log det is then NaN. So every covariance (the initial ones too) is
// floored in standardised coordinates before regCovar is added, as the TS engine floors
// non-positive Cholesky pivots (src/core/mixture.ts, prepareTable):
//   - each variance ≥ FLOOR_TAU · (1 + |μ|²) (the rounding noise of the raw second moments; it
//     also bounds the error of the expanded quadratic form Φ · W, whose terms grow like
//     |x|² / λ_min, to about a nat for points near such a component);
//   - in 2-D the smaller eigenvalue too, and ≥ FLOOR_KAPPA · eps32 · λ_max (a condition number
//     float32 can invert: det stays positive), by adding the shortfall to both diagonals.
// On well-conditioned data the floors are far below the variances and change nothing. Empty
// components stay finite as in the TS engine (nk + 10 eps; weights nk / Σ nk; log weights of at
// least log 1e-30), rows whose components all have density 0 are guarded (no −∞ − −∞), and a
// chain whose log-likelihood is NaN stops iterating (its parameters come back non-finite, and
// createTfjsGmmFitter refits it on the TS engine).
import * as tf from '@tensorflow/tfjs';

export interface BatchedParams {
  /** R×K */
  weights: Float64Array;
  /** R×K×d */
  means: Float64Array;
  /** R×K×d×d */
  covariances: Float64Array;
}

export interface BatchedEmInput {
  /** R×n×d, row-major, one chain after another. */
  data: Float64Array;
  R: number;
  n: number;
  d: 1 | 2;
  K: number;
  init: BatchedParams;
  tol: number;
  maxIter: number;
  regCovar: number;
  /** Iterations between reads of the convergence flags (each read is a device sync). */
  checkEvery?: number;
}

export interface BatchedEmResult extends BatchedParams {
  /** Mean log-likelihood per point at the last E-step, per chain (sklearn's lower_bound_). */
  logLikelihood: Float64Array;
  iterations: Int32Array;
  converged: Uint8Array;
}

const LOG_2PI = Math.log(2 * Math.PI);
/** sklearn adds 10·eps to each component's responsibility mass so empty components stay finite. */
const NK_EPS = 10 * 2.220446049250313e-16;
/** float32 machine epsilon. */
export const EPS32 = 2 ** -23;
/**
 * Variance floor per unit of (1 + |μ|²), standardised coordinates (see the header): the rounding
 * noise of the raw moments. Larger floors widen few-point components more than the TS engine does
 * and visibly slow their collapse (measured on ring8, M = 200: the tfjs chains' median std drifted
 * above the TS engine's as the floor grew from 0.25 to 64 eps32).
 */
export const FLOOR_TAU = EPS32;
/** Smallest eigenvalue ≥ FLOOR_KAPPA · eps32 · largest, so that det = ac − b² stays > 0 in float32. */
export const FLOOR_KAPPA = 4;
/** Weights are floored here before their log (a zero weight would give −∞ − −∞ = NaN). */
const MIN_WEIGHT = 1e-30;
/** Guards for log-sum-exp over rows where every component has density 0. */
const MIN_TOTAL = 1e-30;
const MIN_TOP = -1e30;

/** Parameters in standardised coordinates, each [R, K]; b and c (and my) only in 2-D. */
interface Params {
  w: tf.Tensor2D;
  mx: tf.Tensor2D;
  my?: tf.Tensor2D;
  a: tf.Tensor2D;
  b?: tf.Tensor2D;
  c?: tf.Tensor2D;
}

interface State extends Params {
  prevLL: tf.Tensor1D;
  lastLL: tf.Tensor1D;
  /** 1 where the chain has converged. */
  done: tf.Tensor1D;
  iters: tf.Tensor1D;
}

/** Per-chain centre and scale, and the standardised data laid out as Φ [R, n, F] and Φᵀ. */
function standardise(input: BatchedEmInput) {
  const { R, n, d, data } = input;
  const F = d === 2 ? 6 : 3;
  const centre = new Float64Array(R * d);
  const scale = new Float64Array(R);
  const phi = new Float32Array(R * n * F);
  const phiT = new Float32Array(R * F * n);
  for (let r = 0; r < R; r++) {
    let ss = 0;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += data[(r * n + i) * d + j];
      const m = s / n;
      centre[r * d + j] = m;
      for (let i = 0; i < n; i++) ss += (data[(r * n + i) * d + j] - m) ** 2;
    }
    const sd = Math.sqrt(ss / (n * d));
    scale[r] = sd > 0 && Number.isFinite(sd) ? sd : 1;
    for (let i = 0; i < n; i++) {
      const x = (data[(r * n + i) * d] - centre[r * d]) / scale[r];
      const y = d === 2 ? (data[(r * n + i) * d + 1] - centre[r * d + 1]) / scale[r] : 0;
      const feats = d === 2 ? [x * x, x * y, y * y, x, y, 1] : [x * x, x, 1];
      for (let f = 0; f < F; f++) {
        phi[(r * n + i) * F + f] = feats[f];
        phiT[(r * F + f) * n + i] = feats[f];
      }
    }
  }
  return { F, centre, scale, phi, phiT };
}

/** The variance floor FLOOR_TAU · (1 + |μ|²) per component (standardised coordinates). */
function varianceFloor(mx: tf.Tensor2D, my: tf.Tensor2D | undefined): tf.Tensor2D {
  const sq = my ? tf.add(tf.square(mx), tf.square(my)) : tf.square(mx);
  return tf.mul(FLOOR_TAU, tf.add(1, sq));
}

/**
 * Floors raw covariances (standardised coordinates, before regCovar) at the variance floor `f`
 * (and in 2-D the smaller eigenvalue at f + FLOOR_KAPPA · eps32 · λ_max), then adds `reg` to the
 * diagonal. Tensors [R, K], or [R, 1] for f and reg; b and c only in 2-D.
 */
function floorCovariance(
  f: tf.Tensor2D,
  a0: tf.Tensor2D,
  b0: tf.Tensor2D | undefined,
  c0: tf.Tensor2D | undefined,
  reg: tf.Tensor2D,
): { a: tf.Tensor2D; b?: tf.Tensor2D; c?: tf.Tensor2D } {
  const a1 = tf.maximum(a0, f);
  if (b0 === undefined || c0 === undefined) return { a: tf.add(a1, reg) };
  const c1 = tf.maximum(c0, f);
  // λ_max without cancellation; λ_min as det / λ_max (its error is about eps32 · λ_max).
  const lmax = tf.add(
    tf.mul(0.5, tf.add(a1, c1)),
    tf.sqrt(tf.add(tf.square(tf.mul(0.5, tf.sub(a1, c1))), tf.square(b0))),
  );
  const lmin = tf.div(tf.sub(tf.mul(a1, c1), tf.square(b0)), lmax);
  const want = tf.add(f, tf.mul(FLOOR_KAPPA * EPS32, lmax));
  // Adding the shortfall to both diagonals lifts both eigenvalues by it.
  const shift = tf.add(tf.relu(tf.sub(want, lmin)), reg);
  return { a: tf.add(a1, shift), b: b0, c: tf.add(c1, shift) };
}

export async function fitGmmBatched(input: BatchedEmInput): Promise<BatchedEmResult> {
  const { R, n, d, K, tol, maxIter, regCovar } = input;
  // Reading the flags is a cheap memory read on the CPU backends, a device sync on GPUs.
  const checkEvery = input.checkEvery ?? (['wasm', 'cpu'].includes(tf.getBackend()) ? 1 : 4);
  const dd = d * d;
  const { F, centre, scale, phi: phiHost, phiT: phiTHost } = standardise(input);

  // Initial parameters, standardised.
  const { weights, means, covariances } = input.init;
  const param = (f: (r: number, k: number) => number) => {
    const out = new Float32Array(R * K);
    for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) out[r * K + k] = f(r, k);
    return tf.tensor2d(out, [R, K]);
  };
  const s2 = (r: number) => scale[r] * scale[r];
  const phi = tf.tensor3d(phiHost, [R, n, F]);
  const phiT = tf.tensor3d(phiTHost, [R, F, n]);
  const reg = tf.tensor2d(
    Float32Array.from(scale, (s) => regCovar / (s * s)),
    [R, 1],
  );
  const mx0 = param((r, k) => (means[(r * K + k) * d] - centre[r * d]) / scale[r]);
  const my0 =
    d === 2
      ? param((r, k) => (means[(r * K + k) * d + 1] - centre[r * d + 1]) / scale[r])
      : undefined;
  // The initial covariances (regCovar I after k-means++) are floored too, with one floor per
  // chain (that of its component farthest from the centre) so that all of a chain's components
  // keep equal covariances and the first E-step still assigns each point to its nearest centre.
  const cov0 = tf.tidy(() => {
    const entry = (off: number) => param((r, k) => covariances[(r * K + k) * dd + off] / s2(r));
    const f = tf.max(varianceFloor(mx0, my0), 1, true) as tf.Tensor2D;
    return floorCovariance(
      f,
      tf.sub(entry(0), reg),
      d === 2 ? entry(1) : undefined,
      d === 2 ? tf.sub(entry(3), reg) : undefined,
      reg,
    );
  });
  let s: State = {
    w: param((r, k) => weights[r * K + k]),
    mx: mx0,
    my: my0,
    a: cov0.a,
    b: cov0.b,
    c: cov0.c,
    prevLL: tf.fill([R], Number.NEGATIVE_INFINITY) as tf.Tensor1D,
    lastLL: tf.zeros([R]) as tf.Tensor1D,
    done: tf.zeros([R]) as tf.Tensor1D,
    iters: tf.zeros([R]) as tf.Tensor1D,
  };

  /** W [R, F, K]: the coefficients of log w_k + log N(x | μ_k, Σ_k) on the features Φ. */
  const quadratic = (p: Params): tf.Tensor3D => {
    if (d === 1) {
      const prec = tf.reciprocal(p.a);
      const rows = [
        tf.mul(-0.5, prec),
        tf.mul(p.mx, prec),
        tf.sub(
          tf.log(tf.maximum(p.w, MIN_WEIGHT)),
          tf.add(
            tf.mul(0.5, tf.mul(tf.square(p.mx), prec)),
            tf.mul(0.5, tf.add(LOG_2PI, tf.log(p.a))),
          ),
        ),
      ];
      return tf.stack(rows, 1) as tf.Tensor3D;
    }
    const b = p.b as tf.Tensor2D;
    const c = p.c as tf.Tensor2D;
    const my = p.my as tf.Tensor2D;
    const det = tf.sub(tf.mul(p.a, c), tf.square(b));
    const p11 = tf.div(c, det);
    const p12 = tf.div(tf.neg(b), det);
    const p22 = tf.div(p.a, det);
    const gx = tf.add(tf.mul(p11, p.mx), tf.mul(p12, my));
    const gy = tf.add(tf.mul(p12, p.mx), tf.mul(p22, my));
    // μᵀPμ = μx·gx + μy·gy
    const mpm = tf.add(tf.mul(p.mx, gx), tf.mul(my, gy));
    const rows = [
      tf.mul(-0.5, p11),
      tf.neg(p12),
      tf.mul(-0.5, p22),
      gx,
      gy,
      tf.sub(
        tf.log(tf.maximum(p.w, MIN_WEIGHT)),
        tf.add(tf.mul(0.5, mpm), tf.add(LOG_2PI, tf.mul(0.5, tf.log(det)))),
      ),
    ];
    return tf.stack(rows, 1) as tf.Tensor3D;
  };

  // [R, n, 1] → [R, n, K] for the E-step's two per-point operations. Broadcasting binary ops on
  // the cpu backend walk every element through index arithmetic (~7 ms each at R·n·K = 30 000,
  // most of an iteration); a product with a row of ones is a fast kernel there. Other backends
  // broadcast natively.
  const ones = tf.getBackend() === 'cpu' ? tf.ones([R, 1, K]) : null;
  const spread = (t: tf.Tensor): tf.Tensor =>
    ones ? tf.matMul(t as tf.Tensor3D, ones as tf.Tensor3D) : t;

  const step = (): State =>
    tf.tidy(() => {
      // E-step: one product, then log-sum-exp over components. A row whose components all have
      // density 0 (top = −∞) would give −∞ − −∞ = NaN: top and the row total are floored, so such
      // a row gets responsibilities 0 and a very low (finite) log-likelihood.
      const logp = tf.matMul(phi, quadratic(s)); // [R, n, K]
      const top = tf.maximum(tf.max(logp, 2, true), MIN_TOP);
      const e = tf.exp(tf.sub(logp, spread(top)));
      const total = tf.maximum(tf.sum(e, 2, true), MIN_TOTAL);
      // (A broadcast multiply by the reciprocal: broadcast division is slow on wasm.)
      const resp = tf.mul(e, spread(tf.reciprocal(total)));
      const lse = tf.add(tf.log(total), top); // [R, n, 1]
      const ll = tf.reshape(tf.mean(lse, 1), [R]) as tf.Tensor1D;

      // M-step: all sufficient statistics in one product, rows in Φ's order.
      const stats = tf.unstack(tf.matMul(phiT, resp), 1) as tf.Tensor2D[]; // F × [R, K]
      const nk = tf.add(stats[F - 1], NK_EPS);
      const inv = tf.reciprocal(nk);
      const mx: tf.Tensor2D = tf.mul(stats[d === 2 ? 3 : 1], inv);
      const my = d === 2 ? (tf.mul(stats[4], inv) as tf.Tensor2D) : undefined;
      const cov = floorCovariance(
        varianceFloor(mx, my),
        tf.sub(tf.mul(stats[0], inv), tf.square(mx)),
        my ? tf.sub(tf.mul(stats[1], inv), tf.mul(mx, my)) : undefined,
        my ? tf.sub(tf.mul(stats[2], inv), tf.square(my)) : undefined,
        reg,
      );
      // Weights nk / Σ nk, as the TS engine (Σ resp is n up to rounding).
      const w: tf.Tensor2D = tf.mul(nk, tf.reciprocal(tf.sum(nk, 1, true)));
      const next: Params = { w, mx, my, ...cov };

      // Chains already converged keep their parameters; the rest take the M-step.
      const active = tf.equal(s.done, 0); // [R]
      const activeRK = tf.reshape(active, [R, 1]);
      const activeMask = tf.broadcastTo(activeRK, [R, K]);
      const keepP = (nv: tf.Tensor2D, pv: tf.Tensor2D): tf.Tensor2D => tf.where(activeMask, nv, pv);
      const keep1 = (nv: tf.Tensor1D, pv: tf.Tensor1D) => tf.where(active, nv, pv) as tf.Tensor1D;
      // A chain whose log-likelihood went NaN stops here (it is refitted on the TS engine).
      const nowDone = tf.logicalAnd(
        active,
        tf.logicalOr(tf.less(tf.abs(tf.sub(ll, s.prevLL)), tol), tf.isNaN(ll)),
      );
      return {
        w: keepP(next.w, s.w),
        mx: keepP(next.mx, s.mx),
        my: next.my ? keepP(next.my, s.my as tf.Tensor2D) : undefined,
        a: keepP(next.a, s.a),
        b: next.b ? keepP(next.b, s.b as tf.Tensor2D) : undefined,
        c: next.c ? keepP(next.c, s.c as tf.Tensor2D) : undefined,
        prevLL: keep1(ll, s.prevLL),
        lastLL: keep1(ll, s.lastLL),
        done: tf.cast(tf.logicalOr(tf.cast(s.done, 'bool'), nowDone), 'float32') as tf.Tensor1D,
        iters: tf.add(s.iters, tf.cast(active, 'float32')) as tf.Tensor1D,
      };
    });

  const disposeState = (x: State) =>
    tf.dispose(Object.values(x).filter((t): t is tf.Tensor => t !== undefined));
  try {
    for (let it = 1; it <= maxIter; it++) {
      const next = step();
      disposeState(s);
      s = next;
      if (it % checkEvery === 0 && it < maxIter) {
        const allDone = tf.min(s.done);
        const flag = (await allDone.data())[0];
        allDone.dispose();
        if (flag === 1) break;
      }
    }
    const [w, mx, my, a, b, c, ll, iters, done] = await Promise.all(
      [s.w, s.mx, s.my, s.a, s.b, s.c, s.lastLL, s.iters, s.done].map((t) => (t ? t.data() : null)),
    );
    const out: BatchedEmResult = {
      weights: new Float64Array(R * K),
      means: new Float64Array(R * K * d),
      covariances: new Float64Array(R * K * dd),
      logLikelihood: new Float64Array(R),
      iterations: Int32Array.from(iters as Float32Array),
      // A chain stopped because its log-likelihood went NaN has not converged.
      converged: Uint8Array.from(done as Float32Array, (v, r) =>
        v === 1 && Number.isFinite((ll as Float32Array)[r]) ? 1 : 0,
      ),
    };
    for (let r = 0; r < R; r++) {
      const sc = scale[r];
      // Back to data units: the density's Jacobian shifts the mean log-likelihood by −d·ln(scale).
      out.logLikelihood[r] = (ll as Float32Array)[r] - d * Math.log(sc);
      for (let k = 0; k < K; k++) {
        const i = r * K + k;
        out.weights[i] = (w as Float32Array)[i];
        out.means[i * d] = (mx as Float32Array)[i] * sc + centre[r * d];
        out.covariances[i * dd] = (a as Float32Array)[i] * sc * sc;
        if (d === 2) {
          out.means[i * d + 1] = (my as Float32Array)[i] * sc + centre[r * d + 1];
          out.covariances[i * dd + 1] = (b as Float32Array)[i] * sc * sc;
          out.covariances[i * dd + 2] = (b as Float32Array)[i] * sc * sc;
          out.covariances[i * dd + 3] = (c as Float32Array)[i] * sc * sc;
        }
      }
    }
    return out;
  } finally {
    disposeState(s);
    tf.dispose([phi, phiT, reg, ...(ones ? [ones] : [])]);
  }
}
