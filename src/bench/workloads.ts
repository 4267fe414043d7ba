// The workloads `npm run bench` times, shared by Node and the browser bench page. Each returns
// plain numbers; the caller picks the backend and reports where it ran.
import * as tf from '@tensorflow/tfjs';
import { fitGmm, GmmWorkspace, sampleGmm } from '../core/gmm';
import { createRng } from '../core/rng';
import { createTfjsGmmFitter } from '../engine/gmmFitters';
import { Vae } from '../engine/vae';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The GMM workload of the issue: K = 2, d = 2, M = 1000, tol 1e-3. */
export const GMM_WORKLOAD = {
  K: 2,
  d: 2,
  M: 1000,
  tol: 1e-3,
  maxIter: 100,
  regCovar: 1e-6,
} as const;

/**
 * One chain on the plain-TS engine: fit, then sample the next generation's M points from the fit
 * (a collapsing chain, so the timings span the EM iteration counts the app meets).
 */
export function benchGmmTs(generations = 200, warmup = 50) {
  const { K, d, M, tol, maxIter, regCovar } = GMM_WORKLOAD;
  const data = new Float64Array(M * d);
  const real = createRng(1, 0, 1);
  for (let i = 0; i < M * d; i++) data[i] = real.normal();
  const ws = new GmmWorkspace();
  const synth = createRng(1, 0, 2);
  const init = createRng(1, 0, 11);
  const times: number[] = [];
  let iterations = 0;
  for (let g = 0; g < warmup + generations; g++) {
    const t0 = performance.now();
    const fit = fitGmm(data, M, d, {
      components: K,
      tol,
      maxIter,
      regCovar,
      rng: init,
      workspace: ws,
    });
    sampleGmm(fit.model, M, synth, 1, data);
    if (g >= warmup) {
      times.push(performance.now() - t0);
      iterations += fit.iterations;
    }
  }
  return { msPerGeneration: median(times), meanIterations: iterations / generations };
}

/**
 * R chains at once on the active tfjs backend (batched EM), each generation fitted to the
 * previous generation's samples. Stops early once `budgetMs` is spent (software WebGPU is slow).
 */
export async function benchGmmBatched(R = 64, generations = 10, warmup = 2, budgetMs = 20_000) {
  const { K, d, M, tol, maxIter, regCovar } = GMM_WORKLOAD;
  const fitter = createTfjsGmmFitter();
  const data = Array.from({ length: R }, (_, r) => {
    const rng = createRng(2, r, 1);
    return Float64Array.from({ length: M * d }, () => rng.normal());
  });
  const synth = Array.from({ length: R }, (_, r) => createRng(2, r, 2));
  const times: number[] = [];
  const start = performance.now();
  for (let g = 0; g < warmup + generations; g++) {
    const t0 = performance.now();
    const models = await fitter.fit({
      data,
      n: M,
      d,
      k: K,
      tol,
      maxIter,
      regCovar,
      seeds: data.map((_, r) => 1000 * g + r),
    });
    for (let r = 0; r < R; r++) sampleGmm(models[r], M, synth[r], 1, data[r]);
    if (g >= warmup) times.push(performance.now() - t0);
    if (performance.now() - start > budgetMs && times.length > 0) break;
  }
  const ms = median(times);
  return {
    chains: R,
    msPerGeneration: ms,
    generationsPerSecondEachChain: 1000 / ms,
    timedGenerations: times.length,
  };
}

/** ms per Adam step of the MLP VAE 784-128-8 at batch 64 on the active backend (the lean engine). */
export async function benchVaeStep(
  pixels: Float32Array,
  steps = 10,
  rounds = 8,
  budgetMs = 20_000,
) {
  const batch = 64;
  const n = Math.min(pixels.length / 784, batch * steps);
  const data = tf.tensor2d(pixels.subarray(0, n * 784), [n, 784]);
  const vae = new Vae({ latentSize: 8, hiddenSize: 128, learningRate: 1e-3, seed: 1 });
  const opts = { epochs: 1, batchSize: batch, progressEvery: steps };
  const stepsPerEpoch = Math.floor(n / batch);
  try {
    await vae.trainEpochs(data, opts); // warm-up: kernels, shaders
    const times: number[] = [];
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      await vae.trainEpochs(data, opts); // one loss read at the end of each round
      times.push((performance.now() - t0) / stepsPerEpoch);
      if (performance.now() - start > budgetMs) break;
    }
    return { msPerStep: median(times), rounds: times.length };
  } finally {
    vae.dispose();
    data.dispose();
  }
}
