// GMM fitters for the generation loop: the batched tfjs engine (every replicate chain in one
// tensor program), a fallback wrapper that moves down the backend ladder when a kernel fails or
// the GPU device is lost, and the `auto` choice between it and the plain-TS engine.
import * as tf from '@tensorflow/tfjs';
import { type GmmModel, GmmWorkspace, initialModel } from '../core/gmm';
import type { GmmFitBatch, GmmFitter } from '../core/gmmLoop';
import { createTsGmmFitter } from '../core/gmmLoop';
import { createRng } from '../core/rng';
import { BACKEND_LABELS, type BackendName } from './backend';
import { fitGmmBatched } from './gmmEm';

/**
 * Fits all chains at once with tfjs on the active backend. Initialisation (k-means++ and its
 * hard-assignment M-step) runs in TypeScript exactly as the TS engine does, so both engines start
 * EM from the same parameters and agree to float32 precision.
 */
export function createTfjsGmmFitter(): GmmFitter {
  const ws = new GmmWorkspace();
  return {
    async fit(b: GmmFitBatch): Promise<GmmModel[]> {
      const R = b.data.length;
      const { n, d, k } = b;
      const data = new Float64Array(R * n * d);
      const weights = new Float64Array(R * k);
      const means = new Float64Array(R * k * d);
      const covariances = new Float64Array(R * k * d * d);
      for (let r = 0; r < R; r++) {
        data.set(b.data[r].subarray(0, n * d), r * n * d);
        const m = initialModel(
          b.data[r],
          n,
          d,
          k,
          b.init ?? 'kmeans++',
          b.regCovar,
          createRng(b.seeds[r]),
          ws,
        );
        weights.set(m.weights, r * k);
        means.set(m.means, r * k * d);
        covariances.set(m.covariances, r * k * d * d);
      }
      const res = await fitGmmBatched({
        data,
        R,
        n,
        d: d as 1 | 2,
        K: k,
        init: { weights, means, covariances },
        tol: b.tol,
        maxIter: b.maxIter,
        regCovar: b.regCovar,
      });
      return Array.from({ length: R }, (_, r) => ({
        k,
        d,
        weights: res.weights.slice(r * k, (r + 1) * k),
        means: res.means.slice(r * k * d, (r + 1) * k * d),
        covariances: res.covariances.slice(r * k * d * d, (r + 1) * k * d * d),
      }));
    },
  };
}

export interface FallbackOptions {
  /** Backends still to try after the current one, best first. */
  ladder: BackendName[];
  /** Switches tfjs to a backend (loading it if needed); false if it does not work. */
  activate: (name: BackendName) => Promise<boolean>;
  /** Reports each switch, e.g. to update the badge. */
  onFallback: (to: BackendName, reason: string) => void;
}

/**
 * Wraps a tfjs fitter so that a failing fit (a kernel error, a lost GPU device) switches to the
 * next backend of the ladder and fits the same generation again: the run continues from its last
 * finished generation.
 */
export function withBackendFallback(
  inner: GmmFitter,
  options: FallbackOptions,
): GmmFitter & { markLost(why: string): void } {
  const ladder = [...options.ladder];
  let lost: string | null = null;
  const fallBack = async (why: string) => {
    const from = tf.getBackend() as BackendName;
    for (;;) {
      const next = ladder.shift();
      if (!next)
        throw new Error(
          `${BACKEND_LABELS[from] ?? from} failed (${why}) and no other backend works`,
        );
      if (await options.activate(next)) {
        options.onFallback(
          next,
          `${BACKEND_LABELS[from] ?? from} failed (${why}) — continuing on ${BACKEND_LABELS[next]}`,
        );
        return;
      }
    }
  };
  return {
    markLost(why: string) {
      lost = why;
    },
    async fit(b) {
      for (;;) {
        if (lost) {
          const why = lost;
          lost = null;
          await fallBack(why);
        }
        try {
          return await inner.fit(b);
        } catch (e) {
          lost = e instanceof Error ? e.message : String(e);
        }
      }
    },
  };
}

/**
 * The `auto` engine: on the first generation it fits with both engines, times them, keeps the
 * faster for the rest of the run and reports which won. (The first tfjs call also compiles its
 * kernels, so tfjs is timed on a second, warm call.)
 */
export function createAutoGmmFitter(
  tfjsFitter: GmmFitter,
  onChoice: (engine: 'ts' | 'tfjs', tsMs: number, tfjsMs: number) => void,
): GmmFitter {
  const ts = createTsGmmFitter();
  let chosen: GmmFitter | null = null;
  return {
    async fit(b) {
      if (chosen) return chosen.fit(b);
      let t0 = performance.now();
      const result = await ts.fit(b);
      const tsMs = performance.now() - t0;
      await tfjsFitter.fit(b);
      t0 = performance.now();
      await tfjsFitter.fit(b);
      const tfjsMs = performance.now() - t0;
      const engine = tfjsMs < tsMs ? 'tfjs' : 'ts';
      chosen = engine === 'tfjs' ? tfjsFitter : ts;
      onChoice(engine, tsMs, tfjsMs);
      return result;
    },
  };
}
