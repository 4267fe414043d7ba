import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../../../src/core/rng';
import {
  type Classifier,
  createClassifier,
  parseClassifier,
} from '../../../../../src/engine/models/vae/classifier';
import {
  entropyBits,
  meanPairwiseDistance,
  vaeMetrics,
} from '../../../../../src/engine/models/vae/metrics';
import { mnistToFloat, parseMnist } from '../../../../../src/engine/models/vae/mnist';
import { normals, Vae } from '../../../../../src/engine/models/vae/vae';

const dataDir = join(__dirname, '..', '..', '..', '..', '..', 'public', 'data');
const read = (name: string) => readFileSync(join(dataDir, name));
const train = parseMnist(read('mnist-train.bin'));
const test = parseMnist(read('mnist-test.bin'));

let classifier: Classifier;
let testX: tf.Tensor2D; // 500 real test digits
const realX = (n: number) => tf.tensor2d(mnistToFloat(train, 0, n), [n, 784]);

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  expect(tf.getBackend()).toBe('wasm');
  classifier = createClassifier(
    parseClassifier(read('classifier.json').toString('utf8'), read('classifier.bin')),
  );
  testX = tf.tensor2d(mnistToFloat(test, 0, 500), [500, 784]);
});

afterAll(() => {
  classifier.dispose();
  testX.dispose();
});

