// The VAE family on the one generation loop, run as the worker runs it: prepare() with a job
// context whose loadData reads public/data from disk, then simulate() from core/generation/loop.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { simulate } from '../../../../../src/core/generation/loop';
import type { GenerationResult } from '../../../../../src/core/generation/types';
import type { VaeShown } from '../../../../../src/core/models/vae/shown';
import { DIGIT_PIXELS, VAE_METRICS, type VaeMetric } from '../../../../../src/core/models/vae/spec';
import { DEFAULT_RECIPES, type VaeRecipe } from '../../../../../src/core/recipe';
import type { JobContext } from '../../../../../src/engine/job/context';
import type { BackendInfo, Progress, RunEvent } from '../../../../../src/engine/job/protocol';
import { runRecipe } from '../../../../../src/engine/job/run';
import { mnistToFloat, parseMnist } from '../../../../../src/engine/models/vae/mnist';
import {
  forgetVaeData,
  prepare,
  RunCancelled,
  VAE_FILMSTRIP_DIGITS,
  VAE_LATENT_POINTS,
  VAE_SHOWN_TRAINING_DIGITS,
} from '../../../../../src/engine/models/vae/prepare';
import { Vae } from '../../../../../src/engine/models/vae/vae';

type VaeResult = GenerationResult<VaeMetric, VaeShown>;

const dataDir = join(__dirname, '..', '..', '..', '..', '..', 'public', 'data');
const test = parseMnist(readFileSync(join(dataDir, 'mnist-test.bin')));

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

interface JobOptions {
  /** Cancels the job at the first event it accepts. */
  cancelWhen?: (e: RunEvent) => boolean;
  /** Runs at every yield (e.g. to move a test clock). */
  onYield?: () => void;
  backendOverride?: string | null;
}

/** A JobContext as the worker's: it records what the run emits and which files it reads. */
function recorder(options: JobOptions = {}) {
  const events: { event: RunEvent; transfer: Transferable[] }[] = [];
  const files: string[] = [];
  let cancelledAfter = -1;
  const ctx: JobContext = {
    emit(event, transfer = []) {
      events.push({ event, transfer });
      if (cancelledAfter < 0 && options.cancelWhen?.(event)) cancelledAfter = events.length;
    },
    cancelled: () => cancelledAfter >= 0,
    yieldNow: () =>
      new Promise((resolve) => {
        options.onYield?.();
        setTimeout(resolve, 0);
      }),
    addComputeMs: () => {},
    backendOverride: options.backendOverride === undefined ? 'wasm' : options.backendOverride,
    async loadData(name) {
      files.push(name);
      const b = readFileSync(join(dataDir, name));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  };
  return {
    ctx,
    events,
    files,
    progress: (): Progress[] =>
      events.flatMap((e) => (e.event.type === 'progress' ? [e.event.progress] : [])),
    backends: (): BackendInfo[] =>
      events.flatMap((e) => (e.event.type === 'backend' ? [e.event.backend] : [])),
    batches: (): VaeResult[] =>
      events.flatMap((e) => (e.event.type === 'batch' ? (e.event.items as VaeResult[]) : [])),
    cancelledAfter: () => cancelledAfter,
  };
}

/** Runs `recipe` (over TINY) through prepare and the one loop; returns every generation. */
async function run(
  recipe: Partial<VaeRecipe>,
  rec = recorder(),
  onGeneration?: (g: VaeResult) => void,
): Promise<VaeResult[]> {
  const r = { ...TINY, ...recipe };
  const out: VaeResult[] = [];
  for await (const g of simulate(r, await prepare(r, rec.ctx))) {
    out.push(g as VaeResult);
    onGeneration?.(g as VaeResult);
  }
  return out;
}

/**
 * Stands a clock of the test's own in for performance.now() (which the throttle and the step
 * timing read) until the test ends: it moves only when the test moves it, so what is reported
 * depends on the code, not on the machine's speed.
 */
function testClock(start = 1_000_000) {
  const clock = { now: start };
  const spy = vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
  onTestFinished(() => spy.mockRestore());
  return clock;
}

const last = (rs: VaeResult[]) => rs[rs.length - 1].stats;

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});
afterEach(async () => {
  vi.restoreAllMocks();
  if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
});

