// The page's handle on the simulation worker. One worker for the page's lifetime; each run gets
// a fresh job id so late batches from a superseded run are ignored.
import { proxy, type Remote, wrap } from 'comlink';
import type { GenerationResult } from '../core/loop';
import type { Recipe } from '../core/recipe';
import type { RunEnd, SimulationApi } from './protocol';

export interface SimulationClient {
  run(recipe: Recipe, onBatch: (batch: GenerationResult[]) => void): Promise<RunEnd>;
  cancel(): void;
}

export function createSimulationClient(onCrash: (message: string) => void): SimulationClient {
  const worker = new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the simulation worker failed'));
  const remote: Remote<SimulationApi> = wrap<SimulationApi>(worker);
  let latest = 0;
  return {
    async run(recipe, onBatch) {
      const jobId = ++latest;
      const end = await remote.run(
        jobId,
        recipe,
        proxy((id: number, batch: GenerationResult[]) => {
          if (id === latest) onBatch(batch);
        }),
      );
      return end;
    },
    cancel() {
      void remote.cancel(latest);
      latest++;
    },
  };
}
