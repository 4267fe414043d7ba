// Typed messages between the page and the simulation worker.
import type { GenerationResult } from '../core/loop';
import type { Recipe } from '../core/recipe';

export interface RunEnd {
  jobId: number;
  status: 'done' | 'cancelled' | 'error';
  /** Wall time from start to end, yields and posting included. */
  elapsedMs: number;
  /** Time spent inside the simulation itself. */
  computeMs: number;
  error?: string;
}

export interface SimulationApi {
  /**
   * Runs `recipe`, calling `onBatch` with finished generations every few tens of milliseconds.
   * Starting another run (or cancel) stops this one at its next batch boundary.
   */
  run(
    jobId: number,
    recipe: Recipe,
    onBatch: (jobId: number, batch: GenerationResult[]) => void,
  ): Promise<RunEnd>;
  cancel(jobId: number): void;
}