describe('prepare', () => {
  it('loads the four data files once per worker, takes the backend asked for and says so', async () => {
    forgetVaeData();
    const a = recorder();
    await prepare(TINY, a.ctx);
    expect([...a.files].sort()).toEqual([
      'classifier.bin',
      'classifier.json',
      'mnist-test.bin',
      'mnist-train.bin',
    ]);
    expect(a.backends()).toEqual([{ name: 'wasm', reason: expect.stringMatching(/WebAssembly/) }]);
    expect(tf.getBackend()).toBe('wasm');
    // Progress before training is data too: loading, then choosing the backend.
    expect(a.progress().map((p) => p.phase)).toEqual(['loading', 'backend']);
    expect(a.progress()[0]).toMatchObject({ generation: 0, generations: 3, chain: 0, chains: 1 });
    const b = recorder();
    (await prepare(TINY, b.ctx)).dispose?.();
    expect(b.files).toEqual([]);
  });

  it('refuses a recipe past the memory caps at once, before loading anything', async () => {
    const rec = recorder();
    const big = {
      ...TINY,
      regime: 'accumulate' as const,
      samplesPerGeneration: 8000,
      generations: 50,
    };
    await expect(prepare(big, rec.ctx)).rejects.toThrow(RangeError);
    await expect(prepare(big, rec.ctx)).rejects.toThrow(/accumulate would keep \d+ MiB/);
    expect(rec.files).toEqual([]);
    expect(rec.events).toEqual([]);
  });
});

describe('the VAE family on the one loop', () => {
  it('is reproducible for a fixed seed on wasm, and leaks no tensor over generations', async () => {
    const warm = await run({ generations: 1, epochs: 1 }); // kernels, caches
    expect(warm).toHaveLength(2);
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const a = await run({}, recorder(), () => seen.push(tf.memory().numTensors));
    expect(tf.memory().numTensors).toBe(before);
    // As each generation is handed over: the test digits, the classifier and chain 1's VAE, the
    // same every generation; and what shown() reported is what tf.memory() said.
    expect(new Set(seen).size).toBe(1);
    expect(a.map((g) => g.chain.shown.memory.numTensors)).toEqual(seen);
    expect(new Set(a.map((g) => g.chain.shown.memory.numBytes)).size).toBe(1);

    const b = await run({});
    expect(b).toEqual(a);
    const c = await run({ seed: 4, generations: 0 });
    expect(c[0].stats.heldOutElbo.median).not.toBe(a[0].stats.heldOutElbo.median);

    expect(a.map((g) => g.generation)).toEqual([0, 1, 2, 3]);
    for (const g of a) {
      for (const m of VAE_METRICS) expect(Number.isFinite(g.stats[m].median)).toBe(true);
      expect(g.stats.heldOutElbo.median).toBeLessThan(0);
      const shown = g.chain.shown;
      expect(shown.classHistogram).toHaveLength(10);
      expect(shown.classHistogram.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(shown.samples).toHaveLength(VAE_FILMSTRIP_DIGITS * DIGIT_PIXELS);
      expect(shown.samples.some((v) => v > 128)).toBe(true);
      expect(shown.latent).toBeUndefined();
      expect(shown.reference.classEntropy).toBeGreaterThan(3.2);
      expect(shown.reference).toEqual(a[0].chain.shown.reference);
      // Chain 1's training digits, with their provenance, for the "what it trained on" views.
      const sample = g.chain.sample;
      expect(sample?.width).toBe(DIGIT_PIXELS);
      expect(sample?.origin).toHaveLength(VAE_SHOWN_TRAINING_DIGITS);
    }
  }, 60_000);

  it('improves the held-out ELBO as it trains longer', async () => {
    const e1 = (await run({ generations: 0, epochs: 1 }))[0].stats.heldOutElbo.mean;
    const e10 = (await run({ generations: 0, epochs: 10 }))[0].stats.heldOutElbo.mean;
    const untrained = new Vae({ latentSize: 4, hiddenSize: 32, learningRate: 3e-3, seed: 1 });
    const testX = tf.tensor2d(mnistToFloat(test, 0, 1000), [1000, DIGIT_PIXELS]);
    const e0 = await untrained.elbo(testX);
    tf.dispose(testX);
    untrained.dispose();
    // Measured (seed 3): E0 E1 E10 nats per digit.
    expect(e1).toBeGreaterThan(e0 + 100);
    expect(e10).toBeGreaterThan(e1 + 15);
    expect(e10).toBeLessThan(0);
  }, 60_000);

  it('a fully synthetic chain loses class entropy and diversity; a real-data chain keeps them', async () => {
    const synthetic = await run({ syntheticFraction: 1 });
    const real = await run({ syntheticFraction: 0 });
    // Generation 0 is the same model in both (same seed, same real digits).
    expect(real[0].stats).toEqual(synthetic[0].stats);
    // Measured (seed 3): class entropy 2.09 -> 0.78 -> 0.05 -> 0.00 bits and diversity 3.21 ->
    // 1.76 -> 0.88 -> 0.12 when fully synthetic; 2.09 / 1.47 / 1.68 / 1.35 bits and 3.21 / 2.74 /
    // 2.87 / 2.78 on real digits (a VAE this small varies by ±0.4 bits from one training to
    // the next).
    const first = synthetic[0].stats;
    expect(last(synthetic).classEntropy.median).toBeLessThan(0.2 * first.classEntropy.median);
    expect(last(synthetic).diversity.median).toBeLessThan(0.5 * first.diversity.median);
    expect(last(real).classEntropy.median).toBeGreaterThan(0.6 * first.classEntropy.median);
    expect(last(real).diversity.median).toBeGreaterThan(0.85 * first.diversity.median);
    expect(last(synthetic).classEntropy.median).toBeLessThan(last(real).classEntropy.median - 0.8);
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
      expect(s.q95).toBeGreaterThan(s.q05); // two different chains
      expect(g.chain.shown.latent).toHaveLength(VAE_LATENT_POINTS * 2);
      expect(g.chain.shown.latentLabels).toEqual(test.labels.slice(0, VAE_LATENT_POINTS));
      expect(g.chain.shown.latent?.every(Number.isFinite)).toBe(true);
    }
  }, 60_000);
});

