// The mitigations with the VAE family (tfjs on wasm in Node): curation by the VAE's own score
// (its ELBO's terms at the encoder's mean), a filter that starves every generation, and no
// tensor left behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../../src/core/generation/loop';
import { REAL } from '../../../../src/core/generation/types';
import { DIGIT_PIXELS, VAE_METRICS } from '../../../../src/core/models/vae/spec';
import { DEFAULT_RECIPES, type VaeRecipe } from '../../../../src/core/recipe';
import { createRng } from '../../../../src/core/rng';
import type { JobContext } from '../../../../src/engine/job/context';
import { parseMnist } from '../../../../src/engine/models/vae/mnist';
import { prepare } from '../../../../src/engine/models/vae/prepare';
import { collect } from './helpers';

const dataDir = join(__dirname, '..', '..', '..', '..', 'public', 'data');

const TINY: VaeRecipe = {
  ...DEFAULT_RECIPES.vae,
  samplesPerGeneration: 200,
  generations: 2,
  replicates: 1,
  seed: 5,
  latentSize: 4,
  hiddenSize: 32,
  epochs: 3,
  batchSize: 32,
  learningRate: 3e-3,
};

const ctx: JobContext = {
  emit() {},
  cancelled: () => false,
  yieldNow: () => new Promise((resolve) => setTimeout(resolve, 0)),
  addComputeMs: () => {},
  backendOverride: 'wasm',
  async loadData(name) {
    const b = readFileSync(join(dataDir, name));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  },
};

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('the VAE under the mitigations', () => {
  it('scores real digits above noise by its own likelihood, and curates by it without leaking tensors', async () => {
    const r: VaeRecipe = { ...TINY, generations: 0 };
    const family = await prepare(r, ctx);
    const streams = {
      index: 0,
      real: createRng(1, 0, 1),
      synthetic: createRng(1, 0, 2),
      subsample: createRng(1, 0, 3),
    };
    const chain = family.createChain(streams);
    const test = parseMnist(readFileSync(join(dataDir, 'mnist-test.bin')));
    const n = 200;
    const digits = test.images.slice(0, n * DIGIT_PIXELS);
    const set = {
      values: digits,
      origin: new Int16Array(n).fill(REAL),
      size: n,
      width: DIGIT_PIXELS,
      generation: 0,
    };
    const fitted = await family.fit?.(set, null, chain);
    if (!fitted) throw new Error('the VAE family fits chain by chain');
    const model = fitted;
    const noise = new Uint8Array(50 * DIGIT_PIXELS);
    const u = createRng(9);
    for (let i = 0; i < noise.length; i++) noise[i] = u.int(256);
    const before = tf.memory().numTensors;
    const real = new Float64Array(50);
    const fake = new Float64Array(50);
    await family.logLikelihood?.(
      model,
      test.images.slice(n * DIGIT_PIXELS, (n + 50) * DIGIT_PIXELS),
      50,
      real,
    );
    await family.logLikelihood?.(model, noise, 50, fake);
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.min(...real)).toBeGreaterThan(Math.max(...fake));
    family.release?.(model);
    family.dispose?.();

    const curated = { ...TINY, curation: { keep: 0.5, by: 'model' as const, accuracy: 1 } };
    const rs = await collect(simulate(curated, await prepare(curated, ctx)));
    expect(rs.map((g) => g.chain.training.candidates)).toEqual([0, 400, 400]);
    for (const g of rs)
      for (const m of VAE_METRICS) expect(Number.isFinite(g.stats[m].median), m).toBe(true);
  }, 60_000);

  it('keeps generation 0’s VAE through starved generations (every synthetic digit caught)', async () => {
    const r = { ...TINY, filter: { truePositiveRate: 1, falsePositiveRate: 0 } };
    const rs = await collect(simulate(r, await prepare(r, ctx)));
    for (const g of rs.slice(1)) {
      expect(g.chain.training).toMatchObject({ size: 0, starved: true });
      expect(g.stats).toEqual(rs[0].stats);
    }
  }, 60_000);
});
