// Runs a VAE recipe in the worker: loads the shipped MNIST subset and classifier (once per
// worker), picks the tfjs backend by racing a few Adam steps of the recipe's own VAE, then
// streams each finished generation to the page, with progress (epoch, step, ETA) at most every
// PROGRESS_MS while it trains. Training yields to the worker's event loop every ~TARGET_SLICE_MS,
// so a cancel or a new run stops it within a fraction of a second.
import * as tf from '@tensorflow/tfjs';
import type { VaeRecipe } from '../core/recipe';
import { BACKEND_LABELS, type BackendName } from './backend';
import { type ClassifierWeights, createClassifier, parseClassifier } from './classifier';
import type { JobContext } from './job';
import { MNIST_PIXELS, type MnistData, parseMnist } from './mnist';
import { activateBackend, activeBackend, ladderBelow, setUpTfjs, watchDeviceLoss } from './tfSetup';
import { Vae } from './vae';
import {
  simulateVae,
  type VaeGenerationResult,
  type VaeProgress,
  vaeMemoryIssue,
  vaeStepsPerChain,
  vaeTotalSteps,
} from './vaeLoop';

/** Least time between two progress events. */
const PROGRESS_MS = 100;
/** Aimed-for training time between two yields (and loss read-backs). */
const TARGET_SLICE_MS = 80;
/** Steps between yields before any step has been timed on this backend and shape. */
const FIRST_PROGRESS_EVERY = 2;

export interface VaeData {
  train: MnistData;
  test: MnistData;
  classifier: ClassifierWeights;
}

/**
 * Where a file of public/data is served. Vite copies public/ to the app's root and puts the
 * worker and its chunks in <root>/assets/. With an absolute base (`/` in dev) that is
 * `${base}data/…`; with the relative base './' of the build, BASE_URL stays './', which would
 * resolve against the worker's own address in assets/, so go one level up from the worker.
 */
export function vaeDataUrl(
  name: string,
  base: string = import.meta.env.BASE_URL,
  workerUrl: string = self.location.href,
): string {
  if (base.startsWith('./') || base === '' || base === '.') {
    return new URL(`../data/${name}`, workerUrl).href;
  }
  return new URL(`${base.endsWith('/') ? base : `${base}/`}data/${name}`, workerUrl).href;
}

