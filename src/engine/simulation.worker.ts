// The simulation worker: runs a recipe's generation loop off the main thread and streams its
// generations to the page. The 1-D Gaussian needs no tfjs; models that do load it on first use.
import { expose, transfer } from 'comlink';
import type { AnyRecipe } from '../core/recipe';
import type { JobContext } from './job';
import type { RunEnd, SimulationApi } from './protocol';
import { runGaussian } from './runGaussian';

let currentJob = -1;

const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function runModel(recipe: AnyRecipe, ctx: JobContext): Promise<void> {
  switch (recipe.model) {
    case 'gaussian1d':
      return runGaussian(recipe, ctx);
    case 'gmm': {
      const { runGmm } = await import('./runGmm');
      return runGmm(recipe, ctx);
    }
    case 'vae': {
      const { runVae } = await import('./runVae');
      return runVae(recipe, ctx);
    }
    default:
      throw new Error(`unknown model ${(recipe as { model: string }).model}`);
  }
}

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
    };
    const end = (status: RunEnd['status'], error?: string): RunEnd => ({
      jobId,
      status,
      elapsedMs: performance.now() - start,
      computeMs,
      error,
    });
    try {
      await runModel(recipe, ctx);
      return end(ctx.cancelled() ? 'cancelled' : 'done');
    } catch (e) {
      return end('error', e instanceof Error ? e.message : String(e));
    }
  },
  cancel(jobId: number) {
    if (currentJob === jobId) currentJob = -1;
  },
};

expose(api);
