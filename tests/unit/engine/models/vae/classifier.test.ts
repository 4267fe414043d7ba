import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16Bits } from '../../../../../src/core/float16';
import {
  type Classifier,
  type ClassifierWeights,
  createClassifier,
  parseClassifier,
  serializeClassifier,
} from '../../../../../src/engine/models/vae/classifier';
import { mnistToFloat, parseMnist } from '../../../../../src/engine/models/vae/mnist';

const dataDir = join(__dirname, '..', '..', '..', '..', '..', 'public', 'data');
const read = (name: string) => readFileSync(join(dataDir, name));

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  expect(tf.getBackend()).toBe('wasm');
});

describe('float16', () => {
  it('round-trips exactly representable values and rounds others to nearest', () => {
    for (const v of [0, 1, -1, 0.5, 2048, 65504, -65504, 2 ** -14, 2 ** -24, 0.099975586]) {
      expect(fromFloat16Bits(toFloat16Bits(v))).toBe(Math.fround(v) === v ? v : Math.fround(v));
    }
    expect(fromFloat16Bits(toFloat16Bits(1 / 3))).toBeCloseTo(1 / 3, 3);
    expect(fromFloat16Bits(toFloat16Bits(1e6))).toBe(Number.POSITIVE_INFINITY);
    expect(fromFloat16Bits(toFloat16Bits(1e-9))).toBe(0);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
    // Relative error of float16 is at most 2^-11 in the normal range.
    for (let i = 0; i < 1000; i++) {
      const v = (Math.sin(i) * 100) / (1 + i);
      if (Math.abs(v) < 2 ** -14) continue;
      expect(Math.abs(fromFloat16Bits(toFloat16Bits(v)) - v) / Math.abs(v)).toBeLessThanOrEqual(
        2 ** -11,
      );
    }
  });
});

describe('classifier (de)serialisation', () => {
  const tiny: ClassifierWeights = {
    layers: [
      {
        inputs: 3,
        units: 2,
        activation: 'relu',
        kernel: new Float32Array([1, -1, 0.5, 2, -0.25, 0]),
        bias: new Float32Array([0.1, -0.2]),
      },
      {
        inputs: 2,
        units: 2,
        activation: 'linear',
        kernel: new Float32Array([1, 0, 0, 1]),
        bias: new Float32Array([0, 0.5]),
      },
    ],
  };

  it('round-trips float32 exactly and float16 closely', () => {
    for (const dtype of ['float32', 'float16'] as const) {
      const { manifest, bin } = serializeClassifier(tiny, dtype, { note: 'x' });
      expect(bin.length).toBe(14 * (dtype === 'float16' ? 2 : 4));
      const back = parseClassifier(JSON.stringify(manifest), bin);
      expect(back.layers.map((l) => [l.inputs, l.units, l.activation])).toEqual([
        [3, 2, 'relu'],
        [2, 2, 'linear'],
      ]);
      back.layers.forEach((l, i) => {
        for (const [j, v] of l.kernel.entries()) {
          expect(v).toBeCloseTo(tiny.layers[i].kernel[j], 3);
        }
        for (const [j, v] of l.bias.entries()) expect(v).toBeCloseTo(tiny.layers[i].bias[j], 3);
      });
    }
  });

  it('computes x · kernel + bias with ReLU between layers', async () => {
    const clf = createClassifier(tiny);
    const x = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const logits = clf.logits(x);
    // row 0: relu([1, -1] + [0.1, -0.2]) = [1.1, 0] -> + [0, 0.5] = [1.1, 0.5]
    // row 1: relu([-0.25, 0] + [0.1, -0.2]) = [0, 0] -> [0, 0.5]
    expect(Array.from(await logits.data()).map((v) => Number(v.toFixed(5)))).toEqual([
      1.1, 0.5, 0, 0.5,
    ]);
    const labels = clf.classify(x);
    expect(labels.dtype).toBe('int32');
    expect(Array.from(await labels.data())).toEqual([0, 1]);
    tf.dispose([x, logits, labels]);
    clf.dispose();
    clf.dispose(); // twice is harmless
  });

  it('rejects bad manifests and weight files', () => {
    const { manifest, bin } = serializeClassifier(tiny, 'float32');
    expect(() => parseClassifier({ ...manifest, format: 'other' }, bin)).toThrow();
    expect(() => parseClassifier({ ...manifest, dtype: 'int8' }, bin)).toThrow(/dtype/);
    expect(() => parseClassifier(manifest, bin.subarray(0, bin.length - 4))).toThrow(/short/);
    const longer = new Uint8Array(bin.length + 4);
    longer.set(bin);
    expect(() => parseClassifier(manifest, longer)).toThrow(/trailing/);
    const chained = {
      ...manifest,
      layers: [manifest.layers[0], { ...manifest.layers[1], inputs: 3 }],
    };
    expect(() => parseClassifier(chained, bin)).toThrow(/layer/);
  });
});

describe('shipped classifier', () => {
  const test = parseMnist(read('mnist-test.bin'));
  const manifestText = read('classifier.json').toString('utf8');
  const weights = parseClassifier(manifestText, read('classifier.bin'));
  let clf: Classifier;
  beforeAll(() => {
    clf = createClassifier(weights);
  });
  afterAll(() => clf.dispose());

  it('is a compact 784-128-10 MLP stored as float16', () => {
    const m = JSON.parse(manifestText);
    expect(m.dtype).toBe('float16');
    expect(weights.layers.map((l) => [l.inputs, l.units])).toEqual([
      [784, 128],
      [128, 10],
    ]);
    expect(read('classifier.bin').length).toBe((784 * 128 + 128 + 128 * 10 + 10) * 2);
  });

  it('reaches at least 95% accuracy on the 2,000 test digits without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(mnistToFloat(test), [test.count, 784]);
    const pred = clf.classify(x);
    const p = await pred.data();
    tf.dispose([x, pred]);
    expect(tf.memory().numTensors).toBe(before);
    let ok = 0;
    for (let i = 0; i < test.count; i++) if (p[i] === test.labels[i]) ok++;
    const accuracy = ok / test.count;
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    // The manifest records what the training script measured on the same weights.
    expect(JSON.parse(manifestText).meta.testAccuracy).toBeCloseTo(accuracy, 3);
  });
});
