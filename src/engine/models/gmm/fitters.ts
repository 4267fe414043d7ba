// GMM fitters for the generation loop: the batched tfjs engine (every replicate chain in one
// tensor program), a fallback wrapper that moves down the backend ladder when a kernel fails or
// the GPU device is lost, and the `auto` choice between it and the plain-TS engine.
import * as tf from '@tensorflow/tfjs';
import { fitGmm, type GmmModel, GmmWorkspace, initialModel } from '../../../core/mixture';
import {
  createTsGmmFitter,
  type GmmFitBatch,
  type GmmFitter,
} from '../../../core/models/gmm/fitter';
import { createRng } from '../../../core/rng';
import { BACKEND_LABELS, type BackendName } from '../../backend/ladder';
import { type BatchedEmInput, type BatchedEmResult, fitGmmBatched } from './batchedEm';

/**
 * True when every parameter is finite, the weights are ≥ 0 and every covariance is positive
 * definite (what sampling and scoring need).
 */
export function isUsableGmm(m: GmmModel): boolean {
  const { k, d, weights, means, covariances } = m;
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i] >= 0 && weights[i] < Number.POSITIVE_INFINITY)) return false;
    total += weights[i];
  }
  if (!(total > 0)) return false;
  for (let i = 0; i < means.length; i++) if (!Number.isFinite(means[i])) return false;
  for (let j = 0; j < k; j++) {
    const a = covariances[j * d * d];
    if (!(a > 0 && a < Number.POSITIVE_INFINITY)) return false;
    if (d === 2) {
      const b = covariances[j * 4 + 1];
      const c = covariances[j * 4 + 3];
      if (!(c > 0 && c < Number.POSITIVE_INFINITY && Number.isFinite(b) && a * c - b * b > 0))
        return false;
    }
  }
  return true;
}

/** A fitter that may refit some chains on the TS engine; `lastRefits` lists those of its last fit. */
export interface RefittingGmmFitter extends GmmFitter {
  readonly lastRefits: readonly number[];
}

export interface TfjsFitterOptions {
  /**
   * Called after a fit in which some chains came back from the batched EM non-finite (or with a
   * covariance that is not positive definite) and were refitted on the TS engine: their indices,
   * and the index of this fit among the fitter's completed fits (the generation, when the fitter
   * fits every generation; under `auto` it does not, and auto reports with the generation).
   */
  onRefit?: (chains: number[], fit: number) => void;
  /** The batched EM (default fitGmmBatched; tests inject a failing one). */
  fitBatched?: (input: BatchedEmInput) => Promise<BatchedEmResult>;
}

/**
 * Fits all chains at once with tfjs on the active backend. Initialisation (k-means++ and its
 * hard-assignment M-step) runs in TypeScript exactly as the TS engine does, so both engines start
 * EM from the same parameters and agree to float32 precision. A chain that the batched EM leaves
 * unusable (see isUsableGmm) is refitted on the TS engine (fitGmm with the seed and init the TS
 * fitter would use for it), and `onRefit` reports it. Chains whose training sets differ in size
 * (a batch with `sizes`: a filter dropped points) are fitted in groups of equal size, each group
 * batched, and come back in the batch's order.
 */
