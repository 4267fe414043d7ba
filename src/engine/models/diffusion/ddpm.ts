// A denoising diffusion model of 2-D points (Ho et al. 2020) trained with Adam on the active tfjs
// backend: an MLP ε̂(x_t, t) predicts the noise that the forward process added,
//   h₁ = ReLU(x_t W_x + e(t) W_e + b₁),  h₂ = ReLU(h₁ W₂ + b₂),  h₃ = ReLU(h₂ W₃ + b₃),
//   ε̂ = h₃ W₄ + b₄,
// with e(t) the sinusoidal embedding of the step (core/models/diffusion/schedule.ts), trained on
// the simple loss mean ‖ε − ε̂(√ᾱ_t x₀ + √(1 − ᾱ_t) ε, t)‖² with t uniform on 1…T. Samples run the
// whole reverse chain from x_T ~ N(0, λ I) (the predicted clean point clipped, schedule.ts), adding
// σ_t √λ z at each step: the temperature λ
// scales the sampler's noise variance (docs/architecture.md, "Temperature"; λ < 1: likelier
// points).
//
// Random numbers: every draw (initial weights, batch order, steps, noise, the sampler's z) comes
// from the app's generator (core/rng.ts) on the host and is uploaded; no tfjs op is seeded, so a
// seed gives the same model on a given backend. The forward process is computed on the host too
// (two multiply-adds per coordinate): the tensors of a step are the batch's x_t, e(t) and ε.
// Memory: the one variable and Adam's slots (freed by endTraining) are the only tensors that
// outlive a call; every step runs in tf.tidy.
//
// Why it is written this way (speed on wasm, where a tfjs op costs ~0.03–0.05 ms before any
// arithmetic and a 256 × 64 × 64 matMul ~0.16 ms, measured in Node): every parameter lives in ONE
// flat variable, so Adam's update is ~10 ops rather than ~10 per weight and bias (nine tensors:
// 90 ops, most of a step); the loss is one tf.customGrad op whose hand-written backward pass
// returns the flat gradient with a single concat and multiplies by explicitly transposed
// operands (a matMul with a transpose flag measured 2.5× slower than transpose + plain matMul).
// tests/unit/engine/models/diffusion/family.test.ts checks the hand-written gradient (tf.grad).
import * as tf from '@tensorflow/tfjs';
import {
  type DdpmSchedule,
  ddpmSchedule,
  EMBED,
  X0_CLIP,
} from '../../../core/models/diffusion/schedule';
import { createRng, type Rng, shuffle } from '../../../core/rng';

export interface DdpmConfig {
  /** Noise steps T. */
  steps: number;
  /** Units in each of the three hidden layers. */
  hiddenSize: number;
  learningRate: number;
  /** Seeds initialisation and training draws: the streams createRng(seed, DDPM_RNG.*). */
  seed: number;
}

export interface DdpmTrainOptions {
  /** Adam steps to take. */
  steps: number;
  batchSize: number;
  /**
   * Steps between loss read-backs and progress calls (the last step always reads); a function is
   * asked again after each read (the pace adapts as the step time is learnt).
   */
  progressEvery: number | (() => number);
  /** Called with the steps done and the latest batch's loss; training waits for it. */
  onProgress?: (step: number, loss: number) => void | Promise<void>;
}

/** The model's own streams: createRng(seed, purpose). */
export const DDPM_RNG = { init: 1, batches: 2 } as const;

/** Truncated (±2σ) normals, like tf.truncatedNormal, from the app's generator. */
function truncatedNormals(rng: Rng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = rng.normal();
    while (v < -2 || v > 2) v = rng.normal();
    out[i] = v * std;
  }
  return out;
}

/** Shapes of the parameters, in their order in the flat variable. */
function paramShapes(H: number): [number, number][] {
  return [
    [2, H], // wx
    [EMBED, H], // we
    [1, H], // b1
    [H, H], // w2
    [1, H], // b2
    [H, H], // w3
    [1, H], // b3
    [H, 2], // w4
    [1, 2], // b4
  ];
}

type Params = [
  wx: tf.Tensor2D,
  we: tf.Tensor2D,
  b1: tf.Tensor2D,
  w2: tf.Tensor2D,
  b2: tf.Tensor2D,
  w3: tf.Tensor2D,
  b3: tf.Tensor2D,
  w4: tf.Tensor2D,
  b4: tf.Tensor2D,
];

