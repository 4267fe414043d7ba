// The simulation worker: runs a recipe's generation loop off the main thread and streams its
// generations to the page. The model's family loads on first use (the Gaussian needs no tfjs).
import { expose, transfer } from 'comlink';
import { fetchData } from './dataFiles';
import { type JobContext, RunCancelled } from './job';
import type { RunEnd, SimulationApi } from './protocol';
import { runRecipe } from './run';

let currentJob = -1;

const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const api: SimulationApi = {
  async run(jobId, recipe, options, onEvent): Promise<RunEnd> {
    currentJob = jobId;
    const start = performance.now();
    let computeMs = 0;
    const ctx: JobContext = {
      emit: (event, buffers = []) => onEvent(jobId, transfer(event, buffers)),
      cancelled: () => currentJob !== jobId,
      yieldNow: yieldToMessages,
      addComputeMs: (ms) => {
        computeMs += ms;
      },
      backendOverride: options.backend ?? null,
      loadData: fetchData,
    };
    const end = (status: RunEnd['status'], error?: string): RunEnd => ({
      jobId,
      status,
      elapsedMs: performance.now() - start,
      computeMs,
      error,
    });
    try {
      await runRecipe(recipe, ctx, options.chains);
      return end(ctx.cancelled() ? 'cancelled' : 'done');
    } catch (e) {
      if (e instanceof RunCancelled || ctx.cancelled()) return end('cancelled');
      return end('error', e instanceof Error ? e.message : String(e));
    }
  },
  cancel(jobId: number) {
    if (currentJob === jobId) currentJob = -1;
  },
};

expose(api);
