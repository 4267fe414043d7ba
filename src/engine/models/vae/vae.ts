// A small MLP variational autoencoder for 28×28 digits, trained with Adam on the active tfjs
// backend (Kingma & Welling 2014):
//   encoder  x (784) -> ReLU(hidden) -> (mu, logvar) (latent each)
//   decoder  z (latent) -> ReLU(hidden) -> 784 logits, p(x|z) = Bernoulli(sigmoid(logits))
// Pixels are floats in [0, 1]; the reconstruction term is the binary cross-entropy
// sum_j softplus(l_j) - x_j l_j (stable for any logit), the usual choice for MNIST.
//
// Why it is written this way (speed; measured with scripts/bench-vae-step.ts):
// - The training loss is ONE tf.customGrad op with a hand-written backward pass. On the wasm
//   backend only a matMul without transpose flags takes XNNPACK's fast path (a transposed
//   operand measured 10-15x slower), and the right-hand operand is repacked on every call, so
//   weights sit on the left: activations are kept transposed, features × batch, and every
//   matMul is W [out, in] · A [in, batch] or an untransposed product with a small right-hand
//   side. Autodiff of the textbook graph uses transposed matMuls and ~2x more ops.
//   tests/unit/engine/models/vae/vae.test.ts checks the hand-written gradients against tf.grad.
// - Eight tf.variables form Adam's fixed varList. (One flat variable would save Adam ops, but
//   slicing it is slow on wasm: its Slice kernel first copies the whole source tensor.)
// - One optimizer.minimize per step, inside tf.tidy. The loss value is computed and read back
//   (await data()) only every `progressEvery` steps; other steps skip it (the gradient does not
//   need it, and softplus is slow on wasm).
// - On cpu/wasm, batches are assembled in JS from a host copy of the data, in both layouts
//   (wasm's gather is slow); on GPU backends by tf.gather + tf.transpose.
// Random numbers: every draw (initial weights, batch order, reparameterisation noise, samples)
// comes from the app's one generator (core/rng.ts), drawn on the host and uploaded as a tensor;
// no tfjs op is seeded. One seed gives the same model on a given backend.
import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../../core/rng';

export const VAE_INPUT = 784;

export interface VaeConfig {
  /** Latent dimensions (the app uses 2–16). */
  latentSize: number;
  /** Hidden units in the encoder and in the decoder. */
  hiddenSize: number;
  /** Adam step size. */
  learningRate: number;
  /**
   * Seeds initialisation, batch order, reparameterisation noise and sampling: the streams
   * createRng(seed, VAE_RNG.*).
   */
  seed: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /**
   * Called every `progressEvery` steps and after the last step with the number of steps done in
   * this call, the planned total and the mean loss (negative ELBO per digit, nats) of the latest
   * batch. If it returns a promise, training waits for it: a worker can yield to its event loop
   * there (`await new Promise((r) => setTimeout(r, 0))`) so that cancel messages get through.
   */
  onProgress?: (step: number, totalSteps: number, loss: number) => void | Promise<void>;
  /** Checked every `progressEvery` steps; true stops training early. */
  shouldStop?: () => boolean;
  /** Steps between loss read-backs, progress calls and stop checks (default 25). */
  progressEvery?: number;
  /**
   * The same data as a host array (cpu and wasm assemble batches from it), to spare reading the
   * tensor back on every call.
   */
  host?: Float32Array;
}

export interface TrainSummary {
  /** Steps done in this call. */
  steps: number;
  totalSteps: number;
  stopped: boolean;
  /** Loss of the last batch read back (NaN if none was). */
  loss: number;
}

/** The model's own streams: createRng(seed, purpose). */
export const VAE_RNG = { init: 1, shuffle: 2, noise: 3, sample: 4 } as const;

/**
 * Seed of the fixed noise of `Vae.elbo` (streams createRng(ELBO_NOISE_SEED, chunk)): the same
 * noise for every model and call, so that the estimate is a deterministic function of the model.
 */
const ELBO_NOISE_SEED = 7919;

