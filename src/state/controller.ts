// Wires the store to the world: the URL hash (read on load and on hashchange, written on every
// change), and the simulation worker (each recipe change cancels the running job and starts the
// new one at once).
import { RUN_DONE_MARK } from '../bench/marks';
import { createSimulationClient } from '../engine/client';
import { deserializeState, serializeState } from './state';
import { useStore } from './store';

/**
 * Runs the store's recipe on the worker pool, streaming into the store: each call cancels the
 * running job and starts the current recipe. Shared by the page and the embed.
 */
export function createRunner(): { run(): void; cancel(): void } {
  const store = useStore;
  // `?backend=webgl` (in the query, not the hash) forces a tfjs backend for the models using it.
  const backendOverride = new URLSearchParams(location.search).get('backend');
  const client = createSimulationClient((message) => {
    const s = store.getState();
    s.finishRun(s.runId, 'error', 0, `The simulation worker stopped: ${message}`);
  });
  const run = () => {
    const { recipe, comparison, startRun, appendResults, addNotice, finishRun } = store.getState();
    const { setBackend, setProgress } = store.getState();
    const runId = startRun();
    // A comparison runs its variants as one job on the pool; the badge and progress follow the
    // first variant, every variant's notices count.
    const recipes = comparison ? comparison.variants.map((v) => v.recipe) : [recipe];
    client
      .runMany(recipes, { backend: backendOverride }, (variant, event) => {
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

export function startController(): () => void {
  const store = useStore;
  const { run, cancel } = createRunner();

  const currentHash = () => {
    const s = store.getState();
    return serializeState(s.recipe, s.playing ? null : s.cursor, s.comparison);
  };
  const writeHash = () => {
    const hash = `#${currentHash()}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };
  const readHash = () => {
    const { recipe, generation, comparison, messages } = deserializeState(location.hash);
    const s = store.getState();
    s.setExperiment(recipe, comparison, messages);
    s.setCursor(generation);
  };

  readHash();
  run();
  writeHash();

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.recipe !== prev.recipe || s.comparison !== prev.comparison) run();
    if (s.cancelRequests !== prev.cancelRequests && s.status === 'running') {
      cancel();
      s.finishRun(s.runId, 'cancelled', 0);
    }
    if (
      s.recipe !== prev.recipe ||
      s.comparison !== prev.comparison ||
      s.cursor !== prev.cursor ||
      s.playing !== prev.playing
    ) {
      writeHash();
    }
  });
  const onHashChange = () => {
    if (location.hash.replace(/^#/, '') !== currentHash()) readHash();
  };
  window.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    window.removeEventListener('hashchange', onHashChange);
    cancel();
  };
}