export function createTfjsGmmFitter(options: TfjsFitterOptions = {}): RefittingGmmFitter {
  const ws = new GmmWorkspace();
  const fitBatched = options.fitBatched ?? fitGmmBatched;
  let lastRefits: number[] = [];
  let fits = 0;
  return {
    get lastRefits() {
      return lastRefits;
    },
    async fit(b: GmmFitBatch): Promise<GmmModel[]> {
      const sizes = b.sizes;
      let out: { models: GmmModel[]; refits: number[] };
      if (!sizes || sizes.every((s) => s === sizes[0])) {
        out = await fitEqual({ ...b, n: sizes?.[0] ?? b.n, sizes: undefined });
      } else {
        const groups = new Map<number, number[]>();
        sizes.forEach((s, r) => {
          const g = groups.get(s);
          if (g) g.push(r);
          else groups.set(s, [r]);
        });
        out = { models: new Array<GmmModel>(sizes.length), refits: [] };
        for (const [n, idx] of groups) {
          const part = await fitEqual({
            ...b,
            n,
            sizes: undefined,
            data: idx.map((r) => b.data[r]),
            seeds: idx.map((r) => b.seeds[r]),
          });
          idx.forEach((r, j) => {
            out.models[r] = part.models[j];
          });
          for (const j of part.refits) out.refits.push(idx[j]);
        }
        out.refits.sort((x, y) => x - y);
      }
      lastRefits = out.refits;
      if (lastRefits.length > 0) options.onRefit?.(lastRefits.slice(), fits);
      fits++;
      return out.models;
    },
  };

  /** Fits a batch whose chains all have b.n points. */
  async function fitEqual(b: GmmFitBatch): Promise<{ models: GmmModel[]; refits: number[] }> {
    const R = b.data.length;
    const { n, d, k } = b;
    const init = b.init ?? 'kmeans++';
    const data = new Float64Array(R * n * d);
    const weights = new Float64Array(R * k);
    const means = new Float64Array(R * k * d);
    const covariances = new Float64Array(R * k * d * d);
    for (let r = 0; r < R; r++) {
      data.set(b.data[r].subarray(0, n * d), r * n * d);
      const m = initialModel(b.data[r], n, d, k, init, b.regCovar, createRng(b.seeds[r]), ws);
      weights.set(m.weights, r * k);
      means.set(m.means, r * k * d);
      covariances.set(m.covariances, r * k * d * d);
    }
    const res = await fitBatched({
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
    const models: GmmModel[] = Array.from({ length: R }, (_, r) => ({
      k,
      d,
      weights: res.weights.slice(r * k, (r + 1) * k),
      means: res.means.slice(r * k * d, (r + 1) * k * d),
      covariances: res.covariances.slice(r * k * d * d, (r + 1) * k * d * d),
    }));
    const refits: number[] = [];
    for (let r = 0; r < R; r++) {
      if (isUsableGmm(models[r])) continue;
      models[r] = fitGmm(b.data[r], n, d, {
        components: k,
        tol: b.tol,
        maxIter: b.maxIter,
        regCovar: b.regCovar,
        init,
        rng: createRng(b.seeds[r]),
        workspace: ws,
      }).model;
      refits.push(r);
    }
    return { models, refits };
  }
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
): RefittingGmmFitter & { markLost(why: string): void } {
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
    get lastRefits() {
      return (inner as Partial<RefittingGmmFitter>).lastRefits ?? [];
    },
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

export type GmmEngine = 'ts' | 'tfjs';

/** Why the auto fitter reports a choice. */
export interface AutoChoiceInfo {
  /**
   * The first generation (fit call, 0-based) whose results come from `engine` as the chosen one:
   * the next generation after a probe or a re-timing, this one when tfjs failed while in use.
   */
  generation: number;
  /**
   * 'probe': the first choice, after timing both engines on the first generations; 'faster': a
   * re-timing found the other engine clearly faster; 'failed': the tfjs engine threw or left
   * chains that had to be refitted (while in use, or while being re-timed), and the TS engine
   * keeps every later generation.
   */
  reason: 'probe' | 'faster' | 'failed';
  /** True when the engine in use changed (always, except for the first choice). */
  switched: boolean;
}

/** Reports auto's choices: the engine now in use and the latest ms per generation of each. */
export type AutoChoiceCallback = (
  engine: GmmEngine,
  tsMs: number,
  tfjsMs: number,
  info: AutoChoiceInfo,
) => void;

export interface AutoFitterOptions {
  /** Clock in ms (default performance.now); tests inject a fake one. */
  now?: () => number;
  /** The TS engine (default createTsGmmFitter()). */
  ts?: GmmFitter;
  /**
   * Generations fitted by both engines at the start (default 3). The first one's tfjs time
   * includes compiling kernels, so the choice compares the sums over the others (when there are).
   */
  probeGenerations?: number;
  /** Generations between re-timings of the engine not in use (default 25). */
  recheckEvery?: number;
  /** A re-timing that does not switch doubles the interval, up to this (default 100). */
  maxRecheckEvery?: number;
  /** The other engine must be faster by this share to be taken (default 0.2). */
  hysteresis?: number;
  /**
   * Re-time early when the engine in use has grown this many times slower than the other's last
   * time (default 1.5), but not within `minRecheckGap` generations of the last re-timing (5).
   */
  recheckRatio?: number;
  minRecheckGap?: number;
}

/**
 * The `auto` engine. The first `probeGenerations` generations are fitted by both engines and
 * timed, and the TS engine's results are returned; then the faster engine is used (tfjs only if it
 * is faster by the hysteresis: the TS engine is the float64 reference). The engine in use is timed
 * on every generation (an exponential average); every `recheckEvery` generations, or sooner when
 * the engine in use has slowed to `recheckRatio` times the other's last time, the other engine
 * also fits that generation (its results are discarded) and takes over if it was faster by the
 * hysteresis on the same data. A tfjs fit that throws or returns chains it had to refit (or
 * unusable ones) marks tfjs failed: the TS engine fits that generation and every later one.
 *
 * Each generation's results come from one engine, so a run is deterministic given the sequence of
 * engines; but that sequence depends on timings, so under `auto` the numbers may differ between
 * runs within float32-vs-float64 tolerance (choose `ts` or `tfjs` for reproducible numbers).
 */
export function createAutoGmmFitter(
  tfjsFitter: GmmFitter,
  onChoice: AutoChoiceCallback,
  options: AutoFitterOptions = {},
): GmmFitter {
  const now = options.now ?? (() => performance.now());
  const ts = options.ts ?? createTsGmmFitter();
  const probe = Math.max(1, options.probeGenerations ?? 3);
  const baseEvery = Math.max(1, options.recheckEvery ?? 25);
  const maxEvery = Math.max(baseEvery, options.maxRecheckEvery ?? 100);
  const hysteresis = options.hysteresis ?? 0.2;
  const recheckRatio = options.recheckRatio ?? 1.5;
  const minGap = options.minRecheckGap ?? 5;
  const fitters: Record<GmmEngine, GmmFitter> = { ts, tfjs: tfjsFitter };
  const other = (e: GmmEngine): GmmEngine => (e === 'ts' ? 'tfjs' : 'ts');

  let gen = 0;
  let inUse: GmmEngine | null = null;
  let tfjsFailed = false;
  /** Latest ms per generation of each engine (the in-use one's an exponential average). */
  const ms: Record<GmmEngine, number> = { ts: Number.NaN, tfjs: Number.NaN };
  const probeMs: Record<GmmEngine, number[]> = { ts: [], tfjs: [] };
  let lastCheck = 0;
  let every = baseEvery;

  const timed = async (e: GmmEngine, b: GmmFitBatch) => {
    const t0 = now();
    const models = await fitters[e].fit(b);
    return { models, ms: now() - t0 };
  };
  /** Fits with tfjs; null when it failed (threw, refitted chains, or left unusable ones). */
  const tryTfjs = async (b: GmmFitBatch) => {
    try {
      const r = await timed('tfjs', b);
      const refits = (tfjsFitter as Partial<RefittingGmmFitter>).lastRefits ?? [];
      if (refits.length > 0 || !r.models.every(isUsableGmm)) return null;
      return r;
    } catch {
      return null;
    }
  };
  const report = (reason: AutoChoiceInfo['reason'], switched: boolean, from = gen + 1) =>
    onChoice(inUse as GmmEngine, ms.ts, ms.tfjs, { generation: from, reason, switched });

  const fitProbe = async (b: GmmFitBatch): Promise<GmmModel[]> => {
    const t = await timed('ts', b);
    probeMs.ts.push(t.ms);
    const f = await tryTfjs(b);
    if (f === null) {
      // tfjs failed before any choice: the first choice is TS, for good.
      ms.ts = t.ms;
      tfjsFailed = true;
      inUse = 'ts';
      report('failed', false);
      return t.models;
    }
    probeMs.tfjs.push(f.ms);
    if (gen === probe - 1) {
      // Skip generation 0 (tfjs compiles its kernels there) when later ones were timed.
      const from = probe > 1 ? 1 : 0;
      const sum = (a: number[]) => a.slice(from).reduce((x, y) => x + y, 0) / (a.length - from);
      ms.ts = sum(probeMs.ts);
      ms.tfjs = sum(probeMs.tfjs);
      inUse = ms.tfjs * (1 + hysteresis) < ms.ts ? 'tfjs' : 'ts';
      lastCheck = gen;
      report('probe', false);
    }
    return t.models;
  };

  const fitRunning = async (b: GmmFitBatch): Promise<GmmModel[]> => {
    const engine = inUse as GmmEngine;
    let cur: { models: GmmModel[]; ms: number } | null;
    if (engine === 'tfjs') {
      cur = await tryTfjs(b);
      if (cur === null) {
        // The TS engine fits this generation again and keeps every later one.
        tfjsFailed = true;
        cur = await timed('ts', b);
        ms.ts = cur.ms;
        inUse = 'ts';
        report('failed', true, gen);
        return cur.models;
      }
    } else {
      cur = await timed('ts', b);
    }
    const thisMs = cur.ms;
    ms[engine] = Number.isFinite(ms[engine]) ? 0.7 * ms[engine] + 0.3 * thisMs : thisMs;
    const alt = other(engine);
    const due =
      gen - lastCheck >= every ||
      (gen - lastCheck >= minGap && ms[engine] > recheckRatio * ms[alt]);
    if (!tfjsFailed && due) {
      lastCheck = gen;
      const o = alt === 'tfjs' ? await tryTfjs(b) : await timed('ts', b);
      if (o === null) {
        // Never taken, never timed again; reported so that a badge can say so.
        tfjsFailed = true;
        report('failed', false);
      } else {
        ms[alt] = o.ms;
        // Compare on the same data: this generation's time of the engine in use.
        if (o.ms * (1 + hysteresis) < thisMs) {
          ms[engine] = thisMs;
          inUse = alt;
          every = baseEvery;
          report('faster', true);
        } else {
          every = Math.min(maxEvery, every * 2);
        }
      }
    }
    return cur.models;
  };

  return {
    async fit(b) {
      try {
        return inUse === null ? await fitProbe(b) : await fitRunning(b);
      } finally {
        gen++;
      }
    },
  };
}

/** One line for the badge or the CLI about an auto choice (`tfLabel`: the tfjs backend's name). */
export function describeAutoChoice(
  engine: GmmEngine,
  tsMs: number,
  tfjsMs: number,
  info: AutoChoiceInfo,
  tfLabel: string,
): string {
  const fmt = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : '–');
  const times = `TypeScript ${fmt(tsMs)}, ${tfLabel} ${fmt(tfjsMs)} per generation`;
  const name = engine === 'ts' ? 'TypeScript engine' : `batched EM on ${tfLabel}`;
  if (info.reason === 'failed')
    return `TypeScript engine from generation ${info.generation}: batched EM on ${tfLabel} failed (an error, or chains that went non-finite)`;
  if (info.reason === 'faster')
    return `${name} from generation ${info.generation}, faster now (${times})`;
  return `${name}, faster over the first generations (${times}); re-timed as the run goes`;
}