/** `n` standard normals from `rng`, times `scale`. */
export function normals(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

/** `n` draws of N(0, std²) truncated at two standard deviations (redrawn beyond), like tf.truncatedNormal. */
function truncatedNormals(rng: Rng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = rng.normal();
    while (v < -2 || v > 2) v = rng.normal();
    out[i] = v * std;
  }
  return out;
}

const PARAM_NAMES = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3', 'w4', 'b4'] as const;

/** Weights as [out, in], biases as [out, 1] columns. */
interface Params {
  w1: tf.Tensor2D; // [H, 784]
  b1: tf.Tensor2D; // [H, 1]
  w2: tf.Tensor2D; // [2L, H]  rows 0..L-1: mu, rows L..2L-1: logvar
  b2: tf.Tensor2D; // [2L, 1]
  w3: tf.Tensor2D; // [H, L]
  b3: tf.Tensor2D; // [H, 1]
  w4: tf.Tensor2D; // [784, H]
  b4: tf.Tensor2D; // [784, 1]
}

function asParams(list: readonly tf.Tensor[]): Params {
  const [w1, b1, w2, b2, w3, b3, w4, b4] = list as tf.Tensor2D[];
  return { w1, b1, w2, b2, w3, b3, w4, b4 };
}

/** Forward pass in the transposed layout (features × batch). */
function forwardT(p: Params, xT: tf.Tensor2D, epsT: tf.Tensor2D, L: number) {
  const h1T = tf.relu(tf.add(tf.matMul(p.w1, xT), p.b1)) as tf.Tensor2D;
  const eT = tf.add(tf.matMul(p.w2, h1T), p.b2) as tf.Tensor2D;
  const [muT, lvT] = tf.split(eT, [L, L], 0) as [tf.Tensor2D, tf.Tensor2D];
  const sT = tf.exp(tf.mul(lvT, 0.5)) as tf.Tensor2D;
  const zT = tf.add(muT, tf.mul(sT, epsT)) as tf.Tensor2D;
  const h2T = tf.relu(tf.add(tf.matMul(p.w3, zT), p.b3)) as tf.Tensor2D;
  const lT = tf.add(tf.matMul(p.w4, h2T), p.b4) as tf.Tensor2D;
  return { h1T, muT, lvT, sT, zT, h2T, lT };
}

/** Sum over the batch of the negative ELBO from the forward pass's tensors (any layout). */
function negElboSum(
  x: tf.Tensor,
  mu: tf.Tensor,
  logvar: tf.Tensor,
  s: tf.Tensor,
  logits: tf.Tensor,
): tf.Scalar {
  // -log p(x|z) = sum softplus(l) - x l ;  KL(q || N(0, I)) = 0.5 sum (s^2 + mu^2 - 1 - logvar)
  const recon = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)));
  const kl = tf.mul(
    tf.sub(tf.sum(tf.sub(tf.add(tf.square(s), tf.square(mu)), logvar)), mu.size),
    0.5,
  );
  return tf.add(recon, kl) as tf.Scalar;
}

export class Vae {
  readonly latentSize: number;
  readonly hiddenSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** Number of parameters. */
  readonly size: number;
  /** w1, b1, w2, b2, w3, b3, w4, b4: the optimizer's fixed varList. */
  private readonly vars: tf.Variable[];
  private readonly p: Params;
  private readonly optimizer: tf.AdamOptimizer;
  private readonly shuffleRng: Rng;
  private readonly noiseRng: Rng;
  private readonly sampleRng: Rng;
  private stepsDone = 0;
  private disposed = false;
  private trainingEnded = false;
  private static nextId = 0;

