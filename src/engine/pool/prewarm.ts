// The simulation workers, started as early as a page can: a page's entry starts those its pool
// will want before its own JavaScript (React, the views) has loaded, and the pool takes them over.
// A worker takes a few hundred milliseconds to fetch, compile and answer; started first, that time
// runs beside the page's instead of after it — and a run split over the pool waits for its
// slowest worker's start, so every worker the pool will use is started, not only the first.

const spawn = () =>
  new Worker(new URL('../worker/simulation.worker.ts', import.meta.url), { type: 'module' });

/**
 * How long a spare waits to be taken before it is ended: a page whose run needs fewer workers than
 * were started (a model that runs on one) does not keep the rest.
 */
export const SPARE_LIFETIME_MS = 20_000;

interface Spare {
  worker: Worker;
  failed: boolean;
}
const spares: Spare[] = [];
let prewarmed = false;

/**
 * Most workers the pool starts: one per core, at most 8 (a reader's laptop), at least 1, and at
 * most `requested` (the page's `?workers=` query, which the bench uses to time one worker).
 */
export function poolSize(
  cores = globalThis.navigator?.hardwareConcurrency,
  requested: string | null = null,
): number {
  const cap = Math.floor(Number(requested));
  const size = Math.max(1, Math.min(8, Math.floor(cores || 2)));
  return cap >= 1 ? Math.min(size, cap) : size;
}

/** This page's pool size (its cores, and its `?workers=` query). */
export const pagePoolSize = () =>
  poolSize(undefined, new URLSearchParams(globalThis.location?.search).get('workers'));

/**
 * Starts `count` workers for the page's pool to take over (once per page; a no-op where there are
 * no workers). Those not taken within SPARE_LIFETIME_MS are ended.
 */
export function prewarmSimulationWorkers(count = 1): void {
  if (prewarmed || typeof Worker === 'undefined') return;
  prewarmed = true;
  for (let i = 0; i < count; i++) {
    const s: Spare = { worker: spawn(), failed: false };
    // An error before the page takes it over would reach no one: the page then starts a fresh one.
    s.worker.addEventListener(
      'error',
      () => {
        s.failed = true;
      },
      { once: true },
    );
    spares.push(s);
  }
  setTimeout(() => {
    for (const s of spares.splice(0)) s.worker.terminate();
  }, SPARE_LIFETIME_MS);
}

/** A simulation worker: a prewarmed one if one is there and well, else a fresh one. */
export function takeSimulationWorker(): Worker {
  while (spares.length > 0) {
    const s = spares.shift() as Spare;
    if (!s.failed) return s.worker;
    s.worker.terminate();
  }
  return spawn();
}
