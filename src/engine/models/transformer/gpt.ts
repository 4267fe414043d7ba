// A small GPT-style decoder-only language model in tfjs, in the manner of nanoGPT:
//   token embedding + learned position embedding
//   nLayer × pre-LayerNorm block: x += attn(LN(x)); x += MLP(LN(x))
//     attn: causal multi-head self-attention (q, k, v and output projections)
//     MLP:  d -> 4d -> d with ReLU
//   final LayerNorm, output projection tied to the token embedding (logits = h · wteᵀ)
// Linear layers have no bias (as nanoGPT's bias=False); LayerNorms have gain and bias.
// The class owns every tf.Variable it makes (weights and Adam's moments) and frees them in
// dispose(). Every method that makes tensors runs in tf.tidy or disposes them itself, so no tensor
// outlives a call except the model's variables.
//
// Why it is written this way (speed on the wasm backend, where the app trains):
// - ReLU, not GELU: wasm's Tanh (and Exp, Pow) kernels are scalar and measured 30-70x slower
//   than Relu on the MLP's activations, about 10 ms per layer and step at 16×64 tokens.
// - No biases in linear layers: a bias gradient is a sum over the batch axis, which wasm does
//   slowly (3-4 ms per bias at 1024×512).
// - The loss is one custom op: softmax (fast on wasm) and the cross-entropy gradient p − onehot,
//   where tf.logSoftmax's Exp took ~25 ms per step over 1024×2048 logits.
// - Every matrix product goes through `mm`, a matMul with a hand-written gradient that transposes
//   explicitly: on wasm only a matMul without transpose flags takes XNNPACK's fast path (see
//   engine/vae.ts), and autodiff of matMul uses the flags for both gradients.
// - The embedding lookup is a gather whose gradient is a scatterND (sums rows of repeated ids):
//   tfjs's own gather gradient needs UnsortedSegmentSum, which the wasm backend lacks, and a
//   one-hot product would cost as much as the output projection.
// - Attention's batched products (one matrix pair per sequence and head) stay BatchMatMuls, the
//   slowest part per multiply-add (~1 GMAC/s on wasm); they cost B·T²·d per product, so context
//   length and width, not the number of heads, set their price.
// - Adam is written out here (moments as the model's own variables) rather than tf.train.adam, so
//   the learning rate can change per step (warm-up, decay) and the whole training state can be
//   saved and resumed (pretraining checkpoints).
// Measured in Node, wasm (SIMD, one thread), 2-core machine, one training step at 16×64 tokens,
// vocabulary 1024: 3 layers × 96 wide ~310 ms, 2 × 128 ~380 ms, 3 × 128 ~520 ms, 4 × 128 ~620 ms.
// Random numbers: initial weights, batch order and sampling all come from the app's generator
// (core/rng.ts), drawn on the host; no tfjs random op is used.
import * as tf from '@tensorflow/tfjs';
import {
  readWeightFile,
  type WeightHeader,
  writeWeightFile,
} from '../../../core/models/transformer/weightFile';
import { createRng, type Rng, shuffle } from '../../../core/rng';

export interface GptConfig {
  vocabSize: number;
  /** Context length: the most positions the model sees (prompt + generated tokens). */
  blockSize: number;
  nLayer: number;
  nHead: number;
  /** Width of the residual stream; a multiple of nHead. */
  nEmbd: number;
}

export interface TrainStepOptions {
  learningRate: number;
  /** Gradients are scaled down so their global L2 norm is at most this (0: no clipping). */
  clipNorm?: number;
  /** Read the batch's loss back to the host (a sync); otherwise the step returns NaN. */
  readLoss?: boolean;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  clipNorm?: number;
  /** Batch order: createRng(seed, ...rngPath). */
  seed: number;
  rngPath?: number[];
  /** Called after each epoch with its mean loss (nats per token). */
  onEpoch?: (epoch: number, loss: number) => void | Promise<void>;
}

export interface SampleOptions {
  /** New tokens per passage. prompt length + maxNewTokens must not exceed blockSize. */
  maxNewTokens: number;
  /** 0 is greedy (argmax). Default 1. Ignored by beam search. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or undefined: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (1: all). */
  topP?: number;
  /** More than 1: beam search (deterministic) with this many beams per passage. */
  numBeams?: number;
  /**
   * As Hugging Face's `repetition_penalty`: a token already in the passage (prompt included)
   * has its logit divided by this if positive, multiplied if negative. 1: off.
   */
  repetitionPenalty?: number;
  /** Sampling draws come from createRng(seed, ...rngPath). */
  seed: number;
  rngPath?: number[];
}