  constructor(config: VaeConfig) {
    const { latentSize: L, hiddenSize: H, learningRate, seed } = config;
    if (!Number.isInteger(L) || L < 1 || L > 64) throw new RangeError(`latentSize ${L}`);
    if (!Number.isInteger(H) || H < 1 || H > 4096) throw new RangeError(`hiddenSize ${H}`);
    if (!(learningRate > 0)) throw new RangeError(`learningRate ${learningRate}`);
    this.latentSize = L;
    this.hiddenSize = H;
    this.learningRate = learningRate;
    this.seed = seed;
    const D = VAE_INPUT;
    this.shuffleRng = createRng(seed, VAE_RNG.shuffle);
    this.noiseRng = createRng(seed, VAE_RNG.noise);
    this.sampleRng = createRng(seed, VAE_RNG.sample);
    const initRng = createRng(seed, VAE_RNG.init);
    const id = Vae.nextId++;
    // Truncated He-normal for layers followed by ReLU, Glorot-normal for the linear output
    // layers; biases zero. tf.variable does not own its initial value, hence the tidy.
    this.vars = tf.tidy(() => {
      const normal = (out: number, fanIn: number, std: number) =>
        tf.tensor2d(truncatedNormals(initRng, out * fanIn, std), [out, fanIn]);
      const he = (out: number, fanIn: number) => normal(out, fanIn, Math.sqrt(2 / fanIn));
      const glorot = (out: number, fanIn: number) =>
        normal(out, fanIn, Math.sqrt(2 / (out + fanIn)));
      const init = [
        he(H, D),
        tf.zeros([H, 1]),
        glorot(2 * L, H),
        tf.zeros([2 * L, 1]),
        he(H, L),
        tf.zeros([H, 1]),
        glorot(D, H),
        tf.zeros([D, 1]),
      ];
      return init.map((t, i) => tf.variable(t, true, `vae${id}_${PARAM_NAMES[i]}`));
    });
    this.p = asParams(this.vars);
    this.size = this.vars.reduce((s, v) => s + v.size, 0);
    this.optimizer = tf.train.adam(learningRate);
  }

  private check(): void {
    if (this.disposed) throw new Error('Vae used after dispose()');
  }

