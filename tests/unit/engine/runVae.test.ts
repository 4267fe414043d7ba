// The worker's VAE runner, driven in Node as the worker drives it: a JobContext that records what
// it emits, fetch served from public/data, the wasm backend chosen by the ladder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { DEFAULT_RECIPES, type VaeRecipe } from '../../../src/core/recipe';
import type { JobContext } from '../../../src/engine/job';
import type { Progress, RunEvent } from '../../../src/engine/protocol';
import { runVae, vaeDataUrl } from '../../../src/engine/runVae';
import type { VaeGenerationResult } from '../../../src/engine/vaeLoop';

const dataDir = join(__dirname, '..', '..', '..', 'public', 'data');
const WORKER_URL = 'http://app.test/assets/simulation.worker-abc123.js';
const requested: string[] = [];

beforeAll(() => {
  vi.stubGlobal('self', { location: { href: WORKER_URL } });
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    const name = new URL(url).pathname.replace(/^\/data\//, '');
    return new Response(readFileSync(join(dataDir, name)));
  });
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const TINY: VaeRecipe = {
  ...DEFAULT_RECIPES.vae,
  samplesPerGeneration: 200,
  generations: 2,
  latentSize: 2,
  hiddenSize: 32,
  epochs: 2,
  batchSize: 32,
  seed: 5,
};

/**
 * A JobContext that records what the runner emits. `cancelWhen` cancels the job at the first
 * event it accepts; `onYield` runs at every yield (e.g. to move a test clock).
 */
function recorder(options: { cancelWhen?: (e: RunEvent) => boolean; onYield?: () => void } = {}) {
  const events: { event: RunEvent; transfer: Transferable[] }[] = [];
  /** How many events had been emitted when the job was cancelled (-1: never). */
  let cancelledAfter = -1;
  let computeMs = 0;
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
    addComputeMs: (ms) => {
      computeMs += ms;
    },
    backendOverride: null,
  };
  return {
    ctx,
    events,
    batches: () =>
      events.flatMap((e) =>
        e.event.type === 'batch' ? (e.event.items as VaeGenerationResult[]) : [],
      ),
    progress: () => events.flatMap((e) => (e.event.type === 'progress' ? [e.event.progress] : [])),
    cancelledAfter: () => cancelledAfter,
    computeMs: () => computeMs,
  };
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

describe('vaeDataUrl', () => {
  it('finds public/data beside assets/ in the build and at the root in dev', () => {
    expect(vaeDataUrl('mnist-train.bin', './', WORKER_URL)).toBe(
      'http://app.test/data/mnist-train.bin',
    );
    expect(
      vaeDataUrl('classifier.json', './', 'http://host/some/app/assets/simulation.worker-x.js'),
    ).toBe('http://host/some/app/data/classifier.json');
    expect(
      vaeDataUrl(
        'mnist-test.bin',
        '/',
        'http://localhost:5173/src/engine/simulation.worker.ts?worker_file&type=module',
      ),
    ).toBe('http://localhost:5173/data/mnist-test.bin');
    expect(vaeDataUrl('x.bin', '/lab/', WORKER_URL)).toBe('http://app.test/lab/data/x.bin');
  });
});

describe('runVae', () => {
  it('streams every generation with its buffers, the backend and its progress', async () => {
    const rec = recorder();
    await runVae(TINY, rec.ctx);
    expect(requested.sort()).toEqual(
      ['classifier.bin', 'classifier.json', 'mnist-test.bin', 'mnist-train.bin'].map(
        (n) => `http://app.test/data/${n}`,
      ),
    );
    const backend = rec.events.find((e) => e.event.type === 'backend')?.event;
    expect(backend).toMatchObject({ type: 'backend', backend: { name: 'wasm' } });
    expect(tf.getBackend()).toBe('wasm');

    const batches = rec.batches();
    expect(batches.map((g) => g.generation)).toEqual([0, 1, 2]);
    for (const e of rec.events.filter((e) => e.event.type === 'batch')) {
      const g = (e.event as { items: VaeGenerationResult[] }).items[0];
      expect(e.transfer).toEqual([
        g.chain.samples.buffer,
        g.chain.latent?.buffer,
        g.chain.latentLabels?.buffer,
      ]);
    }
    expect(batches[2].chain.latent).toHaveLength(1000);
    // The worker's tfjs memory rides along with every generation, unchanged from one to the next.
    expect(batches[0].memory.numTensors).toBeGreaterThan(0);
    for (const g of batches) expect(g.memory).toEqual(batches[0].memory);

    const progress = rec.progress();
    expect(progress[0].label).toMatch(/Loading/);
    const training = progress.filter((p) => /step \d+\/\d+/.test(p.label));
    expect(training.length).toBeGreaterThan(0);
    expect(training[0].label).toMatch(/^Generation 0 of 2 · epoch 1\/2 · step \d+\/12/);
    for (const p of progress) {
      expect(p.fraction).toBeGreaterThanOrEqual(0);
      expect(p.fraction).toBeLessThanOrEqual(1);
    }
    // Each chain's training closes with one report, whatever the throttle held back before it.
    expect(progress.filter((p) => /sampling digits/.test(p.label))).toHaveLength(3);
    expect(rec.computeMs()).toBeGreaterThan(0);
  }, 60_000);

  it('stops training at its next yield after a cancel, emits no more generations and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    let seen = 0;
    // A clock that moves 100 ms at each yield: every loss read is reported (see the throttle's
    // tests below), so generation 1 reports its steps whatever the machine's speed.
    const clock = testClock();
    const rec = recorder({
      cancelWhen: (e) => e.type === 'progress' && isTrainingStep(e.progress, 1) && ++seen >= 2,
      onYield: () => {
        clock.now += 100;
      },
    });
    await runVae({ ...TINY, generations: 20, epochs: 20 }, rec.ctx);
    expect(rec.cancelledAfter()).toBeGreaterThan(0);
    // It stops at its next yield: at most one more progress report after the cancel, no batch.
    const after = rec.events.slice(rec.cancelledAfter());
    expect(after.filter((e) => e.event.type === 'progress').length).toBeLessThanOrEqual(1);
    expect(after.filter((e) => e.event.type === 'batch')).toEqual([]);
    expect(rec.batches().map((g) => g.generation)).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});

describe("runVae's progress throttle", () => {
  const stepReports = (rec: ReturnType<typeof recorder>) =>
    rec.progress().filter((p) => /· step \d+\/\d+$/.test(p.label));
  const closingReports = (rec: ReturnType<typeof recorder>) =>
    rec.progress().filter((p) => /sampling digits/.test(p.label));

  it('holds back every step report but the first while its clock stands still', async () => {
    testClock();
    // Two epochs per chain: each chain reads its loss at least once before its last step.
    const rec = recorder();
    await runVae(TINY, rec.ctx);
    expect(rec.batches().map((g) => g.generation)).toEqual([0, 1, 2]);
    expect(stepReports(rec).map((p) => p.generation)).toEqual([0]);
    expect(closingReports(rec).map((p) => p.generation)).toEqual([0, 1, 2]);
  }, 60_000);

  it('reports each loss it reads once its clock has moved on 100 ms since the last report', async () => {
    const clock = testClock();
    const rec = recorder({
      onYield: () => {
        clock.now += 100;
      },
    });
    await runVae(TINY, rec.ctx);
    const steps = stepReports(rec);
    // Every chain reports the end of its first epoch (step 6 of 12), at least.
    for (const generation of [0, 1, 2]) {
      const own = steps.filter((p) => p.generation === generation).map((p) => stepOf(p.label));
      expect(own, `generation ${generation}`).toContain(6);
      expect(own, `generation ${generation}`).toEqual([...own].sort((a, b) => a - b));
      expect(Math.max(...own)).toBeLessThan(12);
    }
    expect(closingReports(rec).map((p) => p.generation)).toEqual([0, 1, 2]);
  }, 60_000);
});

describe('runVae on a recipe past the memory budget', () => {
  it('refuses it at once, naming the regime, before loading anything', async () => {
    const rec = recorder();
    const asked = requested.length;
    await expect(
      runVae(
        { ...TINY, regime: 'accumulate', samplesPerGeneration: 8000, generations: 50 },
        rec.ctx,
      ),
    ).rejects.toThrow(/accumulate would train on 408,000 digits/);
    expect(rec.events).toEqual([]);
    expect(requested.length).toBe(asked);
  });
});

function isTrainingStep(p: Progress, generation: number): boolean {
  return p.generation === generation && /step \d+/.test(p.label);
}

function stepOf(label: string): number {
  return Number(/step (\d+)\//.exec(label)?.[1]);
}
