// Runs a store's recipe (or its comparison's variants) on a simulation client, streaming into the
// store. `runnerFor` runs on demand (each run supersedes the last); `startRunner` also runs at once,
// again on every change of the recipe or comparison, and stops the running job when the reader
// asks (cancelRequests). The lab's controller, the embed and each story figure use them.

import type { SimulationClient } from '../engine/pool/pool';
import { RUN_DONE_MARK } from './marks';
import type { AppStore } from './store';

export interface Runner {
  /** Starts the store's recipe afresh (a superseded run's late events are ignored). */
  run(): void;
  /** Cancels the running job. */
  cancel(): void;
}

export function runnerFor(
  store: AppStore,
  client: SimulationClient,
  options: { backend?: string | null } = {},
): Runner {
  const run = () => {
    const { recipe, comparison, startRun, appendResults, addNotice, finishRun } = store.getState();
    const { setBackend, setProgress } = store.getState();
    const runId = startRun();
    // A comparison runs its variants as one job on the pool; the badge and progress follow the
    // first variant, every variant's notices count.
    const recipes = comparison ? comparison.variants.map((v) => v.recipe) : [recipe];
    client
      .runMany(recipes, { backend: options.backend ?? null }, (variant, event) => {
        if (event.type === 'batch') appendResults(runId, event.items, variant);
        else if (event.type === 'notice') addNotice(runId, event.notice);
        else if (variant > 0) return;
        else if (event.type === 'backend') setBackend(runId, event.backend);
        else if (event.type === 'progress') setProgress(runId, event.progress);
      })
      .then((end) => {
        if (end.status === 'cancelled') return;
        finishRun(runId, end.status, end.elapsedMs, end.error);
        // For `npm run bench`: the worker's own time for the whole run.
        performance.mark(RUN_DONE_MARK, { detail: { ...end, recipe } });
      })
      .catch((e: unknown) => finishRun(runId, 'error', 0, String(e)));
  };
  return { run, cancel: () => client.cancel() };
}

/** Runs now and on every change; `stop` unsubscribes and cancels. */
export function startRunner(
  store: AppStore,
  client: SimulationClient,
  options: { backend?: string | null } = {},
): Runner & { stop(): void } {
  const runner = runnerFor(store, client, options);
  runner.run();
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.recipe !== prev.recipe || s.comparison !== prev.comparison) runner.run();
    if (s.cancelRequests !== prev.cancelRequests && s.status === 'running') {
      runner.cancel();
      s.finishRun(s.runId, 'cancelled', 0);
    }
  });
  return {
    ...runner,
    stop() {
      unsubscribe();
      runner.cancel();
    },
  };
}
