import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECIPES, MAX_POOL_POINTS, type VaeRecipe } from '../../../src/core/recipe';
import { type Classifier, createClassifier, parseClassifier } from '../../../src/engine/classifier';
import { MNIST_PIXELS, parseMnist } from '../../../src/engine/mnist';
import {
  simulateVae,
  trainingImages,
  VAE_FILMSTRIP_DIGITS,
  VAE_LATENT_POINTS,
  VAE_MEMORY_BUDGET_BYTES,
  VAE_METRICS,
  VAE_TEST_DIGITS,
  VaeChainData,
  type VaeGenerationResult,
  type VaeLoopEnv,
  type VaeProgress,
  vaeMemoryIssue,
  vaeStepsPerChain,
  vaeTotalSteps,
  vaeTrainingSize,
} from '../../../src/engine/vaeLoop';

const dataDir = join(__dirname, '..', '..', '..', 'public', 'data');
const read = (name: string) => readFileSync(join(dataDir, name));
const train = parseMnist(read('mnist-train.bin'));
const test = parseMnist(read('mnist-test.bin'));

let classifier: Classifier;
beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  expect(tf.getBackend()).toBe('wasm');
  classifier = createClassifier(
    parseClassifier(read('classifier.json').toString('utf8'), read('classifier.bin')),
  );
});
afterAll(() => classifier.dispose());

/** A tiny, quick recipe: 300 digits, 3 generations, a 784-32-4 VAE, 10 epochs of batch 32. */
const TINY: VaeRecipe = {
  ...DEFAULT_RECIPES.vae,
  samplesPerGeneration: 300,
  generations: 3,
  replicates: 1,
  seed: 3,
  latentSize: 4,
  hiddenSize: 32,
  epochs: 10,
  batchSize: 32,
  learningRate: 3e-3,
};

async function run(
  recipe: Partial<VaeRecipe>,
  env: Partial<VaeLoopEnv> = {},
): Promise<VaeGenerationResult[]> {
  const out: VaeGenerationResult[] = [];
  for await (const g of simulateVae({ ...TINY, ...recipe }, { train, test, classifier, ...env }))
    out.push(g);
  return out;
}

/** Runs one chain's data regime with stand-in synthetic digits (all bytes = generation). */
function regime(recipe: Partial<VaeRecipe>, trainCount = 1000) {
  const r = { ...TINY, ...recipe };
  const data = new VaeChainData(r, 0, trainCount);
  const nSynth = Math.round(r.samplesPerGeneration * r.syntheticFraction);
  return Array.from({ length: r.generations + 1 }, (_, g) => {
    const synthetic = new Uint8Array((g === 0 ? 0 : nSynth) * MNIST_PIXELS).fill(g);
    const set = data.next(g, synthetic);
    const real = Array.from(set.refs).filter((x) => x >= 0);
    // Which generation produced each synthetic digit (its bytes say so).
    const origins = Array.from(set.refs)
      .filter((x) => x < 0)
      .map((x) => set.synthetic[(-x - 1) * MNIST_PIXELS]);
    return { set, real, origins };
  });
}

