// The diffusion model on the one generation loop, run as the worker runs it (prepare() with a job
// context, then simulate() from core/generation/loop), on the wasm backend in Node.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { simulate } from '../../../../../src/core/generation/loop';
import type { GenerationResult } from '../../../../../src/core/generation/types';
import type { DiffusionShown } from '../../../../../src/core/models/diffusion/shown';
import {
  DIFFUSION_METRICS,
  type DiffusionMetric,
} from '../../../../../src/core/models/diffusion/spec';
import { realDistribution } from '../../../../../src/core/realDistributions';
import { DEFAULT_RECIPES, type DiffusionRecipe } from '../../../../../src/core/recipe';
import { createRng } from '../../../../../src/core/rng';
import type { JobContext } from '../../../../../src/engine/job/context';
import type { BackendInfo, Progress, RunEvent } from '../../../../../src/engine/job/protocol';
import { Ddpm, diffusionFamily, prepare } from '../../../../../src/engine/models/diffusion/prepare';

type DiffusionResult = GenerationResult<DiffusionMetric, DiffusionShown>;

/**
 * A reduced recipe that still separates the regimes (measured on wasm, seed 1: the fully
 * synthetic chain keeps all 8 modes to generation 1 and is down to 3 by generation 5; the
 * real-data chain keeps 8 throughout): 512 points, T = 50, 32 hidden units, 300 epochs
 * (600 Adam steps), one chain, 5 generations — about 5–10 s per chain here.
 */
const REDUCED: DiffusionRecipe = {
  ...DEFAULT_RECIPES.diffusion,
  samplesPerGeneration: 512,
  steps: 50,
  hiddenSize: 32,
  epochs: 300,
  generations: 5,
  replicates: 1,
  seed: 1,
};

/** A tiny recipe for plumbing: 256 points, T = 50, 16 hidden units, 10 epochs. */
const TINY: DiffusionRecipe = {
  ...REDUCED,
  samplesPerGeneration: 256,
  hiddenSize: 16,
  epochs: 10,
  generations: 2,
};

function recorder(backendOverride = 'wasm') {
  const events: RunEvent[] = [];
  const ctx: JobContext = {
    emit: (event) => {
      events.push(event);
    },
    cancelled: () => false,
    yieldNow: async () => {},
    addComputeMs: () => {},
    backendOverride,
    loadData: () => Promise.reject(new Error('the diffusion model loads no data')),
  };
  return { ctx, events };
}

async function run(recipe: DiffusionRecipe, metricSamples?: number, backend = 'wasm') {
  const { ctx, events } = recorder(backend);
  const family = metricSamples
    ? diffusionFamily(recipe, { ctx, metricSamples })
    : await prepare(recipe, ctx);
  const out: DiffusionResult[] = [];
  for await (const g of simulate(recipe, family)) out.push(g as DiffusionResult);
  return { results: out, events };
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('the DDPM', () => {
  it('has a hand-written gradient equal to autodiff’s (float32, 1e-4 relative)', () => {
    const m = new Ddpm({ steps: 50, hiddenSize: 16, learningRate: 1e-3, seed: 5 });
    const rng = createRng(6);
    const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const B = 32;
    const [x, e, eps] = [
      tf.tensor2d(rand(B * 2), [B, 2]),
      tf.tensor2d(rand(B * 16), [B, 16]),
      tf.tensor2d(rand(B * 2), [B, 2]),
    ];
    const g = m.gradientCheck(x, e, eps);
    const [cl, cg] = [g.custom[0].dataSync()[0], g.custom[1].dataSync()];
    const [al, ag] = [g.autodiff[0].dataSync()[0], g.autodiff[1].dataSync()];
    expect(cl).toBeCloseTo(al, 5);
    expect(cg.length).toBe(m.size);
    let scale = 0;
    for (const v of ag) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < ag.length; i++) expect(Math.abs(cg[i] - ag[i])).toBeLessThan(1e-4 * scale);
    tf.dispose([x, e, eps, ...g.custom, ...g.autodiff]);
    m.dispose();
  });

  it('lowers its loss on fixed held-out draws as it trains (ring of 8)', async () => {
    const real = realDistribution('ring8');
    const unit = Math.sqrt(real.variance);
    const data = Float32Array.from(real.sample(512, createRng(1)), (v) => v / unit);
    const heldOut = Float32Array.from(real.sample(1000, createRng(2)), (v) => v / unit);
    const m = new Ddpm({ steps: 50, hiddenSize: 32, learningRate: 1e-2, seed: 7 });
    // The same (t, ε) draws each time: the loss is a function of the weights alone.
    const lossNow = () => m.loss(heldOut, 1000, createRng(3));
    const before = await lossNow();
    await m.train(data, 512, { steps: 100, batchSize: 256, progressEvery: 50 });
    const early = await lossNow();
    await m.train(data, 512, { steps: 500, batchSize: 256, progressEvery: 100 });
    const after = await lossNow();
    // Measured 0.91 → 0.223 → 0.194 (the same draws each time, so the difference is the
    // weights', not sampling noise); most of what is left is the noise no model can predict.
    expect(early).toBeLessThan(0.5 * before);
    expect(after).toBeLessThan(early - 0.01);
    m.dispose();
  });
});

