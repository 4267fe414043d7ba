// The bench workloads in a worker, as the app runs its models (and so with the same unminified
// worker bundle that tfjs-wasm's thread pool needs).
import * as tf from '@tensorflow/tfjs';
import { expose } from 'comlink';
import { createTsGmmFitter } from '../core/models/gmm/fitter';
import type { BackendName } from '../engine/backend/ladder';
import { activateBackend } from '../engine/backend/setup';
import { createTfjsGmmFitter } from '../engine/models/gmm/fitters';
import { mnistToFloat, parseMnist } from '../engine/models/vae/mnist';
import {
  diffusionMsPerStep,
  gmmMsPerGeneration,
  gmmTsMsPerGeneration,
  ngramMsPerGeneration,
  sweepChains,
  vaeMsPerStep,
} from './workloads';

export type BackendWorkload = 'gmmBatched' | 'vaeStep' | 'sweep' | 'diffusionStep';

let pixels: Float32Array | null = null;

const api = {
  gmmTs: () => gmmTsMsPerGeneration(),
  /** The language model's fit and sampling of 100,000 tokens (plain TS, no tfjs). */
  ngram: async (dataUrl: string) =>
    ngramMsPerGeneration(await (await fetch(dataUrl)).arrayBuffer()),
  /** ms per generation on the TS engine at each chain count. */
  tsSweep: (counts: number[]) => sweepChains(createTsGmmFitter(), counts),
  async onBackend(
    backend: BackendName,
    workload: BackendWorkload,
    dataUrl: string,
    counts: number[],
  ): Promise<unknown> {
    if (!(await activateBackend(backend)) || tf.getBackend() !== backend) {
      throw new Error(`${backend} unavailable`);
    }
    if (workload === 'gmmBatched') {
      return gmmMsPerGeneration(createTfjsGmmFitter(), 64, {
        generations: 5,
        warmup: 1,
        budgetMs: 15_000,
      });
    }
    if (workload === 'sweep') return sweepChains(createTfjsGmmFitter(), counts);
    if (workload === 'diffusionStep') return diffusionMsPerStep();
    if (!pixels)
      pixels = mnistToFloat(parseMnist(await (await fetch(dataUrl)).arrayBuffer()), 0, 640);
    return vaeMsPerStep(pixels, 10, 6, 15_000);
  },
};
export type BenchWorkerApi = typeof api;
expose(api);