describe('VaeChainData: the data regimes', () => {
  it('replace: M digits, round(M · share) of them synthetic from the previous generation', () => {
    const gens = regime({ syntheticFraction: 0.7, samplesPerGeneration: 100, generations: 3 });
    expect(gens[0].set.composition).toEqual({ size: 100, synthetic: 0, real: 100 });
    for (let g = 1; g <= 3; g++) {
      expect(gens[g].set.composition).toEqual({ size: 100, synthetic: 70, real: 30 });
      expect(gens[g].origins).toEqual(new Array(70).fill(g));
      expect(gens[g].real).toHaveLength(30);
    }
  });

  it('fresh real digits are distinct and never reused until the training set runs out', () => {
    const gens = regime({ syntheticFraction: 0.5, samplesPerGeneration: 300, generations: 6 });
    const all = gens.flatMap((g) => g.real);
    // 300 + 6 × 150 = 1,200 real digits from a set of 1,000: the first 1,000 are all distinct.
    expect(all).toHaveLength(1200);
    expect(new Set(all.slice(0, 1000)).size).toBe(1000);
    for (const g of gens) {
      expect(new Set(g.real).size).toBe(g.real.length);
      for (const i of g.real) expect(i >= 0 && i < 1000).toBe(true);
    }
    // Generation 5 crosses the end of the pass: it takes the 100 digits left unused, then 50 of
    // the 900 used before.
    const crossing = gens[5].real;
    const usedBefore = new Set(all.slice(0, 900));
    expect(new Set(crossing).size).toBe(150);
    expect(crossing.slice(0, 100).filter((i) => usedBefore.has(i))).toEqual([]);
    expect(crossing.slice(100).filter((i) => usedBefore.has(i))).toHaveLength(50);
  });

  it('fixed real digits are generation 0’s, the first M − round(M · share) of them', () => {
    const gens = regime({ syntheticFraction: 0.25, realData: 'fixed', generations: 3 });
    expect(gens[0].real).toHaveLength(300);
    for (let g = 1; g <= 3; g++) expect(gens[g].real).toEqual(gens[0].real.slice(0, 225));
  });

  it('accumulate: everything so far, the new M digits appended each generation', () => {
    const gens = regime({ syntheticFraction: 1, regime: 'accumulate', generations: 3 });
    for (let g = 0; g <= 3; g++) {
      const { set, origins } = gens[g];
      expect(set.composition).toEqual({ size: 300 * (g + 1), synthetic: 300 * g, real: 300 });
      expect(set.refs.slice(0, 300 * g)).toEqual(gens[g - 1]?.set.refs ?? new Int32Array(0));
      for (let k = 1; k <= g; k++) expect(origins.filter((o) => o === k)).toHaveLength(300);
    }
  });

  it('accumulate-subsample: M distinct digits drawn from the whole pool', () => {
    const gens = regime({ syntheticFraction: 0.5, regime: 'accumulate-subsample', generations: 4 });
    for (let g = 0; g <= 4; g++) {
      const { set, origins } = gens[g];
      expect(set.refs).toHaveLength(300);
      expect(new Set(set.refs).size).toBe(300);
      expect(set.composition.size).toBe(300);
      expect(set.composition.synthetic).toBe(origins.length);
      expect(set.composition.real).toBe(300 - origins.length);
    }
    // The pool holds 300 (g + 1) digits, half of the new ones synthetic: a uniform draw of 300
    // from generation 4's pool of 1,500 has 600 synthetic digits to choose from.
    expect(gens[4].set.composition.synthetic).toBeGreaterThan(80);
    expect(gens[4].set.composition.synthetic).toBeLessThan(160);
    // Old generations' synthetic digits stay in the pool and get drawn again.
    expect(new Set(gens[4].origins).size).toBeGreaterThan(2);
  });

  it('converts references to float pixels: real digits from the set, synthetic from the pool', () => {
    const data = new VaeChainData({ ...TINY, samplesPerGeneration: 100 }, 0, train.count);
    data.next(0, new Uint8Array(0));
    const synthetic = new Uint8Array(40 * MNIST_PIXELS);
    for (let i = 0; i < synthetic.length; i++) synthetic[i] = i % 256;
    const set = data.next(1, synthetic);
    const x = trainingImages(set, train);
    expect(x).toHaveLength(100 * MNIST_PIXELS);
    expect(x[5]).toBeCloseTo(5 / 255, 7);
    const r = set.refs[40];
    expect(r).toBeGreaterThanOrEqual(0);
    for (let j = 0; j < MNIST_PIXELS; j++) {
      expect(x[40 * MNIST_PIXELS + j]).toBeCloseTo(train.images[r * MNIST_PIXELS + j] / 255, 7);
    }
  });

  it('counts steps and refuses recipes past the memory budget', () => {
    expect(vaeTrainingSize({ regime: 'accumulate', samplesPerGeneration: 200 }, 3)).toBe(800);
    expect(vaeStepsPerChain({ ...TINY, regime: 'replace' }, 3)).toBe(10 * 9);
    expect(vaeStepsPerChain({ ...TINY, regime: 'accumulate' }, 1)).toBe(10 * 18);
    expect(vaeTotalSteps({ ...TINY, replicates: 2 })).toBe(2 * 4 * 90);
    expect(VAE_MEMORY_BUDGET_BYTES).toBe(4 * MAX_POOL_POINTS);
    expect(vaeMemoryIssue(DEFAULT_RECIPES.vae)).toBeNull();
    const big = { ...DEFAULT_RECIPES.vae, samplesPerGeneration: 8000, generations: 50 };
    expect(vaeMemoryIssue({ ...big, regime: 'accumulate' })).toMatch(/^accumulate would train/);
    expect(vaeMemoryIssue({ ...big, regime: 'accumulate-subsample' })).toMatch(/MiB/);
    expect(vaeMemoryIssue({ ...big, regime: 'replace' })).toBeNull();
  });
});