/** Parameter names in a fixed order: the order of the weight file and of Adam's moments. */
function parameterShapes(c: GptConfig): [string, number[]][] {
  const d = c.nEmbd;
  const out: [string, number[]][] = [
    ['wte', [c.vocabSize, d]],
    ['wpe', [c.blockSize, d]],
  ];
  for (let l = 0; l < c.nLayer; l++) {
    out.push(
      [`h${l}.ln1.g`, [d]],
      [`h${l}.ln1.b`, [d]],
      // Three products rather than one fused [d, 3d]: splitting the fused result copies it
      // (wasm's SplitV measured ~13 ms per layer and step).
      [`h${l}.attn.wq`, [d, d]],
      [`h${l}.attn.wk`, [d, d]],
      [`h${l}.attn.wv`, [d, d]],
      [`h${l}.attn.wo`, [d, d]],
      [`h${l}.ln2.g`, [d]],
      [`h${l}.ln2.b`, [d]],
      [`h${l}.mlp.w1`, [d, 4 * d]],
      [`h${l}.mlp.w2`, [4 * d, d]],
    );
  }
  out.push(['lnf.g', [d]], ['lnf.b', [d]]);
  return out;
}

/** Number of weights of a configuration. */
export function parameterCount(c: GptConfig): number {
  return parameterShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}

function checkConfig(c: GptConfig): void {
  for (const k of ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1)
      throw new Error(`GptConfig.${k} must be a positive integer`);
  }
  if (c.nEmbd % c.nHead !== 0) throw new Error('GptConfig.nEmbd must be a multiple of nHead');
}

/** The last two axes swapped, as a real copy (so the product that uses it has no flags). */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/**
 * a · b without transpose flags. Batched (rank-3) products stay one BatchMatMul: on wasm it takes
 * a slow generic loop (~1 GMAC/s against ~13 for 2-D products), but splitting the batch into 2-D
 * products measured slower still, as wasm's SplitV copies the whole source once per piece.
 */
function product(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
}

/** a · b (rank 2, or rank 3 batched) whose gradients are also products without transpose flags. */
const mm = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: product(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [product(dy, swapLast(sb)), product(swapLast(sa), dy)];
    },
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** Rows `ids` of `table`; the gradient adds each row's upstream gradient into its id's row. */
function embed(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
    // Saved so the ids outlive the forward pass (variableGrads frees the forward's tensors).
    save([ids]);
    return {
      value: tf.gather(t, ids),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.scatterND(tf.expandDims(saved[0], 1), dy, t.shape),
    };
  }) as (t: tf.Tensor) => tf.Tensor;
  return f(table) as tf.Tensor2D;
}

function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
}

/**
 * Mean cross-entropy of logits [N, V] against one-hot targets [N, V], with the gradient written
 * out: (softmax − onehot) / N.
 */
const crossEntropy = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, onehot, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const p = tf.softmax(logits);
  save([p, onehot]);
  const n = logits.shape[0] as number;
  // Floor at the smallest normal float so a (float32) zero probability gives a large finite loss.
  const picked = tf.maximum(tf.sum(tf.mul(p, onehot), 1), 1e-38);
  return {
    value: tf.div(tf.neg(tf.sum(tf.log(picked))), n),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sp, so] = saved;
      return [tf.mul(tf.sub(sp, so), tf.div(dy, n)), tf.zerosLike(so)];
    },
  };
}) as (logits: tf.Tensor, onehot: tf.Tensor) => tf.Scalar;

/** Per layer: keys and values of the positions so far, [B·H, t, headSize] each. */
interface LayerCache {
  k: tf.Tensor3D;
  v: tf.Tensor3D;
}

const ADAM = { beta1: 0.9, beta2: 0.99, epsilon: 1e-8 };

export class Gpt {
  readonly config: GptConfig;
  /** Weights by name, in parameterShapes order. */
  private readonly params: Map<string, tf.Variable>;
  /** Adam's first and second moments, made on the first training step. */
  private moments: { m: tf.Variable[]; v: tf.Variable[] } | null = null;
  /** Adam steps taken (for bias correction). */
  private adamStep = 0;
  private disposed = false;

  private constructor(config: GptConfig, values: Map<string, Float32Array>) {
    checkConfig(config);
    this.config = { ...config };
    this.params = new Map();
    for (const [name, shape] of parameterShapes(config)) {
      const v = values.get(name);
      if (!v) throw new Error(`missing weights ${name}`);
      this.params.set(name, variableOf(v, shape, true));
    }
  }

