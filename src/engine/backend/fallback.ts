// A trained model's family moving down the backend ladder when its backend fails mid-run: what
// it is given (trained.ts fills it in for a run) and the step to the next rung that works.
import * as tf from '@tensorflow/tfjs';
import { BACKEND_LABELS, type BackendName } from './ladder';

/** How a family falls back down the backend ladder (each part optional: none for a bare run). */
export interface BackendFallback {
  /** Backends to fall back to, best first (default: none). */
  ladder?: BackendName[];
  /** Switches to a backend and checks it computes; false if it cannot be used. */
  activate?: (name: BackendName) => Promise<boolean>;
  /** Tells the page the backend changed, and why (the badge). */
  report?: (reason: string) => void;
  /** Why the active backend failed, when known better than the error (a lost GPU); clears it. */
  takeLostReason?: () => string | null;
}

/**
 * The family's step down its ladder: moves to the next backend that works, saying on the badge
 * which failed and why, or rethrows `error` when none is left. Each call takes rungs off the one
 * ladder, so a run never goes back up.
 */
export function ladderStep(options: BackendFallback): (error: unknown) => Promise<void> {
  const ladder = [...(options.ladder ?? [])];
  return async (error) => {
    const from = tf.getBackend() as BackendName;
    const why =
      options.takeLostReason?.() ?? (error instanceof Error ? error.message : String(error));
    for (;;) {
      const next = ladder.shift();
      if (!next || !options.activate) throw error;
      if (await options.activate(next)) {
        options.report?.(
          `${BACKEND_LABELS[from] ?? from} failed (${why}) — using ${BACKEND_LABELS[next]}`,
        );
        return;
      }
    }
  };
}