  /**
   * Mean negative ELBO of the batch as one custom-gradient op of the eight parameters, with the
   * hand-written backward pass below. `x` is the batch (B × 784), `xT` its transpose, `epsT` the
   * reparameterisation noise (L × B). With `withValue` false the returned scalar is a
   * placeholder 0: the gradient does not depend on the value.
   */
  private lossOp(
    x: tf.Tensor2D,
    xT: tf.Tensor2D,
    epsT: tf.Tensor2D,
    withValue: boolean,
  ): tf.Scalar {
    const n = x.shape[0];
    const L = this.latentSize;
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const save = args[8] as tf.GradSaveFunc;
      const p = asParams(args.slice(0, 8) as tf.Tensor[]);
      const f = forwardT(p, xT, epsT, L);
      save([f.h1T, f.muT, f.sT, f.zT, f.h2T, f.lT]);
      const value = withValue
        ? (tf.div(negElboSum(xT, f.muT, f.lvT, f.sT, f.lT), n) as tf.Scalar)
        : tf.scalar(0);
      return {
        value,
        gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
          const [h1T, muT, sT, zT, h2T, lT] = saved as tf.Tensor2D[];
          const c = tf.div(dy, n); // d loss / d (batch sum)
          const dlT = tf.mul(tf.sub(tf.sigmoid(lT), xT), c); // [784, B]
          const dw4 = tf.matMul(dlT, tf.transpose(h2T));
          const db4 = tf.sum(dlT, 1, true);
          const da2T = tf.mul(tf.matMul(tf.transpose(p.w4), dlT), tf.step(h2T)); // [H, B]
          const dw3 = tf.matMul(da2T, tf.transpose(zT));
          const db3 = tf.sum(da2T, 1, true);
          const dzT = tf.matMul(tf.transpose(p.w3), da2T); // [L, B]
          const dmuT = tf.add(dzT, tf.mul(muT, c));
          // d/dlogvar through z = mu + s eps (s = exp(logvar / 2)) and through the KL term.
          const dlvT = tf.mul(
            tf.add(tf.mul(tf.mul(dzT, epsT), sT), tf.mul(tf.sub(tf.square(sT), 1), c)),
            0.5,
          );
          const deT = tf.concat([dmuT, dlvT], 0); // [2L, B]
          const dw2 = tf.matMul(deT, tf.transpose(h1T));
          const db2 = tf.sum(deT, 1, true);
          const da1T = tf.mul(tf.matMul(tf.transpose(p.w2), deT), tf.step(h1T)); // [H, B]
          const dw1 = tf.matMul(da1T, x);
          const db1 = tf.sum(da1T, 1, true);
          return [dw1, db1, dw2, db2, dw3, db3, dw4, db4];
        },
      };
    });
    return op(...this.vars) as tf.Scalar;
  }

  /**
   * For tests: the mean negative ELBO of batch `x` (B × 784) with noise `eps` (B × latent) and
   * its gradients (order w1, b1, w2, b2, w3, b3, w4, b4), once from the hand-written backward
   * pass and once from tfjs autodiff of the plain formula. The caller disposes the results.
   */
  gradientCheck(
    x: tf.Tensor2D,
    eps: tf.Tensor2D,
  ): {
    custom: { loss: tf.Scalar; grads: tf.Tensor[] };
    autodiff: { loss: tf.Scalar; grads: tf.Tensor[] };
  } {
    this.check();
    const names = this.vars.map((v) => v.name);
    const L = this.latentSize;
    const [xT, epsT] = tf.tidy(() => [tf.transpose(x), tf.transpose(eps)]) as tf.Tensor2D[];
    const custom = tf.variableGrads(() => this.lossOp(x, xT, epsT, true), this.vars);
    const autodiff = tf.variableGrads(() => {
      const p = this.p;
      const h1 = tf.relu(tf.add(tf.matMul(x, p.w1, false, true), tf.reshape(p.b1, [-1])));
      const e = tf.add(tf.matMul(h1, p.w2, false, true), tf.reshape(p.b2, [-1]));
      const mu = tf.slice(e, [0, 0], [-1, L]);
      const lv = tf.slice(e, [0, L], [-1, L]);
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps));
      const h2 = tf.relu(tf.add(tf.matMul(z, p.w3, false, true), tf.reshape(p.b3, [-1])));
      const l = tf.add(tf.matMul(h2, p.w4, false, true), tf.reshape(p.b4, [-1]));
      const recon = tf.sum(tf.sub(tf.softplus(l), tf.mul(x, l)));
      const kl = tf.mul(tf.sum(tf.sub(tf.sub(tf.add(tf.exp(lv), tf.square(mu)), 1), lv)), 0.5);
      return tf.div(tf.add(recon, kl), x.shape[0]) as tf.Scalar;
    }, this.vars);
    tf.dispose([xT, epsT]);
    return {
      custom: { loss: custom.value, grads: names.map((k) => custom.grads[k]) },
      autodiff: { loss: autodiff.value, grads: names.map((k) => autodiff.grads[k]) },
    };
  }

  /**
   * Trains on `data` (n × 784, float32 in [0, 1]) for `epochs` passes in shuffled mini-batches
   * (the last partial batch of each epoch is dropped; if n < batchSize, one batch of n).
   * Adam's state carries over between calls. Before the first step the decoder's output bias
   * is set to the logit of the mean pixel (a standard data-dependent initialisation).
   */
  async trainEpochs(data: tf.Tensor2D, options: TrainOptions): Promise<TrainSummary> {
    this.check();
    if (this.trainingEnded) throw new Error('Vae trained after endTraining()');
    const n = data.shape[0];
    if (data.shape[1] !== VAE_INPUT) throw new Error(`expected n × 784 data, got ${data.shape}`);
    const epochs = Math.max(0, Math.floor(options.epochs));
    const batch = Math.max(1, Math.min(Math.floor(options.batchSize), n));
    const every = Math.max(1, Math.floor(options.progressEvery ?? 25));
    const perEpoch = n === 0 ? 0 : Math.floor(n / batch);
    const totalSteps = epochs * perEpoch;
    if (totalSteps === 0) return { steps: 0, totalSteps, stopped: false, loss: Number.NaN };
    if (this.stepsDone === 0) this.initOutputBias(data);
    const backend = tf.getBackend();
    const host =
      backend === 'wasm' || backend === 'cpu'
        ? (options.host ?? ((await data.data()) as Float32Array))
        : null;
    const perm = new Int32Array(n);
    let step = 0;
    let loss = Number.NaN;
    let stopped = false;
    outer: for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = 0; i < n; i++) perm[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = this.shuffleRng.int(i + 1);
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      for (let b = 0; b < perEpoch; b++) {
        step++;
        const read = step % every === 0 || step === totalSteps;
        const rows = perm.subarray(b * batch, (b + 1) * batch);
        const cost = this.step(data, host, rows, read);
        if (cost) {
          loss = (await cost.data())[0];
          cost.dispose();
          if (options.onProgress) await options.onProgress(step, totalSteps, loss);
          if (options.shouldStop?.()) {
            stopped = step < totalSteps;
            break outer;
          }
        }
      }
    }
    return { steps: step, totalSteps, stopped, loss };
  }

  /** One Adam step on `rows` of the data; returns the loss tensor only if `read`. */
  private step(
    data: tf.Tensor2D,
    host: Float32Array | null,
    rows: Int32Array,
    read: boolean,
  ): tf.Scalar | null {
    const D = VAE_INPUT;
    const m = rows.length;
    const eps = normals(this.noiseRng, this.latentSize * m);
    let xs: Float32Array | null = null;
    let xsT: Float32Array | null = null;
    if (host) {
      xs = new Float32Array(m * D);
      xsT = new Float32Array(m * D);
      for (let r = 0; r < m; r++) {
        const o = rows[r] * D;
        xs.set(host.subarray(o, o + D), r * D);
        for (let j = 0; j < D; j++) xsT[j * m + r] = host[o + j];
      }
    }
    const cost = tf.tidy(() => {
      let x: tf.Tensor2D;
      let xT: tf.Tensor2D;
      if (xs && xsT) {
        x = tf.tensor2d(xs, [m, D]);
        xT = tf.tensor2d(xsT, [D, m]);
      } else {
        x = tf.gather(data, tf.tensor1d(rows, 'int32')) as tf.Tensor2D;
        xT = tf.transpose(x);
      }
      const epsT = tf.tensor2d(eps, [this.latentSize, m]);
      const c = this.optimizer.minimize(() => this.lossOp(x, xT, epsT, read), read, this.vars);
      return c ?? undefined;
    });
    this.stepsDone++;
    return cost ?? null;
  }

  /** Sets the decoder's output bias to the logit of each pixel's mean over `data`. */
  private initOutputBias(data: tf.Tensor2D): void {
    tf.tidy(() => {
      const m = tf.clipByValue(tf.mean(data, 0), 1e-3, 1 - 1e-3);
      this.vars[7].assign(tf.reshape(tf.sub(tf.log(m), tf.log1p(tf.neg(m))), [VAE_INPUT, 1]));
    });
  }

  /**
   * Row-layout encoder (n × 784 -> mu, logvar: n × L each); call inside tidy. (Not
   * tf.fused.matMul: the wasm kernel rejects a bias reshaped from [H, 1], as it checks the
   * shape the data was created with.)
   */
  private encodeRows(x: tf.Tensor2D) {
    const p = this.p;
    const h1 = tf.relu(tf.add(tf.matMul(x, tf.transpose(p.w1)), tf.transpose(p.b1)));
    const e = tf.add(tf.matMul(h1, tf.transpose(p.w2)), tf.transpose(p.b2)) as tf.Tensor2D;
    const L = this.latentSize;
    const [mu, logvar] = tf.split(e, [L, L], 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mu, logvar };
  }

  /** Row-layout decoder logits (n × L -> n × 784); call inside tidy. */
  private decodeLogitsRows(z: tf.Tensor2D): tf.Tensor2D {
    const p = this.p;
    const h2 = tf.relu(tf.add(tf.matMul(z, tf.transpose(p.w3)), tf.transpose(p.b3)));
    return tf.add(tf.matMul(h2, tf.transpose(p.w4)), tf.transpose(p.b4)) as tf.Tensor2D;
  }

  /**
   * `n` new digits (n × 784 in [0, 1]): z ~ N(0, temperature² I), i.e. `temperature` multiplies
   * the prior's standard deviation; then the decoder's output.
   * - `mode: 'mean'` (default) returns the decoder means sigmoid(logits): grey-level images like
   *   the real data. These are what the next generation trains on: Bernoulli pixel noise would
   *   dominate the distance and classifier metrics and teach the next model salt-and-pepper
   *   noise rather than digits.
   * - `mode: 'bernoulli'` returns binary images drawn pixel by pixel from Bernoulli(mean).
   * The noise is drawn on the host from `rng` (default: the model's own sample stream).
   */
  sample(
    n: number,
    temperature = 1,
    mode: 'mean' | 'bernoulli' = 'mean',
    rng: Rng = this.sampleRng,
  ): tf.Tensor2D {
    this.check();
    const z = normals(rng, n * this.latentSize, temperature);
    let u: Float32Array | null = null;
    if (mode === 'bernoulli') {
      u = new Float32Array(n * VAE_INPUT);
      for (let i = 0; i < u.length; i++) u[i] = rng.uniform();
    }
    return tf.tidy(() => {
      const zt = tf.tensor2d(z, [n, this.latentSize]);
      const mean = tf.sigmoid(this.decodeLogitsRows(zt)) as tf.Tensor2D;
      if (!u) return mean;
      return tf.cast(tf.less(tf.tensor2d(u, [n, VAE_INPUT]), mean), 'float32') as tf.Tensor2D;
    });
  }

  /** Decoder means for latent codes `z` (m × latent) -> m × 784. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    this.check();
    return tf.tidy(() => tf.sigmoid(this.decodeLogitsRows(z)) as tf.Tensor2D);
  }

  /** Encoder means mu(x), n × latent. */
  encodeMeans(x: tf.Tensor2D): tf.Tensor2D {
    this.check();
    return tf.tidy(() => this.encodeRows(x).mu);
  }

  /**
   * Mean ELBO per digit of `x` (n × 784) in nats (higher is better; a negative number): a
   * single-sample reparameterised estimate with fixed noise seeds, so that repeated calls on the
   * same model and data agree exactly. Evaluated in chunks of `chunk` rows.
   */
  async elbo(x: tf.Tensor2D, chunk = 2048): Promise<number> {
    this.check();
    const n = x.shape[0];
    if (n === 0) return Number.NaN;
    const total = tf.tidy(() => {
      let sum: tf.Tensor = tf.scalar(0);
      for (let start = 0, k = 0; start < n; start += chunk, k++) {
        const m = Math.min(chunk, n - start);
        const xb = m === n ? x : (tf.slice(x, [start, 0], [m, VAE_INPUT]) as tf.Tensor2D);
        const { mu, logvar } = this.encodeRows(xb);
        const s = tf.exp(tf.mul(logvar, 0.5));
        const eps = tf.tensor2d(normals(createRng(ELBO_NOISE_SEED, k), m * this.latentSize), [
          m,
          this.latentSize,
        ]);
        const logits = this.decodeLogitsRows(tf.add(mu, tf.mul(s, eps)) as tf.Tensor2D);
        sum = tf.add(sum, negElboSum(xb, mu, logvar, s, logits));
      }
      return sum;
    });
    const v = (await total.data())[0];
    total.dispose();
    return -v / n;
  }

  /**
   * Frees Adam's state (two tensors per parameter) once training is over; the model still
   * samples, encodes and scores. Training again afterwards throws.
   */
  endTraining(): void {
    if (this.trainingEnded) return;
    this.trainingEnded = true;
    this.optimizer.dispose();
  }

  /** Frees the parameters and the optimizer's state. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.endTraining();
    for (const v of this.vars) v.dispose();
  }
}