async function values(t: tf.Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

describe('Vae gradients', () => {
  it('the hand-written backward pass matches tfjs autodiff', async () => {
    const vae = new Vae({ latentSize: 3, hiddenSize: 16, learningRate: 1e-3, seed: 11 });
    const x = tf.tensor2d(mnistToFloat(train, 0, 6), [6, 784]);
    const eps = tf.tensor2d(normals(createRng(3), 6 * 3), [6, 3]);
    const { custom, autodiff } = vae.gradientCheck(x, eps);
    const [lc, la] = [(await values(custom.loss))[0], (await values(autodiff.loss))[0]];
    expect(Math.abs(lc - la)).toBeLessThan(1e-5 * Math.abs(la)); // float32 rounding
    expect(custom.grads.map((g) => g.shape)).toEqual(autodiff.grads.map((g) => g.shape));
    for (let i = 0; i < custom.grads.length; i++) {
      const a = await values(custom.grads[i]);
      const b = await values(autodiff.grads[i]);
      let scale = 1e-6;
      for (const v of b) scale = Math.max(scale, Math.abs(v));
      let err = 0;
      for (let j = 0; j < a.length; j++) err = Math.max(err, Math.abs(a[j] - b[j]));
      expect(err / scale, `parameter ${i}`).toBeLessThan(1e-4);
      expect(scale, `parameter ${i} has a non-trivial gradient`).toBeGreaterThan(1e-5);
    }
    tf.dispose([x, eps, custom.loss, autodiff.loss, ...custom.grads, ...autodiff.grads]);
    vae.dispose();
  });
});

describe('Vae training', () => {
  it('improves the held-out ELBO on 1,000 digits within a few epochs', async () => {
    const x = realX(1000);
    const vae = new Vae({ latentSize: 8, hiddenSize: 64, learningRate: 3e-3, seed: 5 });
    const e0 = await vae.elbo(testX);
    const progress: [number, number, number][] = [];
    const r1 = await vae.trainEpochs(x, {
      epochs: 1,
      batchSize: 50,
      progressEvery: 5,
      onProgress: (step, total, loss) => {
        progress.push([step, total, loss]);
      },
    });
    expect(r1).toMatchObject({ steps: 20, totalSteps: 20, stopped: false });
    expect(progress.map((p) => p[0])).toEqual([5, 10, 15, 20]);
    expect(progress.every((p) => p[1] === 20 && Number.isFinite(p[2]))).toBe(true);
    expect(progress[3][2]).toBeLessThan(progress[0][2]);
    const e1 = await vae.elbo(testX);
    await vae.trainEpochs(x, { epochs: 5, batchSize: 50 });
    const e6 = await vae.elbo(testX);
    // Measured: e0 ≈ -552, e1 ≈ -201, e6 ≈ -152 nats per digit.
    expect(e1).toBeGreaterThan(e0 + 100);
    expect(e6).toBeGreaterThan(e1 + 15);
    expect(e6).toBeLessThan(0);
    // Same model, same data: the estimate is deterministic.
    expect(await vae.elbo(testX)).toBe(e6);
    vae.dispose();
    x.dispose();
  }, 60_000);

  it('stops when asked and waits for async progress callbacks', async () => {
    const x = realX(320);
    const vae = new Vae({ latentSize: 2, hiddenSize: 16, learningRate: 1e-3, seed: 1 });
    let yields = 0;
    const r = await vae.trainEpochs(x, {
      epochs: 10,
      batchSize: 32,
      progressEvery: 4,
      onProgress: async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yields++;
      },
      shouldStop: () => yields >= 3,
    });
    expect(r).toMatchObject({ steps: 12, totalSteps: 100, stopped: true });
    // A batch larger than the data trains on all of it once per epoch.
    const r2 = await vae.trainEpochs(tf.slice(x, [0, 0], [10, 784]) as tf.Tensor2D, {
      epochs: 2,
      batchSize: 64,
    });
    expect(r2).toMatchObject({ steps: 2, totalSteps: 2 });
    vae.dispose();
    expect(() => vae.sample(1)).toThrow(/dispose/);
    vae.dispose();
    x.dispose();
  });

  it('is reproducible for a fixed seed, and cpu agrees with wasm', async () => {
    const run = async () => {
      const x = realX(200);
      const vae = new Vae({ latentSize: 2, hiddenSize: 16, learningRate: 2e-3, seed: 42 });
      const r = await vae.trainEpochs(x, { epochs: 2, batchSize: 50 });
      const s = vae.sample(4, 1);
      const out = { loss: r.loss, elbo: await vae.elbo(x), sample: Array.from(await values(s)) };
      tf.dispose([x, s]);
      vae.dispose();
      return out;
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    await tf.setBackend('cpu');
    try {
      const c = await run();
      // Float rounding differs between the kernels; after 8 Adam steps it stays tiny.
      expect(Math.abs(c.loss - a.loss)).toBeLessThan(1e-3 * Math.abs(a.loss));
      expect(Math.abs(c.elbo - a.elbo)).toBeLessThan(1e-3 * Math.abs(a.elbo));
      let maxDiff = 0;
      for (let i = 0; i < a.sample.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a.sample[i] - c.sample[i]));
      }
      expect(maxDiff).toBeLessThan(1e-2);
    } finally {
      await tf.setBackend('wasm');
    }
    expect(tf.getBackend()).toBe('wasm');
  }, 30_000);

  it('samples decoder means in [0, 1], Bernoulli samples in {0, 1}; temperature 0 gives one image', async () => {
    const vae = new Vae({ latentSize: 4, hiddenSize: 16, learningRate: 1e-3, seed: 3 });
    const m = vae.sample(5);
    expect(m.shape).toEqual([5, 784]);
    const mv = await values(m);
    expect(mv.every((v) => v >= 0 && v <= 1)).toBe(true);
    const b = vae.sample(5, 1, 'bernoulli');
    expect((await values(b)).every((v) => v === 0 || v === 1)).toBe(true);
    const z = vae.sample(3, 0);
    const zv = await values(z);
    for (let i = 0; i < 784; i++) expect(zv[784 + i]).toBe(zv[i]);
    // The noise comes from the stream passed in, drawn on the host: the same stream, the same
    // digits; z ~ N(0, t² I) exactly as drawn from it.
    const a = vae.sample(3, 0.5, 'mean', createRng(8, 1));
    const again = vae.sample(3, 0.5, 'mean', createRng(8, 1));
    const other = vae.sample(3, 0.5, 'mean', createRng(8, 2));
    const byHand = vae.decode(tf.tensor2d(normals(createRng(8, 1), 3 * 4, 0.5), [3, 4]));
    expect(await values(again)).toEqual(await values(a));
    expect(await values(other)).not.toEqual(await values(a));
    expect(await values(byHand)).toEqual(await values(a));
    tf.dispose([a, again, other, byHand]);
    const mu = vae.encodeMeans(testX);
    expect(mu.shape).toEqual([500, 4]);
    const dec = vae.decode(tf.zeros([2, 4]) as tf.Tensor2D);
    expect(dec.shape).toEqual([2, 784]);
    tf.dispose([m, b, z, mu, dec]);
    vae.dispose();
  });
});