describe('simulateVae', () => {
  it('is reproducible for a fixed seed on wasm and leaks no tensor across generations', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const progress: VaeProgress[] = [];
    const a: VaeGenerationResult[] = [];
    for await (const g of simulateVae(TINY, {
      train,
      test,
      classifier,
      progressEvery: 4,
      onProgress: (p) => {
        progress.push(p);
      },
    })) {
      a.push(g);
      counts.push(tf.memory().numTensors);
    }
    expect(tf.memory().numTensors).toBe(before);
    // The loop holds its test digits between generations, the same few tensors each time.
    expect(new Set(counts).size).toBe(1);
    expect(counts[0] - before).toBeLessThanOrEqual(2);

    const b = await run({});
    expect(b).toEqual(a);
    const c = await run({ seed: 4 });
    expect(c[0].stats.heldOutElbo.median).not.toBe(a[0].stats.heldOutElbo.median);

    expect(a.map((g) => g.generation)).toEqual([0, 1, 2, 3]);
    for (const g of a) {
      for (const m of VAE_METRICS) expect(Number.isFinite(g.stats[m].median)).toBe(true);
      expect(g.stats.heldOutElbo.median).toBeLessThan(0);
      expect(g.classHistogram).toHaveLength(10);
      expect(g.classHistogram.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(g.chain.samples).toHaveLength(VAE_FILMSTRIP_DIGITS * MNIST_PIXELS);
      expect(g.chain.samples.some((v) => v > 128)).toBe(true);
      expect(g.chain.latent).toBeUndefined();
      expect(g.reference.classEntropy).toBeGreaterThan(3.2);
      expect(g.reference).toEqual(a[0].reference);
    }
    // Progress: every 4 steps and at each epoch's end, 9 steps per epoch, 10 epochs.
    const gen0 = progress.filter((p) => p.generation === 0);
    expect(gen0.map((p) => p.step).slice(0, 5)).toEqual([4, 8, 9, 13, 17]);
    expect(gen0.at(-1)).toMatchObject({ step: 90, totalSteps: 90, replicate: 0 });
    expect(gen0.every((p) => Number.isFinite(p.loss))).toBe(true);
  }, 60_000);

  it('a fully synthetic chain loses class entropy and diversity; a real-data chain keeps them', async () => {
    const synthetic = await run({ syntheticFraction: 1 });
    const real = await run({ syntheticFraction: 0 });
    // Generation 0 is the same model in both (same seed, same real digits).
    expect(real[0].stats).toEqual(synthetic[0].stats);
    const last = (rs: VaeGenerationResult[]) => rs[rs.length - 1].stats;
    // Measured (seed 3): synthetic 1.76 -> 0.63 -> 0.13 -> 0.00 bits; real 1.76 / 1.64 / 1.85 / 1.67.
    expect(last(synthetic).classEntropy.median).toBeLessThan(last(real).classEntropy.median - 0.8);
    expect(last(synthetic).classEntropy.median).toBeLessThan(
      synthetic[0].stats.classEntropy.median - 0.8,
    );
    expect(last(synthetic).diversity.median).toBeLessThan(0.6 * last(real).diversity.median);
    expect(last(real).classEntropy.median).toBeGreaterThan(real[0].stats.classEntropy.median - 0.4);
    expect(synthetic.map((g) => g.chain.training)).toEqual([
      { size: 300, synthetic: 0, real: 300 },
      { size: 300, synthetic: 300, real: 0 },
      { size: 300, synthetic: 300, real: 0 },
      { size: 300, synthetic: 300, real: 0 },
    ]);
  }, 60_000);

  it('summarises replicate chains, reports chain 1’s composition and 2-D latents', async () => {
    const rs = await run({
      replicates: 2,
      generations: 2,
      latentSize: 2,
      epochs: 2,
      regime: 'accumulate',
      syntheticFraction: 0.5,
      samplesPerGeneration: 200,
    });
    expect(rs.map((g) => g.chain.training)).toEqual([
      { size: 200, synthetic: 0, real: 200 },
      { size: 400, synthetic: 100, real: 300 },
      { size: 600, synthetic: 200, real: 400 },
    ]);
    for (const g of rs) {
      const s = g.stats.latentStd;
      expect(s.q05).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.q95);
      expect(s.q95).toBeGreaterThan(s.q05); // two different chains
      expect(g.chain.latent).toHaveLength(500 * 2);
      expect(g.chain.latentLabels).toEqual(test.labels.slice(0, 500));
      expect(g.chain.latent?.every(Number.isFinite)).toBe(true);
    }
  }, 60_000);

  it('reports tfjs memory with each generation, the same every generation (no leak)', async () => {
    const before = tf.memory();
    const rs: VaeGenerationResult[] = [];
    const seen: { numTensors: number; numBytes: number }[] = [];
    const tiny = { ...TINY, samplesPerGeneration: 100, generations: 6, epochs: 1, latentSize: 2 };
    for await (const g of simulateVae(tiny, { train, test, classifier })) {
      rs.push(g);
      const { numTensors, numBytes } = tf.memory();
      seen.push({ numTensors, numBytes });
    }
    // What tf.memory() said as each generation was handed over: its test digits (and the 2-D
    // latent slice) on top of what was there before, nothing more, however many generations.
    expect(rs.map((g) => g.memory)).toEqual(seen);
    expect(new Set(rs.map((g) => g.memory.numTensors)).size).toBe(1);
    expect(new Set(rs.map((g) => g.memory.numBytes)).size).toBe(1);
    expect(rs[0].memory.numTensors - before.numTensors).toBe(2);
    expect(rs[0].memory.numBytes - before.numBytes).toBe(
      (VAE_TEST_DIGITS + VAE_LATENT_POINTS) * MNIST_PIXELS * 4,
    );
    expect(tf.memory().numTensors).toBe(before.numTensors);
  }, 60_000);

  it('stops at once when asked, without a partial generation, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    const rs = await run(
      { generations: 5 },
      {
        progressEvery: () => 2,
        onProgress: (p) => {
          if (p.generation === 1) calls++;
        },
        shouldStop: () => calls >= 3,
      },
    );
    expect(rs.map((g) => g.generation)).toEqual([0]);
    expect(calls).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    // Closing the generator early (a consumer that breaks) frees them too.
    for await (const g of simulateVae(TINY, { train, test, classifier })) {
      expect(g.generation).toBe(0);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('refuses recipes past the memory budget before training', async () => {
    await expect(
      run({ regime: 'accumulate', samplesPerGeneration: 8000, generations: 50 }),
    ).rejects.toThrow(RangeError);
  });
});