export class Ddpm {
  readonly schedule: DdpmSchedule;
  readonly hiddenSize: number;
  /** Number of parameters. */
  readonly size: number;
  private readonly theta: tf.Variable;
  private readonly shapes: [number, number][];
  private readonly optimizer: tf.AdamOptimizer;
  private readonly batchRng: Rng;
  private trainingEnded = false;
  private disposed = false;
  private static nextId = 0;

  /**
   * A fresh model from `config.seed`, or, given `weights` (from weights()), that trained model
   * rebuilt on the active backend (for sampling: its Adam state is not kept).
   */
  constructor(config: DdpmConfig, weights?: Float32Array) {
    const H = config.hiddenSize;
    if (!Number.isInteger(H) || H < 1 || H > 4096) throw new RangeError(`hiddenSize ${H}`);
    if (!(config.learningRate > 0)) throw new RangeError(`learningRate ${config.learningRate}`);
    this.schedule = ddpmSchedule(config.steps);
    this.hiddenSize = H;
    this.batchRng = createRng(config.seed, DDPM_RNG.batches);
    this.shapes = paramShapes(H);
    this.size = this.shapes.reduce((s, [a, b]) => s + a * b, 0);
    // He-normal weights for the layers into a ReLU, Glorot for the linear output; zero biases.
    // The first layer's fan-in is the point and the embedding together.
    const init = createRng(config.seed, DDPM_RNG.init);
    const he1 = Math.sqrt(2 / (2 + EMBED));
    const he = Math.sqrt(2 / H);
    const stds = [he1, he1, 0, he, 0, he, 0, Math.sqrt(2 / (H + 2)), 0];
    let flat: Float32Array = new Float32Array(this.size);
    if (weights) {
      if (weights.length !== this.size) throw new RangeError(`expected ${this.size} weights`);
      flat = weights;
    } else {
      let o = 0;
      this.shapes.forEach(([a, b], k) => {
        if (stds[k] > 0) flat.set(truncatedNormals(init, a * b, stds[k]), o);
        o += a * b;
      });
    }
    // (tf.variable does not own its initial value, hence the tidy.)
    this.theta = tf.tidy(() => tf.variable(tf.tensor1d(flat), true, `ddpm${Ddpm.nextId++}`));
    this.optimizer = tf.train.adam(config.learningRate);
  }

  private check(): void {
    if (this.disposed) throw new Error('Ddpm used after dispose()');
  }

  /** The parameters as views of θ (call inside tidy). */
  private params(theta: tf.Tensor): Params {
    const sizes = this.shapes.map(([a, b]) => a * b);
    const parts = tf.split(theta, sizes);
    return parts.map((p, k) => tf.reshape(p, this.shapes[k])) as Params;
  }

