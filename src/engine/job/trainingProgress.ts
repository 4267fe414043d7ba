// Progress of a run that trains a model per chain and generation (the VAE, the diffusion model),
// as structured data (protocol.ts's Progress), and the pace of training's yields:
// - Training reads its loss (and reports, and yields to the worker's event loop) every
//   `every()` steps, chosen so that about TARGET_SLICE_MS of training passes between two yields
//   from the time per Adam step measured so far on this backend and shape (kept across runs);
//   a cancel or a new run is seen within a fraction of a second.
// - Step reports go out at most every PROGRESS_MS; the end of each chain's training ('measuring')
//   always does.
// - The ETA is the run's elapsed time per Adam step done times the steps left (sampling and
//   measuring count in the elapsed time, so they are spread over the steps).
import * as tf from '@tensorflow/tfjs';
import type { JobContext } from './context';
import { RunCancelled } from './context';
import type { Progress, ProgressPhase } from './protocol';

/** Least time between two step reports. */
export const PROGRESS_MS = 100;
/** Aimed-for training time between two yields (and loss read-backs). */
export const TARGET_SLICE_MS = 80;
/** Steps between yields before any step has been timed on this backend and shape. */
export const FIRST_PROGRESS_EVERY = 2;
/** Most steps between two yields, however fast a step. */
const MAX_PROGRESS_EVERY = 50;

/** Milliseconds per Adam step measured for a backend and model shape, kept across runs. */
const stepMsSeen = new Map<string, number>();

/** Records a probe's time per step for `shape` on the active backend. */
export function recordStepMs(shape: string, ms: number): void {
  stepMsSeen.set(`${tf.getBackend()}:${shape}`, ms);
}

/** What a run trains, for the reporter: its size and the Adam steps of each chain's training. */
export interface TrainingPlan {
  generations: number;
  replicates: number;
  epochs: number;
  /** Adam steps one chain takes at generation g. */
  stepsPerChain(g: number): number;
  /** The model's shape (what a step's time depends on besides the backend). */
  shape: string;
}

/** Where a chain's training is, for a report. */
export interface StepAt {
  generation: number;
  chain: number;
  /** 1-based. */
  epoch: number;
  /** Steps done in this chain's training for this generation, and its total. */
  step: number;
  steps: number;
}

export interface TrainingProgressReporter {
  /** Steps between two loss reads (and yields), for the next epoch. */
  every(): number;
  /**
   * At a loss read: times the steps, reports (throttled), yields, and throws RunCancelled if the
   * run was cancelled meanwhile.
   */
  step(at: StepAt): Promise<void>;
  /** A report that always goes out: loading, choosing a backend, measuring after training. */
  phase(phase: ProgressPhase, at?: StepAt): void;
  /** Starts the clock again (a backend fallback redoes generation 0). */
  restart(): void;
}

export function trainingProgress(plan: TrainingPlan, ctx: JobContext): TrainingProgressReporter {
  const G = plan.generations;
  const R = plan.replicates;
  const perChain = Array.from({ length: G + 1 }, (_, g) => plan.stepsPerChain(g));
  const total = perChain.reduce((a, b) => a + b, 0) * R;
  const shapeKey = () => `${tf.getBackend()}:${plan.shape}`;
  const stepsBefore = (g: number, r: number) => {
    let s = r * perChain[g];
    for (let k = 0; k < g; k++) s += R * perChain[k];
    return s;
  };
  let start = performance.now();
  let lastReportAt = Number.NEGATIVE_INFINITY;
  let last: { at: number; generation: number; chain: number; step: number } | null = null;

  const emit = (phase: ProgressPhase, at: StepAt | undefined, now: number) => {
    let etaMs: number | null = null;
    let fraction = 0;
    if (at) {
      const done = stepsBefore(at.generation, at.chain) + at.step;
      // No estimate before any time has passed (the first report of a run).
      if (done > 0 && now > start) etaMs = ((now - start) / done) * Math.max(0, total - done);
      fraction = at.steps > 0 ? (at.chain + at.step / at.steps) / R : at.chain / R;
    }
    const progress: Progress = {
      phase,
      generation: at?.generation ?? 0,
      generations: G,
      chain: at?.chain ?? 0,
      chains: R,
      epoch: at?.epoch ?? 0,
      epochs: plan.epochs,
      step: at?.step ?? 0,
      steps: at?.steps ?? 0,
      fraction: Math.min(1, Math.max(0, fraction)),
      etaMs,
    };
    ctx.emit({ type: 'progress', progress });
  };

  return {
    every() {
      const ms = stepMsSeen.get(shapeKey());
      if (ms === undefined) return FIRST_PROGRESS_EVERY;
      return Math.max(1, Math.min(MAX_PROGRESS_EVERY, Math.round(TARGET_SLICE_MS / ms)));
    },
    async step(at) {
      const now = performance.now();
      // Time per step from consecutive reads in the same chain's training (yields excluded).
      if (last && last.generation === at.generation && last.chain === at.chain) {
        const steps = at.step - last.step;
        if (steps > 0) {
          const key = shapeKey();
          const ms = (now - last.at) / steps;
          const seen = stepMsSeen.get(key);
          stepMsSeen.set(key, seen === undefined ? ms : 0.7 * seen + 0.3 * ms);
        }
      }
      if (at.step < at.steps && now - lastReportAt >= PROGRESS_MS) {
        lastReportAt = now;
        emit('training', at, now);
      }
      await ctx.yieldNow();
      if (ctx.cancelled()) throw new RunCancelled();
      last = { at: performance.now(), generation: at.generation, chain: at.chain, step: at.step };
    },
    phase(phase, at) {
      emit(phase, at, performance.now());
    },
    restart() {
      start = performance.now();
      last = null;
    },
  };
}
