// The simulation worker: runs the generation loop off the main thread and streams generations to
// the page in small batches, yielding between batches so a new run or a cancel is seen at once.
import { expose, transfer } from 'comlink';
import { type GenerationResult, simulateGaussian1d } from '../core/loop';
import type { Recipe } from '../core/recipe';
import type { RunEnd, SimulationApi } from './protocol';

/** How long the loop runs before it posts what it has and yields to incoming messages. */
const SLICE_MS = 25;

let currentJob = -1;

const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const api: SimulationApi = {
  async run(jobId: number, recipe: Recipe, onBatch): Promise<RunEnd> {
    currentJob = jobId;
    const start = performance.now();
    let computeMs = 0;
    const end = (status: RunEnd['status'], error?: string): RunEnd => ({
      jobId,
      status,
      elapsedMs: performance.now() - start,
      computeMs,
      error,
    });
    try {
      const gen = simulateGaussian1d(recipe);
      let batch: GenerationResult[] = [];
      let sliceStart = performance.now();
      for (;;) {
        const t0 = performance.now();
        const next = gen.next();
        computeMs += performance.now() - t0;
        if (!next.done) batch.push(next.value);
        if (next.done || performance.now() - sliceStart > SLICE_MS) {
          if (batch.length > 0) {
            const buffers = batch.flatMap((g) => [
              g.chain.syntheticSamples.buffer,
              g.chain.realSamples.buffer,
            ]) as ArrayBuffer[];
            onBatch(jobId, transfer(batch, buffers));
            batch = [];
          }
          if (next.done) return end('done');
          await yieldToMessages();
          if (currentJob !== jobId) return end('cancelled');
          sliceStart = performance.now();
        }
      }
    } catch (e) {
      return end('error', e instanceof Error ? e.message : String(e));
    }
  },
  cancel(jobId: number) {
    if (currentJob === jobId) currentJob = -1;
  },
};

expose(api);
