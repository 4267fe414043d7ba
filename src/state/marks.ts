// The performance marks the app sets for `npm run bench`, named once: the app (state, ui) sets
// them and the bench's page driver waits for and reads them. Keep this module free of imports: the app's
// first screen loads it.

/** The first chart drawn (src/ui/useChart.ts). */
export const FIRST_CHART_MARK = 'first-chart';

/** A run ended (src/state/runner.ts); its detail is RunDoneDetail. */
export const RUN_DONE_MARK = 'run-done';

/** A VAE generation reached the page (src/ui/models/vae/VaeView.tsx); its detail is VaeMemoryDetail. */
export const VAE_MEMORY_MARK = 'vae-memory';

/**
 * Set by the bench's page probe (src/bench/browser.ts) when a VAE page first shows its progress
 * in the 'training' phase: the data are loaded and the backend chosen.
 */
export const VAE_TRAINING_MARK = 'bench-training';

/** The phase diagram finished its grid (src/ui/PhaseDiagram.tsx); its detail is PhaseDoneDetail. */
export const PHASE_DONE_MARK = 'phase-done';

export interface PhaseDoneDetail {
  status: string;
  /** From Compute to the last cell. */
  elapsedMs: number;
  cells: number;
  runs: number;
  workers: number;
}

export interface RunDoneDetail {
  status: string;
  /** The run's own time: the slowest worker's, from its start to its last generation. */
  elapsedMs: number;
  /** Time the workers spent computing, summed over the pool. */
  computeMs: number;
  recipe: { model: string };
}

export interface VaeMemoryDetail {
  generation: number;
  numTensors: number;
  numBytes: number;
}

/**
 * The attribute of a chart the build drew into the page (src/ui/prerendered.tsx); the bench asks
 * whether one was on screen at the first paint.
 */
export const PRERENDERED_ATTRIBUTE = 'data-prerendered';
