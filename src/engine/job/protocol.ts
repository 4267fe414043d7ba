// Typed messages between the page and the simulation worker.
import type { GenerationPart, GenerationResult } from '../../core/generation/types';
import type { AnyRecipe } from '../../core/recipe';
import type { BackendName } from '../backend/ladder';

export interface RunEnd {
  jobId: number;
  status: 'done' | 'cancelled' | 'error';
  /** Wall time from start to end, yields and posting included. */
  elapsedMs: number;
  /** Time spent inside the simulation itself. */
  computeMs: number;
  error?: string;
  /**
   * The run failed on a tfjs backend above plain JavaScript (backend/faults.ts): the page runs it
   * again on the next rung, going on from its last finished generation.
   */
  backendFault?: { backend: string; reason: string };
}

/** Which tfjs backend a run uses and why, for the badge. */
export interface BackendInfo {
  /** A tfjs backend, or 'ts' for the plain-TypeScript engine. */
  name: BackendName | 'ts';
  reason: string;
}

/**
 * The worker's tfjs memory (tf.memory()): live tensors and the bytes they hold. Reported after
 * each VAE generation, once its models are disposed, so it stays the same from one generation
 * to the next unless tensors leak (WebGPU's byte count includes pooled buffers).
 */
export interface TfMemory {
  numTensors: number;
  numBytes: number;
}

/** What a long generation is doing (models that train for a while); the UI words it. */
export type ProgressPhase = 'loading' | 'backend' | 'training' | 'measuring';

/** Progress inside a long generation, as data. */
export interface Progress {
  phase: ProgressPhase;
  generation: number;
  generations: number;
  /** The chain training now (0-based) and how many there are. */
  chain: number;
  chains: number;
  /** Epoch (1-based) and steps of this chain's training in this generation. */
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  /** 0–1 within the generation. */
  fraction: number;
  /** Estimated milliseconds left for the whole run. */
  etaMs: number | null;
}

/** Something the reader should know about a run that goes on (a refit, a fallback). */
export interface Notice {
  generation: number;
  message: string;
}

export type RunEvent =
  | { type: 'batch'; items: GenerationResult[] }
  /** A share of the chains (RunOptions.chains): per-chain values the page merges in order. */
  | { type: 'parts'; items: GenerationPart[] }
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'progress'; progress: Progress }
  | { type: 'notice'; notice: Notice };

export interface RunOptions {
  /** `?backend=` from the page's address: forces a tfjs backend where it works. */
  backend?: string | null;
  /** Run only chains [start, end) and stream their parts (one worker of a pool). */
  chains?: [number, number];
  /**
   * Generations before this one are computed but not posted (nor their notices): a fresh worker
   * that takes over from one that crashed replays what the page already has, to the same numbers
   * (each chain draws from its own streams), and posts only what is new.
   */
  from?: number;
}

export interface SimulationApi {
  /**
   * Runs `recipe`, reporting finished generations (in batches), the backend and progress through
   * `onEvent`. Starting another run (or cancel) stops this one at its next yield.
   */
  run(
    jobId: number,
    recipe: AnyRecipe,
    options: RunOptions,
    onEvent: (jobId: number, event: RunEvent) => void,
  ): Promise<RunEnd>;
  cancel(jobId: number): void;
  /** Answers at once, even mid-run (the worker yields between slices): the page's watchdog. */
  ping(): number;
  /** Test pages only: breaks the worker's tfjs backend ('lose-device', 'lose-context'). */
  injectFault(fault: 'lose-device' | 'lose-context'): string;
}