  /**
   * A fresh model: weights ~ N(0, 0.02²) (residual output projections ~ N(0, (0.02/√(2·nLayer))²),
   * as GPT-2), biases 0, LayerNorm gains 1; draws from createRng(seed, ...rngPath).
   */
  static init(config: GptConfig, seed: number, rngPath: number[] = []): Gpt {
    checkConfig(config);
    const rng = createRng(seed, ...rngPath);
    const values = new Map<string, Float32Array>();
    for (const [name, shape] of parameterShapes(config)) {
      const n = shape.reduce((a, b) => a * b, 1);
      const a = new Float32Array(n);
      if (name.endsWith('.g')) a.fill(1);
      else if (shape.length === 2) {
        const std = /attn\.wo|mlp\.w2/.test(name) ? 0.02 / Math.sqrt(2 * config.nLayer) : 0.02;
        for (let i = 0; i < n; i++) a[i] = rng.normal() * std;
      }
      values.set(name, a);
    }
    return new Gpt(config, values);
  }

  /** Builds a model from named host arrays (the weight file's reader uses this). */
  static fromArrays(config: GptConfig, values: Map<string, Float32Array>): Gpt {
    return new Gpt(config, values);
  }

  /**
   * A model from a weight file (core/models/transformer/weightFile.ts). `tokenizerHash` is the
   * loaded tokeniser's hash: a file trained with another tokeniser is refused.
   */
  static fromWeights(buf: ArrayBuffer, tokenizerHash: string): Gpt {
    const { header, values } = readWeightFile(buf, tokenizerHash);
    return Gpt.fromValues(header, values);
  }

  /**
   * A model from a weight file's sizes and its values in file order (already read and checked:
   * the app keeps them on the host and starts each fine-tuning from a fresh upload).
   */
  static fromValues(header: Omit<WeightHeader, 'tokenizerHash'>, values: Float32Array): Gpt {
    const config: GptConfig = {
      vocabSize: header.vocabSize,
      blockSize: header.blockSize,
      nLayer: header.nLayer,
      nHead: header.nHead,
      nEmbd: header.nEmbd,
    };
    checkConfig(config);
    if (values.length !== parameterCount(config)) {
      throw new Error(
        `transformer weights: ${values.length} values, the config needs ${parameterCount(config)}`,
      );
    }
    const named = new Map<string, Float32Array>();
    let at = 0;
    for (const [name, shape] of parameterShapes(config)) {
      const n = shape.reduce((x, y) => x * y, 1);
      named.set(name, values.subarray(at, at + n));
      at += n;
    }
    return new Gpt(config, named);
  }

  /** The weight file (float16) of this model, recording the tokeniser it was trained with. */
  async toWeights(tokenizerHash: string): Promise<ArrayBuffer> {
    const arrays = await this.toArrays();
    const all = new Float32Array(this.parameterCount);
    let at = 0;
    for (const a of arrays.values()) {
      all.set(a, at);
      at += a.length;
    }
    return writeWeightFile({ ...this.config, tokenizerHash }, all);
  }