async function fetchBytes(name: string): Promise<ArrayBuffer> {
  const url = vaeDataUrl(name);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${name} (HTTP ${response.status})`);
  return response.arrayBuffer();
}

let dataPromise: Promise<VaeData> | null = null;

/** The digits and the classifier's weights, fetched and parsed once per worker. */
export function loadVaeData(): Promise<VaeData> {
  dataPromise ??= Promise.all([
    fetchBytes('mnist-train.bin'),
    fetchBytes('mnist-test.bin'),
    fetchBytes('classifier.json'),
    fetchBytes('classifier.bin'),
  ])
    .then(([train, test, manifest, weights]) => ({
      train: parseMnist(train),
      test: parseMnist(test),
      classifier: parseClassifier(new TextDecoder().decode(manifest), weights),
    }))
    .catch((e: unknown) => {
      dataPromise = null; // let a later run try again
      throw e;
    });
  return dataPromise;
}

/** Milliseconds per Adam step measured for a backend and VAE shape, kept across runs. */
const stepMsSeen = new Map<string, number>();
const shapeKey = (backend: string, r: VaeRecipe) =>
  `${backend}:${r.hiddenSize}:${r.latentSize}:${r.batchSize}`;

/**
 * A short piece of the recipe's real workload for the backend race: four Adam steps of a fresh
 * VAE of the recipe's shape on two batches of random digits (the loss read at the end waits for
 * the GPU). Records the time per step for the backend it ran on.
 */
export function vaeProbe(recipe: VaeRecipe): () => Promise<void> {
  const batch = recipe.batchSize;
  const rows = 2 * batch;
  const pixels = new Float32Array(rows * MNIST_PIXELS);
  let s = 0x7ae5eed;
  for (let i = 0; i < pixels.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) | 0;
    const u = (s >>> 8) / 16777216;
    pixels[i] = u > 0.8 ? u : 0; // sparse ink, like a digit
  }
  return async () => {
    const vae = new Vae({
      latentSize: recipe.latentSize,
      hiddenSize: recipe.hiddenSize,
      learningRate: recipe.learningRate,
      seed: 1,
    });
    const x = tf.tensor2d(pixels, [rows, MNIST_PIXELS]);
    try {
      const t0 = performance.now();
      const r = await vae.trainEpochs(x, { epochs: 2, batchSize: batch, progressEvery: 1000 });
      stepMsSeen.set(shapeKey(tf.getBackend(), recipe), (performance.now() - t0) / r.steps);
    } finally {
      x.dispose();
      vae.dispose();
    }
  };
}

export async function runVae(recipe: VaeRecipe, ctx: JobContext): Promise<void> {
  const G = recipe.generations;
  const R = recipe.replicates;
  const progress = (generation: number, fraction: number, label: string, etaMs: number | null) =>
    ctx.emit({ type: 'progress', progress: { generation, fraction, label, etaMs } });

  const tooBig = vaeMemoryIssue(recipe);
  if (tooBig) throw new RangeError(tooBig);
  progress(0, 0, 'Loading the MNIST digits and the classifier…', null);
  const data = await loadVaeData();
  if (ctx.cancelled()) return;
  progress(0, 0, 'Choosing a tfjs backend…', null);
  const choice = await setUpTfjs(
    ctx.backendOverride,
    `vae:${recipe.hiddenSize}:${recipe.batchSize}`,
    vaeProbe(recipe),
  );
  if (ctx.cancelled()) return;
  let backend: BackendName = choice.name;
  // The badge names the backend tfjs reports, not the one asked for.
  ctx.emit({ type: 'backend', backend: { name: activeBackend(), reason: choice.reason } });
  let lost: string | null = null;
  watchDeviceLoss((why) => {
    lost = why;
  });

  // Work done, for the fraction and the ETA.
  const stepsPerChain = Array.from({ length: G + 1 }, (_, g) => vaeStepsPerChain(recipe, g));
  const totalSteps = vaeTotalSteps(recipe);
  const stepsBefore = (g: number, r: number) => {
    let s = r * stepsPerChain[g];
    for (let k = 0; k < g; k++) s += R * stepsPerChain[k];
    return s;
  };

  let emitted = 0;
  for (;;) {
    try {
      await simulate();
      return;
    } catch (e) {
      // A backend that fails before the first generation (a kernel it lacks, a lost GPU) hands
      // over to the next one down the ladder; later failures end the run with the error.
      const below = ladderBelow(backend);
      if (emitted > 0 || ctx.cancelled() || below.length === 0 || e instanceof RangeError) throw e;
      const why = lost ?? (e instanceof Error ? e.message : String(e));
      let next: BackendName | null = null;
      for (const name of below) {
        if (await activateBackend(name)) {
          next = name;
          break;
        }
      }
      if (!next) throw e;
      ctx.emit({
        type: 'backend',
        backend: {
          name: activeBackend(),
          reason: `${BACKEND_LABELS[backend]} failed (${why}) — using ${BACKEND_LABELS[next]}`,
        },
      });
      backend = next;
      lost = null;
    }
  }

  async function simulate(): Promise<void> {
    const key = shapeKey(backend, recipe);
    let stepMs = stepMsSeen.get(key) ?? null;
    let lastProgressAt = 0;
    let lastCall: { at: number; g: number; r: number; step: number } | null = null;
    let yieldMs = 0;
    const start = performance.now();
    const yieldNow = async () => {
      const t = performance.now();
      await ctx.yieldNow();
      yieldMs += performance.now() - t;
    };

    const onProgress = async (p: VaeProgress) => {
      const now = performance.now();
      // Time per step from consecutive calls in the same chain's training (yields excluded).
      if (lastCall && lastCall.g === p.generation && lastCall.r === p.replicate) {
        const steps = p.step - lastCall.step;
        if (steps > 0) {
          const ms = (now - lastCall.at) / steps;
          stepMs = stepMs === null ? ms : 0.7 * stepMs + 0.3 * ms;
          stepMsSeen.set(key, stepMs);
        }
      }
      const finished = p.step === p.totalSteps;
      if (finished || now - lastProgressAt >= PROGRESS_MS) {
        lastProgressAt = now;
        const done = stepsBefore(p.generation, p.replicate) + p.step;
        const elapsed = now - start;
        const etaMs = done > 0 ? (elapsed / done) * (totalSteps - done) : null;
        const perEpoch = p.totalSteps / recipe.epochs;
        const epoch = Math.min(recipe.epochs, Math.max(1, Math.ceil(p.step / perEpoch)));
        const chain = R > 1 ? ` · chain ${p.replicate + 1} of ${R}` : '';
        const label = finished
          ? `Generation ${p.generation} of ${G}${chain} · sampling digits and measuring`
          : `Generation ${p.generation} of ${G}${chain} · epoch ${epoch}/${recipe.epochs} · step ${p.step}/${p.totalSteps}`;
        progress(p.generation, (p.replicate + p.step / p.totalSteps) / R, label, etaMs);
      }
      await yieldNow();
      lastCall = { at: performance.now(), g: p.generation, r: p.replicate, step: p.step };
    };

    const classifier = createClassifier(data.classifier);
    const gen = simulateVae(recipe, {
      train: data.train,
      test: data.test,
      classifier,
      onProgress,
      shouldStop: () => ctx.cancelled(),
      yieldNow,
      progressEvery: () =>
        stepMs === null
          ? FIRST_PROGRESS_EVERY
          : Math.max(1, Math.min(50, Math.round(TARGET_SLICE_MS / stepMs))),
    });
    try {
      for (;;) {
        const t0 = performance.now();
        const y0 = yieldMs;
        const next = await gen.next();
        ctx.addComputeMs(performance.now() - t0 - (yieldMs - y0));
        if (next.done || ctx.cancelled()) break;
        emit(next.value);
        await yieldNow();
        if (ctx.cancelled()) break;
      }
    } finally {
      await gen.return(undefined);
      classifier.dispose();
    }
  }

  function emit(g: VaeGenerationResult): void {
    const buffers: ArrayBuffer[] = [g.chain.samples.buffer as ArrayBuffer];
    if (g.chain.latent) buffers.push(g.chain.latent.buffer as ArrayBuffer);
    if (g.chain.latentLabels) buffers.push(g.chain.latentLabels.buffer as ArrayBuffer);
    ctx.emit({ type: 'batch', items: [g] }, buffers);
    emitted++;
  }
}
