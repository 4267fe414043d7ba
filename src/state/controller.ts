// Wires the lab's store to the world: the URL hash (read on load and on hashchange, written on every
// change), and the simulation workers (each recipe change cancels the running job and starts the
// new one at once: state/runner.ts).
import { createSimulationClient } from '../engine/pool/pool';
import { type Runner, runnerFor, startRunner } from './runner';
import { labStore } from './store';
import { deserializeState, serializeState } from './urlCodec';

/**
 * The page's worker pool (a worker that dies is replaced; a run ends as an error, with the reason,
 * only when its fresh workers keep dying). `?test` (e2e only): a 3 s watchdog, and a hook to kill
 * a worker as a browser would.
 */
function pageClient() {
  const testing = new URLSearchParams(location.search).has('test');
  const client = createSimulationClient(testing ? { watchdogMs: 3000 } : {});
  if (testing)
    (globalThis as { collapseLabTest?: unknown }).collapseLabTest = {
      killWorker: (i: number) => client.killWorker(i),
      injectFault: (i: number, fault: 'lose-device' | 'lose-context') =>
        client.injectFault(i, fault),
    };
  return client;
}

/** `?backend=webgl` (in the query, not the hash) forces a tfjs backend for the models using it. */
const backendOverride = () => new URLSearchParams(location.search).get('backend');

/**
 * Runs the lab store's recipe on the worker pool, streaming into the store: each call cancels the
 * running job and starts the current recipe. Used by the embed, which runs only when visible.
 */
export function createRunner(): Runner {
  return runnerFor(labStore, pageClient(), { backend: backendOverride() });
}

export function startController(): () => void {
  const store = labStore;

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
  const runner = startRunner(store, pageClient(), { backend: backendOverride() });
  writeHash();

  const unsubscribe = store.subscribe((s, prev) => {
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
    runner.stop();
    window.removeEventListener('hashchange', onHashChange);
  };
}