  /** The weights as host arrays, by name in file order. */
  async toArrays(): Promise<Map<string, Float32Array>> {
    this.check();
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.params) out.set(name, (await v.data()) as Float32Array);
    return out;
  }

  /** Parameter names in file order. */
  parameterNames(): string[] {
    return [...this.params.keys()];
  }

  get parameterCount(): number {
    return parameterCount(this.config);
  }

  private p(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  private check(): void {
    if (this.disposed) throw new Error('this Gpt has been disposed');
  }

  /** Ids as an int32 [B, T] tensor, checked against the vocabulary and the context. */
  private idsTensor(ids: ArrayLike<number>, batch: number, seqLen: number): tf.Tensor1D {
    if (ids.length !== batch * seqLen)
      throw new Error(`expected ${batch}×${seqLen} ids, got ${ids.length}`);
    if (seqLen > this.config.blockSize) {
      throw new Error(
        `sequence of ${seqLen} tokens is longer than the context (${this.config.blockSize})`,
      );
    }
    const a = Int32Array.from(ids as ArrayLike<number>);
    for (const id of a) {
      if (!(id >= 0 && id < this.config.vocabSize))
        throw new Error(`token id ${id} outside the vocabulary`);
    }
    return tf.tensor1d(a, 'int32');
  }

  /**
   * Final hidden states [B·T, d] of B sequences of T tokens starting at position `start`. With
   * `caches`, the keys and values of every layer are appended to them (incremental decoding:
   * the new positions attend to the cached ones and to the causal part of themselves).
   */
  private hidden(
    ids: tf.Tensor1D,
    batch: number,
    seqLen: number,
    start = 0,
    caches?: LayerCache[],
  ): tf.Tensor2D {
    const { nEmbd: d, nHead: H } = this.config;
    const hs = d / H;
    const T = seqLen;
    const tok = embed(this.p('wte') as tf.Tensor2D, ids); // [B·T, d]
    const pos = tf.slice(this.p('wpe'), [start, 0], [T, d]); // [T, d]
    let x = tf.reshape(tf.add(tf.reshape(tok, [batch, T, d]), pos), [batch * T, d]) as tf.Tensor2D;
    const past = start;
    // Causal mask over [T new, past + T] keys: new position i sees keys up to past + i.
    const maskData = new Float32Array(T * (past + T));
    for (let i = 0; i < T; i++)
      for (let j = past + i + 1; j < past + T; j++) maskData[i * (past + T) + j] = -1e9;
    const mask = tf.tensor2d(maskData, [T, past + T]);
    const heads = (t: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(t, [batch, T, H, hs]), [0, 2, 1, 3]), [batch * H, T, hs]);
    for (let l = 0; l < this.config.nLayer; l++) {
      const p = (n: string) => this.p(`h${l}.${n}`);
      const h = layerNorm(x, p('ln1.g'), p('ln1.b'));
      const q = heads(mm(h, p('attn.wq')));
      let k = heads(mm(h, p('attn.wk'))) as tf.Tensor3D;
      let v = heads(mm(h, p('attn.wv'))) as tf.Tensor3D;
      if (caches) {
        if (past > 0) {
          k = tf.concat([caches[l].k, k], 1);
          v = tf.concat([caches[l].v, v], 1);
        }
        caches[l] = { k, v };
      }
      const att = tf.softmax(tf.add(tf.mul(mm(q, swapLast(k)), 1 / Math.sqrt(hs)), mask));
      const y = mm(att, v); // [B·H, T, hs]
      const merged = tf.reshape(tf.transpose(tf.reshape(y, [batch, H, T, hs]), [0, 2, 1, 3]), [
        batch * T,
        d,
      ]);
      x = tf.add(x, mm(merged, p('attn.wo')));
      const h2 = layerNorm(x, p('ln2.g'), p('ln2.b'));
      x = tf.add(x, mm(tf.relu(mm(h2, p('mlp.w1'))), p('mlp.w2')));
    }
    return layerNorm(x, this.p('lnf.g'), this.p('lnf.b'));
  }

  /** Logits [B·T, V] from final hidden states (output projection tied to wte). */
  private logitsOf(h: tf.Tensor2D): tf.Tensor2D {
    return mm(h, swapLast(this.p('wte'))) as tf.Tensor2D;
  }

  /** Logits [B, T, V] of `batch` sequences of `seqLen` tokens (ids row-major). */
  forward(ids: ArrayLike<number>, batch: number, seqLen: number): tf.Tensor3D {
    this.check();
    return tf.tidy(() => {
      const t = this.idsTensor(ids, batch, seqLen);
      return tf.reshape(this.logitsOf(this.hidden(t, batch, seqLen)), [
        batch,
        seqLen,
        this.config.vocabSize,
      ]);
    });
  }

  /** Mean cross-entropy (nats per token) as a scalar tensor, inside the caller's tidy. */
  private lossTensor(
    ids: ArrayLike<number>,
    targets: ArrayLike<number>,
    batch: number,
    seqLen: number,
  ): tf.Scalar {
    const t = this.idsTensor(ids, batch, seqLen);
    const y = this.idsTensor(targets, batch, seqLen);
    const logits = this.logitsOf(this.hidden(t, batch, seqLen));
    return crossEntropy(logits, tf.oneHot(y, this.config.vocabSize));
  }

  /**
   * Per sequence, the summed log-probability (nats) of its tokens from position `from` on, each
   * predicted from the tokens before it: `batch` sequences of `seqLen` tokens, row-major. (The
   * app scores a passage's continuation after its prompt: `from` is the prompt's length.)
   */
  async sequenceLogProbs(
    ids: ArrayLike<number>,
    batch: number,
    seqLen: number,
    from: number,
  ): Promise<Float64Array> {
    this.check();
    if (!(from >= 1 && from < seqLen)) throw new Error(`from (${from}) must be in [1, ${seqLen})`);
    const T = seqLen - 1;
    const inputs: number[] = [];
    const targets: number[] = [];
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < T; t++) {
        inputs.push(ids[b * seqLen + t]);
        targets.push(ids[b * seqLen + t + 1]);
      }
    }
    const mask = new Float32Array(batch * T);
    for (let b = 0; b < batch; b++) for (let t = from - 1; t < T; t++) mask[b * T + t] = 1;
    const sums = tf.tidy(() => {
      const x = this.idsTensor(inputs, batch, T);
      const y = this.idsTensor(targets, batch, T);
      const p = tf.softmax(this.logitsOf(this.hidden(x, batch, T)));
      const picked = tf.maximum(tf.sum(tf.mul(p, tf.oneHot(y, this.config.vocabSize)), 1), 1e-38);
      const logp = tf.mul(tf.log(picked), tf.tensor1d(mask));
      return tf.sum(tf.reshape(logp, [batch, T]), 1);
    });
    const v = (await sums.data()) as Float32Array;
    sums.dispose();
    return Float64Array.from(v);
  }

  /** Mean cross-entropy (nats per token) of predicting `targets` from `ids`, both [B, T]. */
  async loss(
    ids: ArrayLike<number>,
    targets: ArrayLike<number>,
    batch: number,
    seqLen: number,
  ): Promise<number> {
    this.check();
    const l = tf.tidy(() => this.lossTensor(ids, targets, batch, seqLen));
    const v = (await l.data())[0];
    l.dispose();
    return v;
  }

  /**
   * Summed cross-entropy (nats) of every token of `tokens` but the first, each predicted from up
   * to blockSize − 1 tokens before it: the text is cut into windows of blockSize tokens that
   * overlap by one (the last token of one window is the first, unpredicted, of the next), so each
   * token is scored once. Windows are batched `batch` at a time.
   */
  async textLoss(
    tokens: ArrayLike<number>,
    batch = 16,
  ): Promise<{ nats: number; predicted: number }> {
    this.check();
    const T = this.config.blockSize;
    let nats = 0;
    let predicted = 0;
    const starts: number[] = [];
    for (let s = 0; s + 1 < tokens.length; s += T - 1) starts.push(s);
    for (let i = 0; i < starts.length; i += batch) {
      // Windows of equal length in one batch: full windows together, the short last one alone.
      const group = starts.slice(i, i + batch).filter((s) => s + T < tokens.length);
      const last = starts.slice(i, i + batch).filter((s) => s + T >= tokens.length);
      for (const g of [group, ...last.map((s) => [s])]) {
        if (g.length === 0) continue;
        const len = Math.min(T, tokens.length - 1 - g[0]);
        const ids: number[] = [];
        const tg: number[] = [];
        for (const s of g)
          for (let j = 0; j < len; j++) {
            ids.push(tokens[s + j]);
            tg.push(tokens[s + j + 1]);
          }
        nats += (await this.loss(ids, tg, g.length, len)) * g.length * len;
        predicted += g.length * len;
      }
    }
    return { nats, predicted };
  }

  /** Gradients of the mean loss by parameter name, as host arrays (for checks and tests). */
  async gradients(
    ids: ArrayLike<number>,
    targets: ArrayLike<number>,
    batch: number,
    seqLen: number,
  ): Promise<Map<string, Float32Array>> {
    this.check();
    const vars = [...this.params.values()];
    const grads = tf.tidy(
      () => tf.variableGrads(() => this.lossTensor(ids, targets, batch, seqLen), vars).grads,
    );
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.params)
      out.set(name, (await grads[v.name].data()) as Float32Array);
    tf.dispose(Object.values(grads));
    return out;
  }

  /**
   * One Adam step on a batch (ids and targets [B, T], targets usually ids shifted by one).
   * Returns the batch's mean loss before the step when readLoss is set, else NaN.
   */
  async trainStep(
    ids: ArrayLike<number>,
    targets: ArrayLike<number>,
    batch: number,
    seqLen: number,
    opts: TrainStepOptions,
  ): Promise<number> {
    this.check();
    const vars = [...this.params.values()];
    if (!this.moments) {
      this.moments = {
        m: vars.map((x) => variableOf(new Float32Array(x.size), x.shape, false)),
        v: vars.map((x) => variableOf(new Float32Array(x.size), x.shape, false)),
      };
    }
    const { m, v: s } = this.moments;
    this.adamStep++;
    const step = this.adamStep;
    const lossT = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => this.lossTensor(ids, targets, batch, seqLen),
        vars,
      );
      let scale: tf.Scalar | null = null;
      if (opts.clipNorm && opts.clipNorm > 0) {
        const sq = tf.addN(vars.map((x) => tf.sum(tf.square(grads[x.name]))));
        scale = tf.minimum(1, tf.div(opts.clipNorm, tf.add(tf.sqrt(sq), 1e-12))) as tf.Scalar;
      }
      const lrT =
        (opts.learningRate * Math.sqrt(1 - ADAM.beta2 ** step)) / (1 - ADAM.beta1 ** step);
      vars.forEach((x, i) => {
        const g = scale ? tf.mul(grads[x.name], scale) : grads[x.name];
        m[i].assign(tf.add(tf.mul(m[i], ADAM.beta1), tf.mul(g, 1 - ADAM.beta1)));
        s[i].assign(tf.add(tf.mul(s[i], ADAM.beta2), tf.mul(tf.square(g), 1 - ADAM.beta2)));
        x.assign(tf.sub(x, tf.mul(tf.div(m[i], tf.add(tf.sqrt(s[i]), ADAM.epsilon)), lrT)));
      });
      return value;
    });
    let out = Number.NaN;
    if (opts.readLoss) out = (await lossT.data())[0];
    lossT.dispose();
    return out;
  }

  /**
   * Trains on `sequences` (each of length T + 1: inputs are the first T tokens, targets the last
   * T) for `epochs` passes in a shuffled order, `batchSize` sequences per step (the last batch of
   * an epoch may be smaller). Returns each epoch's mean loss (of the batches before their step).
   */
  async fit(sequences: readonly ArrayLike<number>[], opts: FitOptions): Promise<number[]> {
    this.check();
    if (sequences.length === 0) return [];
    const T = sequences[0].length - 1;
    if (sequences.some((q) => q.length !== T + 1))
      throw new Error('fit: all sequences must have the same length');
    const rng = createRng(opts.seed, ...(opts.rngPath ?? []));
    const order = sequences.map((_, i) => i);
    const losses: number[] = [];
    for (let e = 0; e < opts.epochs; e++) {
      shuffle(order, rng);
      let sum = 0;
      let n = 0;
      for (let b = 0; b < order.length; b += opts.batchSize) {
        const idx = order.slice(b, b + opts.batchSize);
        const ids: number[] = [];
        const tg: number[] = [];
        for (const i of idx) {
          const q = sequences[i];
          for (let j = 0; j < T; j++) {
            ids.push(q[j]);
            tg.push(q[j + 1]);
          }
        }
        const l = await this.trainStep(ids, tg, idx.length, T, {
          learningRate: opts.learningRate,
          clipNorm: opts.clipNorm ?? 1,
          readLoss: true,
        });
        sum += l * idx.length;
        n += idx.length;
      }
      losses.push(sum / n);
      await opts.onEpoch?.(e, sum / n);
    }
    return losses;
  }

  /**
   * Runs `ids` ([batch, seqLen], row-major) from position `start` through the model, appending to
   * `caches` (emptied and refilled: the old tensors are disposed), and returns the host logits
   * [batch, V] of each row's last position.
   */
  private async extend(
    ids: number[],
    batch: number,
    seqLen: number,
    start: number,
    caches: LayerCache[],
  ): Promise<Float32Array> {
    const L = this.config.nLayer;
    const out = tf.tidy(() => {
      const t = this.idsTensor(ids, batch, seqLen);
      const next = caches.slice();
      const h = this.hidden(t, batch, seqLen, start, next);
      const last = tf.reshape(
        tf.slice(tf.reshape(h, [batch, seqLen, -1]), [0, seqLen - 1, 0], [batch, 1, -1]),
        [batch, -1],
      );
      return [this.logitsOf(last as tf.Tensor2D), ...next.map((c) => c.k), ...next.map((c) => c.v)];
    });
    for (const c of caches) tf.dispose([c.k, c.v]);
    for (let l = 0; l < L; l++)
      caches[l] = { k: out[1 + l] as tf.Tensor3D, v: out[1 + L + l] as tf.Tensor3D };
    const logits = (await out[0].data()) as Float32Array;
    out[0].dispose();
    return logits;
  }

  /**
   * Teacher-forced incremental decoding, for checking the cache: runs the first `promptLen` tokens
   * of each sequence at once, then the rest one position at a time through the KV cache, and
   * returns the host logits [batch, V] after each of positions promptLen − 1 … T − 1.
   */
  async cachedLogits(
    seqs: readonly (readonly number[])[],
    promptLen: number,
  ): Promise<Float32Array[]> {
    this.check();
    const B = seqs.length;
    const T = seqs[0].length;
    if (seqs.some((q) => q.length !== T)) throw new Error('cachedLogits: sequences of one length');
    if (!(promptLen >= 1 && promptLen <= T))
      throw new Error('cachedLogits: 1 <= promptLen <= length');
    const caches: LayerCache[] = [];
    try {
      const out = [
        await this.extend(
          seqs.flatMap((q) => q.slice(0, promptLen)),
          B,
          promptLen,
          0,
          caches,
        ),
      ];
      for (let t = promptLen; t < T; t++) {
        out.push(
          await this.extend(
            seqs.map((q) => q[t]),
            B,
            1,
            t,
            caches,
          ),
        );
      }
      return out;
    } finally {
      for (const c of caches) tf.dispose([c.k, c.v]);
    }
  }

  /** Keeps the cache rows of the passages `rows` (beam search's reordering). */
  private reorder(caches: LayerCache[], rows: number[]): void {
    const H = this.config.nHead;
    const idx = rows.flatMap((r) => Array.from({ length: H }, (_, h) => r * H + h));
    for (let l = 0; l < caches.length; l++) {
      const old = caches[l];
      const ix = tf.tensor1d(idx, 'int32');
      caches[l] = { k: tf.gather(old.k, ix), v: tf.gather(old.v, ix) };
      tf.dispose([ix, old.k, old.v]);
    }
  }

  /**
   * New tokens for each prompt (token ids; all prompts the same length, at least one token).
   * Decoding is incremental: the prompts run through the model once, then each new token is one
   * forward of one position per passage (all passages together) against the cached keys and
   * values. The context is blockSize tokens, prompt and new tokens together: a prompt longer than
   * blockSize − maxNewTokens is cut from the LEFT (its last tokens are kept).
   * Sampling: logits (with the repetition penalty) / temperature, then top-k, then top-p, then
   * one uniform draw per token from createRng(seed, ...rngPath) in passage order; temperature 0
   * is greedy. Beam search (numBeams > 1) is deterministic; as in Hugging Face's beam search the
   * repetition penalty there applies to log-probabilities, and each passage's best beam is kept.
   */
  async generate(
    prompts: readonly (readonly number[])[],
    opts: SampleOptions,
  ): Promise<number[][]> {
    this.check();
    const { blockSize } = this.config;
    const n = opts.maxNewTokens;
    if (!Number.isInteger(n) || n < 0)
      throw new Error('maxNewTokens must be a non-negative integer');
    if (n >= blockSize)
      throw new Error(
        `maxNewTokens (${n}) must be below the context (${blockSize}): one prompt token at least is needed`,
      );
    if (prompts.length === 0) return [];
    const len = prompts[0].length;
    if (len === 0) throw new Error('a prompt needs at least one token');
    if (prompts.some((p) => p.length !== len))
      throw new Error('all prompts must have the same number of tokens');
    if (n === 0) return prompts.map(() => []);
    const keep = Math.min(len, blockSize - n);
    const cut = prompts.map((p) => p.slice(len - keep));
    const beams = opts.numBeams ?? 1;
    if (!Number.isInteger(beams) || beams < 1)
      throw new Error('numBeams must be a positive integer');
    return beams > 1
      ? this.beamSearch(cut, n, beams, opts.repetitionPenalty ?? 1)
      : this.sample(cut, n, opts);
  }

  private async sample(prompts: number[][], n: number, opts: SampleOptions): Promise<number[][]> {
    const V = this.config.vocabSize;
    const B = prompts.length;
    const P = prompts[0].length;
    const rng = createRng(opts.seed, ...(opts.rngPath ?? []));
    const seqs = prompts.map((p) => p.slice());
    const caches: LayerCache[] = [];
    try {
      let logits = await this.extend(seqs.flat(), B, P, 0, caches);
      const out: number[][] = prompts.map(() => []);
      for (let i = 0; i < n; i++) {
        const next: number[] = [];
        for (let b = 0; b < B; b++) {
          const row = logits.slice(b * V, (b + 1) * V);
          penalise(row, seqs[b], opts.repetitionPenalty ?? 1);
          const t = pick(row, opts, rng);
          next.push(t);
          seqs[b].push(t);
          out[b].push(t);
        }
        if (i + 1 < n) logits = await this.extend(next, B, 1, P + i, caches);
      }
      return out;
    } finally {
      for (const c of caches) tf.dispose([c.k, c.v]);
    }
  }

  private async beamSearch(
    prompts: number[][],
    n: number,
    nb: number,
    penalty: number,
  ): Promise<number[][]> {
    const V = this.config.vocabSize;
    const B = prompts.length;
    const P = prompts[0].length;
    // Row b * nb + j is beam j of passage b. All beams start as the prompt; only beam 0 may be
    // extended at the first step (the others would repeat it).
    let seqs = prompts.flatMap((p) => Array.from({ length: nb }, () => p.slice()));
    let scores = seqs.map((_, r) => (r % nb === 0 ? 0 : Number.NEGATIVE_INFINITY));
    const caches: LayerCache[] = [];
    try {
      let logits = await this.extend(seqs.flat(), B * nb, P, 0, caches);
      for (let i = 0; i < n; i++) {
        const cand: { score: number; row: number; token: number }[] = [];
        const nextSeqs: number[][] = [];
        const nextScores: number[] = [];
        const rows: number[] = [];
        const tokens: number[] = [];
        for (let b = 0; b < B; b++) {
          cand.length = 0;
          for (let j = 0; j < nb; j++) {
            const r = b * nb + j;
            if (scores[r] === Number.NEGATIVE_INFINITY) continue;
            const lp = logSoftmax(logits.subarray(r * V, (r + 1) * V));
            penalise(lp, seqs[r], penalty);
            // Keep this beam's nb best tokens: no more can make the passage's top nb.
            for (const t of topIndices(lp, nb))
              cand.push({ score: scores[r] + lp[t], row: r, token: t });
          }
          // Best first; ties to the lower row, then the lower token id.
          cand.sort((x, y) => y.score - x.score || x.row - y.row || x.token - y.token);
          for (let j = 0; j < nb; j++) {
            const c = cand[j];
            rows.push(c.row);
            tokens.push(c.token);
            nextSeqs.push([...seqs[c.row], c.token]);
            nextScores.push(c.score);
          }
        }
        seqs = nextSeqs;
        scores = nextScores;
        if (i + 1 < n) {
          this.reorder(caches, rows);
          logits = await this.extend(tokens, B * nb, 1, P + i, caches);
        }
      }
      // Beams are sorted best first: beam 0 of each passage is its best.
      return prompts.map((_, b) => seqs[b * nb].slice(P));
    } finally {
      for (const c of caches) tf.dispose([c.k, c.v]);
    }
  }

  /** Adam's state (moments in parameter order, step count), for checkpoints. */
  async optimizerState(): Promise<{ step: number; m: Float32Array[]; v: Float32Array[] } | null> {
    if (!this.moments) return null;
    return {
      step: this.adamStep,
      m: await Promise.all(this.moments.m.map(async (x) => (await x.data()) as Float32Array)),
      v: await Promise.all(this.moments.v.map(async (x) => (await x.data()) as Float32Array)),
    };
  }

  setOptimizerState(state: { step: number; m: Float32Array[]; v: Float32Array[] }): void {
    this.check();
    this.resetOptimizer();
    const vars = [...this.params.values()];
    this.moments = {
      m: vars.map((x, i) => variableOf(state.m[i], x.shape, false)),
      v: vars.map((x, i) => variableOf(state.v[i], x.shape, false)),
    };
    this.adamStep = state.step;
  }

  /** Forgets Adam's state (a fine-tune starts afresh from the same weights). */
  resetOptimizer(): void {
    if (this.moments) {
      for (const x of [...this.moments.m, ...this.moments.v]) x.dispose();
    }
    this.moments = null;
    this.adamStep = 0;
  }

  /** Frees every variable. */
  dispose(): void {
    if (this.disposed) return;
    this.resetOptimizer();
    for (const v of this.params.values()) v.dispose();
    this.disposed = true;
  }
}

