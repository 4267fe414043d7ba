// Batched EM for Gaussian mixtures on tfjs: R replicate chains × n points × K components fitted in
// one tensor program per iteration (no per-chain loop in JS). d ≤ 2, full covariances in closed
// form (tfjs has no batched inverse or determinant). Mirrors scikit-learn's GaussianMixture and the
// plain-TS reference: E-step with log-sum-exp responsibilities, M-step with regCovar on the
// diagonal, a chain stops when its mean log-likelihood changes by less than tol. Converged chains
// are frozen by masks on the device; the host reads the "all converged?" flag only every few
// iterations, asynchronously.
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

interface State {
  w: tf.Tensor3D; // [R,1,K]
  mx: tf.Tensor3D;
  my: tf.Tensor3D | undefined;
  a: tf.Tensor3D; // Σxx
  b: tf.Tensor3D | undefined; // Σxy
  c: tf.Tensor3D | undefined; // Σyy
  prevLL: tf.Tensor3D; // [R,1,1]
  lastLL: tf.Tensor3D;
  done: tf.Tensor3D; // [R,1,1] 1 when converged
  iters: tf.Tensor3D;
}

export async function fitGmmBatched(input: BatchedEmInput): Promise<BatchedEmResult> {
  const { R, n, d, K, tol, maxIter, regCovar } = input;
  const checkEvery = input.checkEvery ?? 4;

  // Centre each chain's data (and initial means) so float32 keeps precision when a collapsed
  // chain's spread is tiny next to its offset.
  const centre = new Float64Array(R * d);
  const xsHost = new Float32Array(R * n);
  const ysHost = d === 2 ? new Float32Array(R * n) : null;
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += input.data[(r * n + i) * d + j];
      centre[r * d + j] = s / n;
    }
    for (let i = 0; i < n; i++) {
      xsHost[r * n + i] = input.data[(r * n + i) * d] - centre[r * d];
      if (ysHost) ysHost[r * n + i] = input.data[(r * n + i) * d + 1] - centre[r * d + 1];
    }
  }
  const initComponent = (f: (r: number, k: number) => number) => {
    const out = new Float32Array(R * K);
    for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) out[r * K + k] = f(r, k);
    return tf.tensor3d(out, [R, 1, K]);
  };
  const { weights, means, covariances } = input.init;
  const dd = d * d;

  const xs = tf.tensor3d(xsHost, [R, n, 1]);
  const ys = ysHost ? tf.tensor3d(ysHost, [R, n, 1]) : null;
  let s: State = {
    w: initComponent((r, k) => weights[r * K + k]),
    mx: initComponent((r, k) => means[(r * K + k) * d] - centre[r * d]),
    my:
      d === 2 ? initComponent((r, k) => means[(r * K + k) * d + 1] - centre[r * d + 1]) : undefined,
    a: initComponent((r, k) => covariances[(r * K + k) * dd]),
    b: d === 2 ? initComponent((r, k) => covariances[(r * K + k) * dd + 1]) : undefined,
    c: d === 2 ? initComponent((r, k) => covariances[(r * K + k) * dd + 3]) : undefined,
    prevLL: tf.fill([R, 1, 1], Number.NEGATIVE_INFINITY) as tf.Tensor3D,
    lastLL: tf.zeros([R, 1, 1]) as tf.Tensor3D,
    done: tf.zeros([R, 1, 1]) as tf.Tensor3D,
    iters: tf.zeros([R, 1, 1]) as tf.Tensor3D,
  };

  const step = (): State =>
    tf.tidy(() => {
      // E-step: log N(x | μ_k, Σ_k) + log w_k for every chain, point and component.
      const dx = tf.sub(xs, s.mx);
      let logN: tf.Tensor3D;
      if (d === 1) {
        logN = tf.mul(-0.5, tf.add(tf.div(tf.square(dx), s.a), tf.add(LOG_2PI, tf.log(s.a))));
      } else {
        const b = s.b as tf.Tensor3D;
        const c = s.c as tf.Tensor3D;
        const dy = tf.sub(ys as tf.Tensor3D, s.my as tf.Tensor3D);
        const det = tf.sub(tf.mul(s.a, c), tf.square(b));
        const quad = tf.div(
          tf.add(
            tf.sub(tf.mul(c, tf.square(dx)), tf.mul(tf.mul(2, b), tf.mul(dx, dy))),
            tf.mul(s.a, tf.square(dy)),
          ),
          det,
        );
        logN = tf.mul(-0.5, tf.add(quad, tf.add(2 * LOG_2PI, tf.log(det))));
      }
      const logp = tf.add(logN, tf.log(s.w));
      const lse = tf.logSumExp(logp, 2, true); // [R,n,1]
      const ll = tf.mean(lse, 1, true) as tf.Tensor3D; // [R,1,1]
      const resp = tf.exp(tf.sub(logp, lse));

      // M-step.
      const nk = tf.add(tf.sum(resp, 1, true), NK_EPS); // [R,1,K]
      const mx = tf.div(tf.sum(tf.mul(resp, xs), 1, true), nk) as tf.Tensor3D;
      const ex = tf.sub(xs, mx);
      const a = tf.add(
        tf.div(tf.sum(tf.mul(resp, tf.square(ex)), 1, true), nk),
        regCovar,
      ) as tf.Tensor3D;
      let my: tf.Tensor3D | undefined;
      let b: tf.Tensor3D | undefined;
      let c: tf.Tensor3D | undefined;
      if (d === 2) {
        my = tf.div(tf.sum(tf.mul(resp, ys as tf.Tensor3D), 1, true), nk) as tf.Tensor3D;
        const ey = tf.sub(ys as tf.Tensor3D, my);
        b = tf.div(tf.sum(tf.mul(resp, tf.mul(ex, ey)), 1, true), nk) as tf.Tensor3D;
        c = tf.add(
          tf.div(tf.sum(tf.mul(resp, tf.square(ey)), 1, true), nk),
          regCovar,
        ) as tf.Tensor3D;
      }
      const w = tf.div(nk, n) as tf.Tensor3D;

      // Chains already converged keep their parameters; the rest take the M-step.
      const active = tf.equal(s.done, 0); // [R,1,1]
      const keep = <T extends tf.Tensor>(next: T, prev: T) => tf.where(active, next, prev) as T;
      const change = tf.abs(tf.sub(ll, s.prevLL));
      const nowDone = tf.logicalAnd(active, tf.less(change, tol));
      return {
        w: keep(w, s.w),
        mx: keep(mx, s.mx),
        my: my ? keep(my, s.my as tf.Tensor3D) : undefined,
        a: keep(a, s.a),
        b: b ? keep(b, s.b as tf.Tensor3D) : undefined,
        c: c ? keep(c, s.c as tf.Tensor3D) : undefined,
        prevLL: keep(ll, s.prevLL),
        lastLL: keep(ll, s.lastLL),
        done: tf.cast(tf.logicalOr(tf.cast(s.done, 'bool'), nowDone), 'float32') as tf.Tensor3D,
        iters: tf.add(s.iters, tf.cast(active, 'float32')) as tf.Tensor3D,
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
      logLikelihood: Float64Array.from(ll as Float32Array),
      iterations: Int32Array.from(iters as Float32Array),
      converged: Uint8Array.from(done as Float32Array),
    };
    for (let r = 0; r < R; r++) {
      for (let k = 0; k < K; k++) {
        const i = r * K + k;
        out.weights[i] = (w as Float32Array)[i];
        out.means[i * d] = (mx as Float32Array)[i] + centre[r * d];
        out.covariances[i * dd] = (a as Float32Array)[i];
        if (d === 2) {
          out.means[i * d + 1] = (my as Float32Array)[i] + centre[r * d + 1];
          out.covariances[i * dd + 1] = (b as Float32Array)[i];
          out.covariances[i * dd + 2] = (b as Float32Array)[i];
          out.covariances[i * dd + 3] = (c as Float32Array)[i];
        }
      }
    }
    return out;
  } finally {
    disposeState(s);
    tf.dispose([xs, ...(ys ? [ys] : [])]);
  }
}
