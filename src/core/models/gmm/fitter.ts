// How the mixture family fits a generation: every chain's training set goes to a GmmFitter in one
// batch (all of one size n, or each of its own size with `sizes`: a filter drops points), so an
// engine can fit all chains at once (the batched tfjs EM in
// src/engine/models/gmm/fitters.ts) or one by one (the plain-TS fitter here, scikit-learn's EM).
import { fitGmm, type GmmInit, type GmmModel, GmmWorkspace } from '../../mixture';
import { createRng } from '../../rng';

/** One generation's fits: every chain's training set, all of size n unless `sizes` is given. */
export interface GmmFitBatch {
  /** One training set per chain, n×d row-major. Owned by the loop: read it, do not keep it. */
  data: Float64Array[];
  /** Points per chain (the largest, when `sizes` is given). */
  n: number;
  /** Points of each chain, when they differ (absent: every chain has n). */
  sizes?: number[];
  d: number;
  k: number;
  tol: number;
  maxIter: number;
  regCovar: number;
  /** One 32-bit seed per chain for the initialisation (createRng(seed) in the TS fitter). */
  seeds: number[];
  /** Default 'kmeans++'. */
  init?: 'kmeans++' | 'random';
}

export interface GmmFitter {
  /** Fits one model per chain, in order. */
  fit(batch: GmmFitBatch): Promise<GmmModel[]>;
}

/** A plain-TypeScript fitter: fitGmm chain by chain, sharing one workspace. */
export function createTsGmmFitter(): GmmFitter {
  const workspace = new GmmWorkspace();
  return {
    async fit(b: GmmFitBatch): Promise<GmmModel[]> {
      const init: GmmInit = b.init ?? 'kmeans++';
      return b.data.map(
        (x, r) =>
          fitGmm(x, b.sizes?.[r] ?? b.n, b.d, {
            components: b.k,
            tol: b.tol,
            maxIter: b.maxIter,
            regCovar: b.regCovar,
            init,
            rng: createRng(b.seeds[r]),
            workspace,
          }).model,
      );
    },
  };
}

export const tsGmmFitter: GmmFitter = createTsGmmFitter();
