// The page's handle on the simulation worker. One worker for the page's lifetime; each run gets
// a fresh job id so late events from a superseded run are ignored.
import { proxy, type Remote, wrap } from 'comlink';
import type { AnyRecipe } from '../core/recipe';
import type { RunEnd, RunEvent, RunOptions, SimulationApi } from './protocol';

export interface SimulationClient {
  run(recipe: AnyRecipe, options: RunOptions, onEvent: (event: RunEvent) => void): Promise<RunEnd>;
  cancel(): void;
}

export function createSimulationClient(onCrash: (message: string) => void): SimulationClient {
  const worker = new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the simulation worker failed'));
  const remote: Remote<SimulationApi> = wrap<SimulationApi>(worker);
  let latest = 0;
  return {
    async run(recipe, options, onEvent) {
      const jobId = ++latest;
      return remote.run(
        jobId,
        recipe,
        options,
        proxy((id: number, event: RunEvent) => {
          if (id === latest) onEvent(event);
        }),
      );
    },
    cancel() {
      void remote.cancel(latest);
      latest++;
    },
  };
}
