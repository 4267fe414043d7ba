// The simulation worker, started as early as a page can: a page's entry starts one before its own
// JavaScript (React, the views) has loaded, and the page's first pool worker takes it over. A
// worker takes a few hundred milliseconds to fetch, compile and answer; started first, that time
// runs beside the page's instead of after it.

const spawn = () =>
  new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module' });

let spare: { worker: Worker; failed: boolean } | null = null;

/** Starts a worker for the page to take over (once; a no-op where there are no workers). */
export function prewarmSimulationWorker(): void {
  if (spare || typeof Worker === 'undefined') return;
  const s = { worker: spawn(), failed: false };
  // An error before the page takes it over would reach no one: the page then starts a fresh one.
  s.worker.addEventListener(
    'error',
    () => {
      s.failed = true;
    },
    { once: true },
  );
  spare = s;
}

/** A simulation worker: the prewarmed one if it is there and well, else a fresh one. */
export function takeSimulationWorker(): Worker {
  const s = spare;
  spare = null;
  if (s && !s.failed) return s.worker;
  s?.worker.terminate();
  return spawn();
}