describe('vaeMetrics', () => {
  it('entropy and pairwise distance helpers', async () => {
    expect(entropyBits([1, 1, 1, 1])).toBeCloseTo(2, 12);
    expect(entropyBits([5, 0, 0])).toBe(0);
    expect(entropyBits(new Array(10).fill(3))).toBeCloseTo(Math.log2(10), 12);
    const pts = tf.tensor2d([
      [0, 0],
      [3, 4],
      [0, 4],
    ]);
    // pairs: 5, 3, 4 -> mean 4
    expect(await meanPairwiseDistance(pts)).toBeCloseTo(4, 4);
    pts.dispose();
  });

  it('reports ELBO, latent spread, class histogram and diversity', async () => {
    const vae = new Vae({ latentSize: 4, hiddenSize: 32, learningRate: 3e-3, seed: 9 });
    const x = realX(640);
    await vae.trainEpochs(x, { epochs: 8, batchSize: 64 });
    const samples = vae.sample(300);
    const before = tf.memory().numTensors;
    const m = await vaeMetrics({ vae, testImages: testX, classifier, samples });
    expect(tf.memory().numTensors).toBe(before);
    expect(m.heldOutElbo).toBeLessThan(0);
    expect(m.heldOutElbo).toBeGreaterThan(-400);
    expect(m.latentStd).toBeGreaterThan(0);
    expect(m.classHistogram).toHaveLength(10);
    expect(m.classHistogram.reduce((a, b) => a + b, 0)).toBe(300);
    expect(m.classEntropy).toBeCloseTo(entropyBits(m.classHistogram), 12);
    expect(m.classEntropy).toBeGreaterThan(0);
    expect(m.diversity).toBeGreaterThan(0);
    // latentStd is the pooled std of the encoder means over the test digits.
    const mu = vae.encodeMeans(testX);
    const mv = await values(mu);
    const mean = mv.reduce((a, b) => a + b, 0) / mv.length;
    const std = Math.sqrt(mv.reduce((a, b) => a + (b - mean) ** 2, 0) / mv.length);
    expect(m.latentStd).toBeCloseTo(std, 4);
    // Real digits are more diverse and spread over all classes.
    const real = await vaeMetrics({ vae, testImages: testX, classifier, samples: testX });
    expect(real.classEntropy).toBeGreaterThan(3.2);
    tf.dispose([samples, mu, x]);
    vae.dispose();
  }, 30_000);
});

describe('memory', () => {
  it('leaks no tensors across generations', async () => {
    const x = realX(128);
    const generation = async (seed: number) => {
      const vae = new Vae({ latentSize: 4, hiddenSize: 32, learningRate: 1e-3, seed });
      await vae.trainEpochs(x, { epochs: 2, batchSize: 32, progressEvery: 3 });
      const samples = vae.sample(64);
      await vaeMetrics({ vae, testImages: testX, classifier, samples });
      await vae.elbo(x, 50); // the chunked path
      samples.dispose();
      vae.dispose();
    };
    await generation(0); // warm-up
    const before = tf.memory().numTensors;
    for (let g = 1; g <= 3; g++) {
      await generation(g);
      expect(tf.memory().numTensors).toBe(before);
    }
    x.dispose();
  }, 30_000);
});
