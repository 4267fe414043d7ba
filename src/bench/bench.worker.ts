// The bench workloads in a worker, as the app runs its models (and so with the same unminified
// worker bundle that tfjs-wasm's thread pool needs).
import * as tf from '@tensorflow/tfjs';
import { expose } from 'comlink';
import type { BackendName } from '../engine/backend';
import { mnistToFloat, parseMnist } from '../engine/mnist';
import { activateBackend } from '../engine/tfSetup';
import { benchGmmBatched, benchGmmTs, benchVaeStep } from './workloads';

let pixels: Float32Array | null = null;

const api = {
  gmmTs: () => benchGmmTs(),
  async onBackend(
    backend: BackendName,
    workload: 'gmmBatched' | 'vaeStep',
    dataUrl: string,
  ): Promise<Record<string, number | string>> {
    if (!(await activateBackend(backend)) || tf.getBackend() !== backend) {
      return { error: `${backend} unavailable` };
    }
    if (workload === 'gmmBatched') return benchGmmBatched();
    if (!pixels)
      pixels = mnistToFloat(parseMnist(await (await fetch(dataUrl)).arrayBuffer()), 0, 640);
    return benchVaeStep(pixels);
  },
};
export type BenchWorkerApi = typeof api;
expose(api);
