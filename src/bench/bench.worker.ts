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
  loadTransformerBench,
  ngramMsPerGeneration,
  sweepChains,
  transformerMsPerStep,
  transformerTokensPerSecond,
  vaeMsPerStep,
} from './workloads';

export type BackendWorkload =
  | 'gmmBatched'
  | 'vaeStep'
  | 'sweep'
  | 'diffusionStep'
  | 'transformerStep'
  | 'transformerGeneration';

const fetchBytes = async (url: string) => (await fetch(url)).arrayBuffer();

let pixels: Float32Array | null = null;

const api = {
  gmmTs: () => gmmTsMsPerGeneration(),
  /** The language model's fit and sampling of 100,000 tokens (plain TS, no tfjs). */
  ngram: async (dataUrl: string) => ngramMsPerGeneration(await fetchBytes(dataUrl)),
  /** ms per generation on the TS engine at each chain count. */
  tsSweep: (counts: number[]) => sweepChains(createTsGmmFitter(), counts),
  async onBackend(
    backend: BackendName,
    workload: BackendWorkload,
    /** The build's data folder (public/data), ending in '/'. */
    dataDir: string,
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
    if (workload === 'transformerStep' || workload === 'transformerGeneration') {
      const data = await loadTransformerBench((name) => fetchBytes(`${dataDir}${name}`));
      return workload === 'transformerStep'
        ? transformerMsPerStep(data)
        : transformerTokensPerSecond(data);
    }
    if (!pixels)
      pixels = mnistToFloat(parseMnist(await fetchBytes(`${dataDir}mnist-train.bin`)), 0, 640);
    return vaeMsPerStep(pixels, 10, 6, 15_000);
  },
};
export type BenchWorkerApi = typeof api;
expose(api);
