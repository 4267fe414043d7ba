// The digit classifier used to measure class entropy of VAE samples: a small MLP trained on the
// real training digits by scripts/train-classifier.ts and shipped as public/data/classifier.json
// (manifest) + public/data/classifier.bin (weights). Inputs are pixels scaled to [0, 1].
//
// Weight file: for each layer in order, the kernel (inputs × units, row-major, so that
// y = x · kernel + bias) then the bias (units), little-endian, as float16 or float32 per the
// manifest's `dtype`.
import * as tf from '@tensorflow/tfjs';
import { fromFloat16Bits, toFloat16Bits } from '../../../core/float16';

export type Activation = 'relu' | 'linear';

export interface DenseWeights {
  inputs: number;
  units: number;
  activation: Activation;
  /** inputs × units, row-major. */
  kernel: Float32Array;
  bias: Float32Array;
}

export interface ClassifierWeights {
  layers: DenseWeights[];
}

export interface ClassifierManifest {
  format: 'collapse-lab-mlp';
  version: 1;
  dtype: 'float16' | 'float32';
  /** What the network expects. */
  input: { features: number; scale: string };
  layers: { inputs: number; units: number; activation: Activation }[];
  /** Free-form provenance (training settings, test accuracy). */
  meta?: Record<string, unknown>;
}

export interface Classifier {
  /** Predicted class (0–9) per row of `images` (n × 784, float in [0, 1]); int32. */
  classify(images: tf.Tensor2D): tf.Tensor1D;
  /** Unnormalised class scores, n × 10. */
  logits(images: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

// ----- (de)serialisation -----------------------------------------------------------------------

/** Builds the manifest and weight bytes for `weights` (used by scripts/train-classifier.ts). */
export function serializeClassifier(
  weights: ClassifierWeights,
  dtype: 'float16' | 'float32' = 'float16',
  meta?: Record<string, unknown>,
): { manifest: ClassifierManifest; bin: Uint8Array } {
  const total = weights.layers.reduce((s, l) => s + l.kernel.length + l.bias.length, 0);
  const width = dtype === 'float16' ? 2 : 4;
  const bin = new Uint8Array(total * width);
  const view = new DataView(bin.buffer);
  let o = 0;
  const put = (arr: Float32Array) => {
    for (const v of arr) {
      if (dtype === 'float16') view.setUint16(o, toFloat16Bits(v), true);
      else view.setFloat32(o, v, true);
      o += width;
    }
  };
  for (const l of weights.layers) {
    if (l.kernel.length !== l.inputs * l.units || l.bias.length !== l.units) {
      throw new Error('classifier: layer shape mismatch');
    }
    put(l.kernel);
    put(l.bias);
  }
  const manifest: ClassifierManifest = {
    format: 'collapse-lab-mlp',
    version: 1,
    dtype,
    input: { features: weights.layers[0].inputs, scale: 'pixel / 255, row-major 28x28' },
    layers: weights.layers.map(({ inputs, units, activation }) => ({ inputs, units, activation })),
    ...(meta ? { meta } : {}),
  };
  return { manifest, bin };
}

/** Reads classifier.json (object or text) and classifier.bin into float32 weights; validates. */
export function parseClassifier(
  json: unknown,
  bin: ArrayBuffer | ArrayBufferView,
): ClassifierWeights {
  const m = (typeof json === 'string' ? JSON.parse(json) : json) as ClassifierManifest;
  if (m?.format !== 'collapse-lab-mlp' || m.version !== 1) {
    throw new Error('classifier: not a collapse-lab-mlp v1 manifest');
  }
  if (m.dtype !== 'float16' && m.dtype !== 'float32') {
    throw new Error(`classifier: bad dtype ${String(m.dtype)}`);
  }
  if (!Array.isArray(m.layers) || m.layers.length === 0) throw new Error('classifier: no layers');
  const bytes =
    bin instanceof ArrayBuffer
      ? new Uint8Array(bin)
      : new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = m.dtype === 'float16' ? 2 : 4;
  let o = 0;
  const take = (n: number): Float32Array => {
    if (o + n * width > bytes.length) throw new Error('classifier: weight file too short');
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++, o += width) {
      out[i] = width === 2 ? fromFloat16Bits(view.getUint16(o, true)) : view.getFloat32(o, true);
    }
    return out;
  };
  let prev = m.layers[0].inputs;
  const layers: DenseWeights[] = m.layers.map((l) => {
    if (
      !Number.isInteger(l.inputs) ||
      !Number.isInteger(l.units) ||
      l.inputs !== prev ||
      l.units < 1 ||
      (l.activation !== 'relu' && l.activation !== 'linear')
    ) {
      throw new Error('classifier: bad layer description');
    }
    prev = l.units;
    const kernel = take(l.inputs * l.units);
    const bias = take(l.units);
    return { inputs: l.inputs, units: l.units, activation: l.activation, kernel, bias };
  });
  if (o !== bytes.length) throw new Error('classifier: weight file has trailing bytes');
  return { layers };
}

/** Builds the network on the active tfjs backend. `dispose()` frees its weight tensors. */
export function createClassifier(weights: ClassifierWeights): Classifier {
  const params = weights.layers.map((l) => ({
    kernel: tf.tensor2d(l.kernel, [l.inputs, l.units]),
    bias: tf.tensor1d(l.bias),
    activation: l.activation,
  }));
  let disposed = false;
  const logits = (images: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      if (disposed) throw new Error('classifier: used after dispose');
      let h: tf.Tensor2D = images;
      for (const p of params) {
        h = tf.add(tf.matMul(h, p.kernel), p.bias);
        if (p.activation === 'relu') h = tf.relu(h);
      }
      return h;
    });
  return {
    logits,
    classify: (images) => tf.tidy(() => tf.argMax(logits(images), 1) as tf.Tensor1D),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const p of params) {
        p.kernel.dispose();
        p.bias.dispose();
      }
    },
  };
}