describe('progress', () => {
  /** M 200, batch 32: 6 steps per epoch, 12 per chain and generation. */
  const SMALL: Partial<VaeRecipe> = {
    samplesPerGeneration: 200,
    generations: 2,
    epochs: 2,
    latentSize: 2,
  };
  const training = (ps: Progress[]) => ps.filter((p) => p.phase === 'training');
  const measuring = (ps: Progress[]) => ps.filter((p) => p.phase === 'measuring');

  it('is structured data: phase, generation, chain, epoch, step, fraction and an ETA', async () => {
    // A clock that moves 100 ms at each yield: every loss read is reported.
    const clock = testClock();
    const rec = recorder({
      onYield: () => {
        clock.now += 100;
      },
    });
    await run({ ...SMALL, replicates: 2 }, rec);
    const ps = rec.progress();
    expect(ps.slice(0, 2).map((p) => p.phase)).toEqual(['loading', 'backend']);
    for (const p of ps) {
      expect(p).toMatchObject({ generations: 2, chains: 2, epochs: 2 });
      expect(p.fraction).toBeGreaterThanOrEqual(0);
      expect(p.fraction).toBeLessThanOrEqual(1);
    }
    // Each chain of each generation reports the end of its first epoch (step 6 of 12), in order,
    // then closes with one 'measuring' report at step 12 of 12.
    for (const generation of [0, 1, 2]) {
      for (const chain of [0, 1]) {
        const own = training(ps).filter((p) => p.generation === generation && p.chain === chain);
        const steps = own.map((p) => p.step);
        expect(steps, `generation ${generation} chain ${chain}`).toContain(6);
        expect(steps).toEqual([...steps].sort((a, b) => a - b));
        expect(Math.max(...steps)).toBeLessThan(12);
        for (const p of own) {
          expect(p.steps).toBe(12);
          expect(p.epoch).toBe(p.step <= 6 ? 1 : 2);
          expect(p.fraction).toBeCloseTo((chain + p.step / 12) / 2, 12);
        }
      }
    }
    // An ETA from the elapsed time per step: none at the run's first report (no time has passed
    // yet), then every report has one.
    const steps = training(ps);
    expect(steps[0].etaMs).toBeNull();
    for (const p of [...steps.slice(1), ...measuring(ps)])
      expect(p.etaMs).toBeGreaterThanOrEqual(0);
    expect(steps.slice(1).every((p) => (p.etaMs as number) > 0)).toBe(true);
    expect(measuring(ps).map((p) => [p.generation, p.chain, p.step, p.steps])).toEqual([
      [0, 0, 12, 12],
      [0, 1, 12, 12],
      [1, 0, 12, 12],
      [1, 1, 12, 12],
      [2, 0, 12, 12],
      [2, 1, 12, 12],
    ]);
    // The ETA at the run's last step: nothing left.
    expect(measuring(ps).at(-1)?.etaMs).toBe(0);
  }, 60_000);

  it('holds back every step report but the first while its clock stands still', async () => {
    testClock();
    const rec = recorder();
    await run(SMALL, rec);
    expect(training(rec.progress()).map((p) => p.generation)).toEqual([0]);
    expect(measuring(rec.progress()).map((p) => p.generation)).toEqual([0, 1, 2]);
  }, 60_000);
});