describe('the diffusion family on the loop', () => {
  it('on the ring of 8 loses modes under synthetic share 1 and keeps them under share 0', async () => {
    const synthetic = (await run({ ...REDUCED, syntheticFraction: 1 })).results;
    const real = (await run({ ...REDUCED, syntheticFraction: 0 })).results;
    const modes = (rs: DiffusionResult[]) => rs.map((r) => r.stats.modesAlive.median);
    // Generation 0 is the same fit in both (real data only).
    expect(synthetic[0].stats).toEqual(real[0].stats);
    expect(modes(synthetic)[0]).toBe(8);
    // Tolerance: measured 3 alive at generation 5 under share 1, 8 at every generation under
    // share 0; the test asks for at most 5 and at least 7.
    expect(modes(synthetic)[5]).toBeLessThanOrEqual(5);
    expect(Math.min(...modes(real))).toBeGreaterThanOrEqual(7);
    // Quality falls with the modes: precision below the real-data chain's at the end.
    expect(synthetic[5].stats.precision.median).toBeLessThan(real[5].stats.precision.median);
  }, 120_000);

  it('is reproducible for a seed and reports every metric, the backend and progress', async () => {
    const a = await run(TINY);
    const b = await run(TINY);
    expect(a.results.map((r) => r.stats)).toEqual(b.results.map((r) => r.stats));
    expect(a.results).toHaveLength(3);
    for (const r of a.results) {
      for (const m of DIFFUSION_METRICS) expect(Number.isFinite(r.stats[m].median), m).toBe(true);
      expect(r.chain.shown.samples.length).toBe(2000);
      expect(r.chain.training.size).toBe(256);
    }
    const backend = a.events.find((e) => e.type === 'backend') as
      | { backend: BackendInfo }
      | undefined;
    expect(backend?.backend.name).toBe('wasm');
    const progress = a.events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
    const measuring = progress.filter((p: Progress) => p.phase === 'measuring');
    expect(measuring.map((p) => p.generation)).toEqual([0, 1, 2]);
    expect(measuring.every((p) => p.step === p.steps && p.steps === 10)).toBe(true);
  }, 60_000);

  it('leaves no tensor behind over 20 generations', async () => {
    // Warm up once (kernels, the backend race), then count.
    await run({ ...TINY, generations: 1, epochs: 1 }, 100);
    const before = tf.memory().numTensors;
    const { results } = await run({ ...TINY, generations: 20, epochs: 1 }, 100);
    expect(results).toHaveLength(21);
    // Each generation reports the count with its own model alive: the same every generation.
    const counts = new Set(results.map((r) => r.chain.shown.memory.numTensors));
    expect(counts.size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});

describe('a failing backend', () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await tf.setBackend('wasm');
  });

  /** Makes the `call`-th training of a generation (counted from 1) throw `message`. */
  const failTraining = (call: number, message: string) => {
    const train = Ddpm.prototype.train;
    let calls = 0;
    vi.spyOn(Ddpm.prototype, 'train').mockImplementation(function (this: Ddpm, ...args) {
      // (The backend race's probe trains for 4 steps; a generation of TINY for 10.)
      if (args[2].steps === 10 && ++calls === call) throw new Error(message);
      return train.apply(this, args);
    });
  };
  const backends = (events: RunEvent[]) =>
    events.flatMap((e) => (e.type === 'backend' ? [e.backend] : []));

  /**
   * Makes the `call`-th draw (counted from 1) throw `message`, and every draw from a model whose
   * weights live on another backend than the active one throw too, as a lost GPU's would.
   */
  const failSampling = (call: number, message: string) => {
    const sample = Ddpm.prototype.sample;
    const state = (
      tf.engine() as unknown as { state: { tensorInfo: WeakMap<object, { backend: unknown }> } }
    ).state;
    let calls = 0;
    vi.spyOn(Ddpm.prototype, 'sample').mockImplementation(function (this: Ddpm, ...args) {
      if (++calls === call) throw new Error(message);
      const theta = (this as unknown as { theta: tf.Tensor }).theta;
      if (state.tensorInfo.get(theta.dataId)?.backend !== tf.backend())
        throw new Error('its backend is lost');
      return sample.apply(this, args);
    });
  };

  it('hands over to the next rung mid-run, keeping the generations already done', async () => {
    // Warm the backends up, then count.
    await run({ ...TINY, generations: 0 });
    const plain = (await run(TINY)).results;
    const before = tf.memory().numTensors;
    // Draws: generation 0's metrics (1); generation 1's synthetic points (2) and metrics (3);
    // generation 2's synthetic points from generation 1's model (4): that one fails on wasm, and
    // the model must be rebuilt on cpu to draw again.
    failSampling(4, 'kernel Foo not registered');
    const { results, events } = await run(TINY);
    expect(backends(events)).toEqual([
      { name: 'wasm', reason: expect.any(String) },
      {
        name: 'cpu',
        reason: 'WebAssembly failed (kernel Foo not registered) — using plain JavaScript',
      },
    ]);
    expect(results).toHaveLength(3);
    expect(results.slice(0, 2).map((r) => r.stats)).toEqual(plain.slice(0, 2).map((r) => r.stats));
    for (const r of results)
      for (const m of DIFFUSION_METRICS) expect(Number.isFinite(r.stats[m].median), m).toBe(true);
    await tf.setBackend('wasm');
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('retrains a generation whose training failed on the next rung', async () => {
    failTraining(2, 'kernel Foo not registered');
    const { results, events } = await run(TINY);
    expect(backends(events).map((b) => b.name)).toEqual(['wasm', 'cpu']);
    expect(results).toHaveLength(3);
  }, 60_000);

  it('ends the run with its error when no rung is left', async () => {
    failTraining(2, 'device lost');
    await expect(run(TINY, undefined, 'cpu')).rejects.toThrow('device lost');
  }, 60_000);
});