/**
 * Hugging Face's repetition penalty, in place: each distinct token of `seq` has its score divided
 * by `penalty` if positive, multiplied if negative (log-probabilities are all ≤ 0: multiplied).
 */
export function penalise(row: Float32Array, seq: readonly number[], penalty: number): void {
  if (penalty === 1) return;
  for (const t of new Set(seq)) row[t] = row[t] > 0 ? row[t] / penalty : row[t] * penalty;
}

function logSoftmax(row: Float32Array): Float32Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of row) if (v > max) max = v;
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  const lse = max + Math.log(sum);
  return row.map((v) => v - lse);
}

/** Indices of the k largest values, largest first (ties to the lower index). */
function topIndices(row: Float32Array, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (out.length === k && row[i] <= row[out[k - 1]]) continue;
    let at = out.length < k ? out.length : k - 1;
    out[at] = i;
    while (at > 0 && row[out[at - 1]] < row[i]) {
      out[at] = out[at - 1];
      out[at - 1] = i;
      at--;
    }
  }
  return out;
}

/** One token from (penalised) logits: greedy at temperature 0, else temperature, top-k, top-p. */
function pick(row: Float32Array, opts: SampleOptions, rng: Rng): number {
  const temperature = opts.temperature ?? 1;
  if (temperature === 0) return topIndices(row, 1)[0];
  const topK = opts.topK ?? 0;
  const topP = opts.topP ?? 1;
  // Candidates: every id, or the top k (largest first), cut to the top-p nucleus.
  let ids: number[];
  if (topK > 0 && topK < row.length) ids = topIndices(row, topK);
  else if (topP < 1) ids = topIndices(row, row.length);
  else ids = Array.from(row.keys());
  let max = Number.NEGATIVE_INFINITY;
  for (const i of ids) if (row[i] > max) max = row[i];
  let w = ids.map((i) => Math.exp((row[i] - max) / temperature));
  if (topP < 1) {
    // ids are sorted largest first here: keep the smallest prefix with mass ≥ topP.
    const total = w.reduce((a, b) => a + b, 0);
    let acc = 0;
    let cut = 0;
    while (cut < w.length) {
      acc += w[cut++];
      if (acc >= topP * total) break;
    }
    ids = ids.slice(0, cut);
    w = w.slice(0, cut);
  }
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.uniform() * total;
  for (let j = 0; j < ids.length; j++) {
    u -= w[j];
    if (u < 0) return ids[j];
  }
  return ids[ids.length - 1];
}

/** A variable holding `values` (the temporary tensor it is made from is freed at once). */
function variableOf(values: Float32Array, shape: number[], trainable: boolean): tf.Variable {
  const t = tf.tensor(values, shape, 'float32');
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}