describe('cancel', () => {
  it('stops training at its next yield, emits no more generations and frees its tensors', async () => {
    await run({ generations: 0, epochs: 1 }); // warm-up
    const before = tf.memory().numTensors;
    let seen = 0;
    const clock = testClock();
    const rec = recorder({
      cancelWhen: (e) =>
        e.type === 'progress' &&
        e.progress.phase === 'training' &&
        e.progress.generation === 1 &&
        ++seen >= 2,
      onYield: () => {
        clock.now += 100;
      },
    });
    const recipe = { ...TINY, generations: 20, epochs: 20 };
    await expect(runRecipe(recipe, rec.ctx)).rejects.toThrow(RunCancelled);
    expect(rec.cancelledAfter()).toBeGreaterThan(0);
    // No report and no generation after the cancel.
    expect(rec.events.slice(rec.cancelledAfter())).toEqual([]);
    expect(rec.batches().map((g) => g.generation)).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('closing the loop early (a consumer that stops reading) frees every tensor', async () => {
    const before = tf.memory().numTensors;
    for await (const g of simulate(TINY, await prepare(TINY, recorder().ctx))) {
      expect(g.generation).toBe(0);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});

describe('backend fallback', () => {
  const FALL: Partial<VaeRecipe> = {
    samplesPerGeneration: 100,
    generations: 0,
    replicates: 2,
    epochs: 1,
    hiddenSize: 16,
    latentSize: 2,
  };

  it('a backend failing in generation 0 hands over to the next rung, which redoes generation 0', async () => {
    // The same recipe on the cpu backend, as a link's ?backend=cpu asks.
    const cpu = recorder({ backendOverride: 'cpu' });
    const onCpu = await run(FALL, cpu);
    expect(cpu.backends().map((b) => b.name)).toEqual(['cpu']);
    // Chain 2's training of generation 0 fails on wasm, after chain 1 was trained and scored.
    const trainEpochs = Vae.prototype.trainEpochs;
    let calls = 0;
    vi.spyOn(Vae.prototype, 'trainEpochs').mockImplementation(function (this: Vae, ...args) {
      if (++calls === 2) throw new Error('kernel Foo not registered');
      return trainEpochs.apply(this, args);
    });
    const rec = recorder();
    const before = tf.memory().numTensors;
    const rs = await run(FALL, rec);
    expect(rec.backends()).toEqual([
      { name: 'wasm', reason: expect.any(String) },
      {
        name: 'cpu',
        reason: 'WebAssembly failed (kernel Foo not registered) — using plain JavaScript',
      },
    ]);
    // The run that would have run on cpu from the start, stream for stream.
    expect(rs.map((g) => g.stats)).toEqual(onCpu.map((g) => g.stats));
    expect(rs.map((g) => g.chain.shown.samples)).toEqual(onCpu.map((g) => g.chain.shown.samples));
    await tf.setBackend('wasm');
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('a failure after generation 0 ends the run with its error', async () => {
    const trainEpochs = Vae.prototype.trainEpochs;
    let calls = 0;
    vi.spyOn(Vae.prototype, 'trainEpochs').mockImplementation(function (this: Vae, ...args) {
      if (++calls === 3) throw new Error('device lost');
      return trainEpochs.apply(this, args);
    });
    const rec = recorder();
    const before = tf.memory().numTensors;
    const got: number[] = [];
    await expect(
      run({ ...FALL, generations: 1 }, rec, (g) => got.push(g.generation)),
    ).rejects.toThrow('device lost');
    expect(got).toEqual([0]);
    expect(rec.backends().map((b) => b.name)).toEqual(['wasm']);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