  /** Forward pass in rows (n × features); e may be 1 × EMBED for every row. Call inside tidy. */
  private forward(p: Params, x: tf.Tensor2D, e: tf.Tensor2D) {
    const [wx, we, b1, w2, b2, w3, b3, w4, b4] = p;
    const h1 = tf.relu(tf.add(tf.add(tf.matMul(x, wx), tf.matMul(e, we)), b1)) as tf.Tensor2D;
    const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2)) as tf.Tensor2D;
    const h3 = tf.relu(tf.add(tf.matMul(h2, w3), b3)) as tf.Tensor2D;
    const out = tf.add(tf.matMul(h3, w4), b4) as tf.Tensor2D;
    return { h1, h2, h3, out };
  }

  /** ε̂ for points x (n × 2) at embeddings e (n × EMBED, or 1 × EMBED for all); call in tidy. */
  private predict(x: tf.Tensor2D, e: tf.Tensor2D): tf.Tensor2D {
    return this.forward(this.params(this.theta), x, e).out;
  }

  /**
   * The simple loss, mean over the batch's 2B coordinates of (ε̂ − ε)², as one op of θ with a
   * hand-written gradient. With `withValue` false the value is a placeholder 0.
   */
  private lossOp(
    x: tf.Tensor2D,
    e: tf.Tensor2D,
    eps: tf.Tensor2D,
    theta: tf.Tensor,
    withValue: boolean,
  ): tf.Scalar {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [th, save] = args as [tf.Tensor, tf.GradSaveFunc];
      const p = this.params(th);
      const f = this.forward(p, x, e);
      const diff = tf.sub(f.out, eps);
      save([f.h1, f.h2, f.h3, diff, ...p]);
      const value = withValue ? (tf.mean(tf.square(diff)) as tf.Scalar) : tf.scalar(0);
      return {
        value,
        gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
          const [h1, h2, h3, d] = saved as tf.Tensor2D[];
          const [, , , w2, , w3, , w4] = saved.slice(4) as tf.Tensor2D[];
          const dOut = tf.mul(d, tf.div(tf.mul(dy, 2), d.size)) as tf.Tensor2D; // [B, 2]
          const dw4 = tf.matMul(tf.transpose(h3), dOut);
          const db4 = tf.sum(dOut, 0);
          const d3 = tf.mul(tf.matMul(dOut, tf.transpose(w4)), tf.step(h3)) as tf.Tensor2D;
          const dw3 = tf.matMul(tf.transpose(h2), d3);
          const db3 = tf.sum(d3, 0);
          const d2 = tf.mul(tf.matMul(d3, tf.transpose(w3)), tf.step(h2)) as tf.Tensor2D;
          const dw2 = tf.matMul(tf.transpose(h1), d2);
          const db2 = tf.sum(d2, 0);
          const d1 = tf.mul(tf.matMul(d2, tf.transpose(w2)), tf.step(h1)) as tf.Tensor2D;
          const dwx = tf.matMul(tf.transpose(x), d1);
          const dwe = tf.matMul(tf.transpose(e), d1);
          const db1 = tf.sum(d1, 0);
          const parts = [dwx, dwe, db1, dw2, db2, dw3, db3, dw4, db4];
          return tf.concat(parts.map((g) => tf.reshape(g, [-1])));
        },
      };
    });
    return op(theta) as tf.Scalar;
  }

  /**
   * For tests: the loss and its gradient on (x, e, ε) from the hand-written backward pass and
   * from tfjs autodiff of the plain formula. The caller disposes the results.
   */
  gradientCheck(
    x: tf.Tensor2D,
    e: tf.Tensor2D,
    eps: tf.Tensor2D,
  ): { custom: [tf.Scalar, tf.Tensor]; autodiff: [tf.Scalar, tf.Tensor] } {
    this.check();
    const th = this.theta as tf.Tensor;
    const c = tf.valueAndGrad((t: tf.Tensor) => this.lossOp(x, e, eps, t, true))(th);
    const a = tf.valueAndGrad(
      (t: tf.Tensor) =>
        tf.mean(tf.squaredDifference(this.forward(this.params(t), x, e).out, eps)) as tf.Scalar,
    )(th);
    return { custom: [c.value, c.grad], autodiff: [a.value, a.grad] };
  }

  /**
   * Takes `options.steps` Adam steps on the n points `data` (n × 2, row-major; already in the
   * model's units). Each epoch visits the points in a fresh random order in batches of
   * min(batchSize, n) (a last partial batch is dropped); each point gets its own t and ε.
   * Returns the loss of the last batch.
   */
  async train(data: Float32Array, n: number, options: DdpmTrainOptions): Promise<number> {
    this.check();
    if (this.trainingEnded) throw new Error('Ddpm trained after endTraining()');
    const B = Math.max(1, Math.min(Math.floor(options.batchSize), n));
    const everyOf = () => {
      const e = options.progressEvery;
      return Math.max(1, Math.floor(typeof e === 'function' ? e() : e));
    };
    let nextRead = everyOf();
    const perEpoch = Math.floor(n / B);
    const { signal, noise, embedding, steps: T } = this.schedule;
    const rng = this.batchRng;
    const perm = new Int32Array(n);
    const xt = new Float32Array(B * 2);
    const eps = new Float32Array(B * 2);
    const emb = new Float32Array(B * EMBED);
    let loss = Number.NaN;
    let b = perEpoch;
    for (let step = 1; step <= options.steps; step++) {
      if (b === perEpoch) {
        for (let i = 0; i < n; i++) perm[i] = i;
        shuffle(perm, rng);
        b = 0;
      }
      for (let r = 0; r < B; r++) {
        const row = perm[b * B + r];
        const i = rng.int(T);
        const e0 = rng.normal();
        const e1 = rng.normal();
        eps[2 * r] = e0;
        eps[2 * r + 1] = e1;
        xt[2 * r] = signal[i] * data[2 * row] + noise[i] * e0;
        xt[2 * r + 1] = signal[i] * data[2 * row + 1] + noise[i] * e1;
        emb.set(embedding.subarray(i * EMBED, (i + 1) * EMBED), r * EMBED);
      }
      b++;
      const read = step === nextRead || step === options.steps;
      const cost = tf.tidy(() => {
        const x = tf.tensor2d(xt, [B, 2]);
        const e = tf.tensor2d(emb, [B, EMBED]);
        const target = tf.tensor2d(eps, [B, 2]);
        const c = this.optimizer.minimize(() => this.lossOp(x, e, target, this.theta, read), read, [
          this.theta,
        ]);
        return c ?? undefined;
      });
      if (cost) {
        loss = (await cost.data())[0];
        cost.dispose();
        if (options.onProgress) await options.onProgress(step, loss);
        nextRead = step + everyOf();
      }
    }
    return loss;
  }

  /**
   * The simple loss (mean squared noise error per coordinate) on the n points `data` at the
   * fixed draws of `rng` (one t and ε per point, t uniform on 1…maxStep, default T), without
   * training: for tests and curation. Writes each point's error into `perPoint` when given.
   */
  async loss(
    data: Float32Array,
    n: number,
    rng: Rng,
    perPoint?: Float64Array,
    maxStep = this.schedule.steps,
  ): Promise<number> {
    this.check();
    const { signal, noise, embedding } = this.schedule;
    const T = Math.max(1, Math.min(this.schedule.steps, Math.floor(maxStep)));
    const xt = new Float32Array(n * 2);
    const eps = new Float32Array(n * 2);
    const emb = new Float32Array(n * EMBED);
    for (let r = 0; r < n; r++) {
      const i = rng.int(T);
      const e0 = rng.normal();
      const e1 = rng.normal();
      eps[2 * r] = e0;
      eps[2 * r + 1] = e1;
      xt[2 * r] = signal[i] * data[2 * r] + noise[i] * e0;
      xt[2 * r + 1] = signal[i] * data[2 * r + 1] + noise[i] * e1;
      emb.set(embedding.subarray(i * EMBED, (i + 1) * EMBED), r * EMBED);
    }
    const err = tf.tidy(() =>
      tf.mean(
        tf.squaredDifference(
          this.predict(tf.tensor2d(xt, [n, 2]), tf.tensor2d(emb, [n, EMBED])),
          tf.tensor2d(eps, [n, 2]),
        ),
        1,
      ),
    );
    try {
      const v = (await err.data()) as Float32Array;
      let sum = 0;
      for (let r = 0; r < n; r++) {
        sum += v[r];
        if (perPoint) perPoint[r] = v[r];
      }
      return sum / n;
    } finally {
      err.dispose();
    }
  }

  /**
   * n points (n × 2, the model's units) from the full reverse chain at temperature λ: x_T and
   * every step's noise scaled by √λ. The noise comes from `rng`, drawn step by step.
   */
  async sample(n: number, rng: Rng, temperature: number): Promise<Float32Array> {
    this.check();
    const {
      steps: T,
      x0FromXt,
      x0FromEps,
      meanFromX0,
      meanFromXt,
      sigma,
      embedding,
    } = this.schedule;
    const scale = Math.sqrt(temperature);
    const z = new Float32Array(n * 2);
    const draw = (s: number) => {
      for (let i = 0; i < z.length; i++) z[i] = rng.normal() * s;
      return tf.tensor2d(z, [n, 2]);
    };
    // The parameters' views, made once for the whole chain.
    const p = tf.tidy(() => this.params(this.theta));
    let x = draw(scale);
    try {
      for (let i = T - 1; i >= 0; i--) {
        const next = tf.tidy(() => {
          const e = tf.tensor2d(embedding.subarray(i * EMBED, (i + 1) * EMBED), [1, EMBED]);
          const eps = this.forward(p, x, e).out;
          const x0 = tf.clipByValue(
            tf.sub(tf.mul(x, x0FromXt[i]), tf.mul(eps, x0FromEps[i])),
            -X0_CLIP,
            X0_CLIP,
          );
          const mean = tf.add(tf.mul(x0, meanFromX0[i]), tf.mul(x, meanFromXt[i]));
          return (i > 0 ? tf.add(mean, draw(sigma[i] * scale)) : mean) as tf.Tensor2D;
        });
        x.dispose();
        x = next;
      }
      return (await x.data()) as Float32Array;
    } finally {
      x.dispose();
      tf.dispose(p);
    }
  }

  /** A host copy of every parameter (what `new Ddpm(config, weights)` rebuilds from). */
  async weights(): Promise<Float32Array> {
    this.check();
    return ((await this.theta.data()) as Float32Array).slice();
  }

  /** Frees Adam's state once training is over; the model still samples. */
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
    this.theta.dispose();
  }
}
