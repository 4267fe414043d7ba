// The GMM fitters around the batched EM: the refit of unusable chains on the TS engine, and the
// `auto` engine's timing decisions (fake fitters on a fake clock: no wall-clock assertions).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  emptyGmm,
  type GmmModel,
  GmmWorkspace,
  initialModel,
} from '../../../../../src/core/mixture';
import {
  createTsGmmFitter,
  type GmmFitBatch,
  type GmmFitter,
} from '../../../../../src/core/models/gmm/fitter';
import { realDistribution } from '../../../../../src/core/realDistributions';
import { createRng } from '../../../../../src/core/rng';
import { type BatchedEmInput, fitGmmBatched } from '../../../../../src/engine/models/gmm/batchedEm';
import {
  type AutoChoiceInfo,
  createAutoGmmFitter,
  createTfjsGmmFitter,
  type GmmEngine,
  isUsableGmm,
} from '../../../../../src/engine/models/gmm/fitters';

/** A batch of R chains of n points from a real distribution (seeds as the loop draws them). */
function batch(dist: 'grid25' | 'ring8' | 'bimodal1d', R: number, n: number, k: number) {
  const real = realDistribution(dist);
  return {
    data: Array.from({ length: R }, (_, r) => real.sample(n, createRng(31, r))),
    n,
    d: real.d,
    k,
    tol: 1e-3,
    maxIter: 100,
    regCovar: 1e-6,
    seeds: Array.from({ length: R }, (_, r) => createRng(32, r).int(4294967296)),
    init: 'kmeans++' as const,
  } satisfies GmmFitBatch;
}

/**
 * A collapsed training set: 80 % of the points are exact copies of 6 points on the grid25
 * layout, the rest singletons; with K = 25 many components hold one point or a pile of copies.
 */
function collapsed(seed: number, n: number, d: 1 | 2): Float64Array {
  const jitter = createRng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const dup = i < 0.8 * n;
    const where = createRng(seed, dup ? i % 6 : 6 + i);
    for (let a = 0; a < d; a++)
      x[i * d + a] =
        (where.int(5) - 2) * 2 + 0.2 * where.normal() + (dup ? 0 : 1e-3 * jitter.normal());
  }
  return x;
}

function chainModel(
  res: { weights: Float64Array; means: Float64Array; covariances: Float64Array },
  r: number,
  K: number,
  d: number,
): GmmModel {
  return {
    k: K,
    d,
    weights: res.weights.slice(r * K, (r + 1) * K),
    means: res.means.slice(r * K * d, (r + 1) * K * d),
    covariances: res.covariances.slice(r * K * d * d, (r + 1) * K * d * d),
  };
}

describe('isUsableGmm', () => {
  it('accepts a proper mixture and rejects NaN, negative variances and non-positive-definite covariances', () => {
    const m = emptyGmm(2, 2);
    m.weights.set([0.5, 0.5]);
    m.covariances.set([1, 0.5, 0.5, 1, 2, 0, 0, 2]);
    expect(isUsableGmm(m)).toBe(true);
    const bad = (f: (x: GmmModel) => void) => {
      const c = {
        ...m,
        weights: m.weights.slice(),
        means: m.means.slice(),
        covariances: m.covariances.slice(),
      };
      f(c);
      return isUsableGmm(c);
    };
    expect(bad((c) => (c.means[3] = Number.NaN))).toBe(false);
    expect(bad((c) => (c.weights[0] = Number.NaN))).toBe(false);
    expect(bad((c) => (c.covariances[3] = -1e-9))).toBe(false);
    expect(bad((c) => c.covariances.set([1, 1.5, 1.5, 1], 0))).toBe(false); // det < 0
    expect(bad((c) => (c.covariances[4] = Number.POSITIVE_INFINITY))).toBe(false);
  });
});

describe.each(['cpu', 'wasm'])('the tfjs fitter on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  it.each([
    [1, 1e-6],
    [2, 1e-6],
    [1, 0],
    [2, 0],
  ] as const)(
    'keeps collapsed components finite and positive definite (d = %i, regCovar = %s)',
    async (d, reg) => {
      // Before the float32 floors most of these chains came back NaN.
      const R = 8;
      const n = 200;
      const K = 25;
      const data = new Float64Array(R * n * d);
      const weights = new Float64Array(R * K);
      const means = new Float64Array(R * K * d);
      const covariances = new Float64Array(R * K * d * d);
      const ws = new GmmWorkspace();
      for (let r = 0; r < R; r++) {
        const x = collapsed(100 + r, n, d);
        data.set(x, r * n * d);
        const m = initialModel(x, n, d, K, 'kmeans++', reg, createRng(7, r), ws);
        weights.set(m.weights, r * K);
        means.set(m.means, r * K * d);
        covariances.set(m.covariances, r * K * d * d);
      }
      const res = await fitGmmBatched({
        data,
        R,
        n,
        d,
        K,
        init: { weights, means, covariances },
        tol: 1e-3,
        maxIter: 100,
        regCovar: reg,
      });
      for (let r = 0; r < R; r++) {
        expect(isUsableGmm(chainModel(res, r, K, d))).toBe(true);
        expect(Number.isFinite(res.logLikelihood[r])).toBe(true);
      }
    },
    60_000,
  );

  it('refits on the TS engine, with its seed and init, the chains the batched EM leaves non-finite, and reports them', async () => {
    const b = batch('grid25', 4, 300, 25);
    const poisoned = [1, 3];
    const calls: { chains: number[]; fit: number }[] = [];
    const fitter = createTfjsGmmFitter({
      // An inner fit that leaves chains 1 and 3 NaN (a mean) and not positive definite (det < 0).
      fitBatched: async (input: BatchedEmInput) => {
        const res = await fitGmmBatched(input);
        const kd = input.K * input.d;
        res.means[1 * kd + 5] = Number.NaN;
        const q = (3 * input.K + 2) * 4;
        res.covariances[q + 1] = res.covariances[q + 2] =
          2 * Math.sqrt(res.covariances[q] * res.covariances[q + 3]);
        return res;
      },
      onRefit: (chains, fit) => calls.push({ chains, fit }),
    });
    const models = await fitter.fit(b);
    expect(models.every(isUsableGmm)).toBe(true);
    expect(calls).toEqual([{ chains: poisoned, fit: 0 }]);
    expect(fitter.lastRefits).toEqual(poisoned);
    // The refitted chains are exactly what the TS fitter gives them.
    const ts = await createTsGmmFitter().fit(b);
    for (const r of poisoned) {
      expect(Array.from(models[r].means)).toEqual(Array.from(ts[r].means));
      expect(Array.from(models[r].covariances)).toEqual(Array.from(ts[r].covariances));
      expect(Array.from(models[r].weights)).toEqual(Array.from(ts[r].weights));
    }
    // The others are the batched EM's (float32: close to the TS fit, not equal to it).
    expect(Array.from(models[0].means)).not.toEqual(Array.from(ts[0].means));
    // A clean fit refits nothing and reports nothing; the fit index counts on.
    const clean = createTfjsGmmFitter({ onRefit: (chains, fit) => calls.push({ chains, fit }) });
    await clean.fit(b);
    expect(clean.lastRefits).toEqual([]);
    expect(calls).toHaveLength(1);
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------
// The auto engine, with fake fitters on a fake clock.

/** A fake clock and two fake engines whose cost per generation is scripted. */
function rig(cost: Record<GmmEngine, (gen: number) => number>) {
  let t = 0;
  const calls: Record<GmmEngine, number[]> = { ts: [], tfjs: [] };
  let gen = 0;
  const failures = new Map<number, 'throw' | 'nan' | 'refit'>();
  let refits: number[] = [];
  const model = (tag: number): GmmModel => {
    const m = emptyGmm(1, 1);
    m.weights[0] = 1;
    m.means[0] = tag;
    m.covariances[0] = 1;
    return m;
  };
  const engine = (e: GmmEngine): GmmFitter & { lastRefits?: number[] } => ({
    get lastRefits() {
      return e === 'tfjs' ? refits : undefined;
    },
    async fit(b: GmmFitBatch) {
      calls[e].push(gen);
      t += cost[e](gen);
      refits = [];
      const f = e === 'tfjs' ? failures.get(gen) : undefined;
      if (f === 'throw') throw new Error('kernel failed');
      // Results tagged with the engine and generation: mean = ±(gen + 1).
      const tag = (e === 'ts' ? 1 : -1) * (gen + 1);
      const out = b.data.map(() => model(tag));
      if (f === 'nan') out[0].means[0] = Number.NaN;
      if (f === 'refit') refits = [0];
      return out;
    },
  });
  const choices: { engine: GmmEngine; info: AutoChoiceInfo }[] = [];
  const ts = engine('ts');
  const auto = createAutoGmmFitter(
    engine('tfjs'),
    (e, _tsMs, _tfjsMs, info) => choices.push({ engine: e, info }),
    { now: () => t, ts },
  );
  const b: GmmFitBatch = {
    data: [new Float64Array(4)],
    n: 4,
    d: 1,
    k: 1,
    tol: 1e-3,
    maxIter: 10,
    regCovar: 1e-6,
    seeds: [1],
  };
  /** Runs generations up to `last`; returns which engine's results came back for each. */
  const run = async (last: number) => {
    const used: GmmEngine[] = [];
    for (; gen <= last; gen++) {
      const [m] = await auto.fit(b);
      expect(Math.abs(m.means[0])).toBe(gen + 1); // this generation's results, not stale ones
      used.push(m.means[0] > 0 ? 'ts' : 'tfjs');
    }
    return used;
  };
  return { run, calls, choices, failures };
}

/** Generations at which `used` changes engine. */
const switchesIn = (used: GmmEngine[]) =>
  used.flatMap((e, g) => (g > 0 && e !== used[g - 1] ? [g] : []));

describe('the auto engine', () => {
  it('times both engines over the first 3 generations, returns the TS results meanwhile, then keeps the clearly faster', async () => {
    const r = rig({ ts: () => 100, tfjs: (g) => (g === 0 ? 5000 : 40) });
    const used = await r.run(10);
    expect(r.calls.tfjs.slice(0, 3)).toEqual([0, 1, 2]);
    expect(used.slice(0, 3)).toEqual(['ts', 'ts', 'ts']);
    expect(used.slice(3)).toEqual(Array(8).fill('tfjs'));
    // Generation 0's compile-heavy tfjs time is left out of the choice.
    expect(r.choices).toEqual([
      { engine: 'tfjs', info: { generation: 3, reason: 'probe', switched: false } },
    ]);
  });

  it('switches to the other engine when a periodic re-timing finds it clearly faster', async () => {
    // tfjs is slower at first, 4× faster from generation 60 on (a collapsed mixture converges in
    // fewer iterations, say).
    const r = rig({ ts: () => 100, tfjs: (g) => (g < 60 ? 300 : 25) });
    const used = await r.run(300);
    expect(used[3]).toBe('ts');
    const sw = switchesIn(used);
    expect(sw).toHaveLength(1);
    // Found at the first re-timing after generation 60: re-timings are at most 100 apart.
    expect(sw[0]).toBeGreaterThan(60);
    expect(sw[0]).toBeLessThanOrEqual(160);
    expect(r.choices.map((c) => [c.engine, c.info.reason, c.info.switched])).toEqual([
      ['ts', 'probe', false],
      ['tfjs', 'faster', true],
    ]);
    expect(r.choices[1].info.generation).toBe(sw[0]);
    // The other engine is re-timed now and then, not every generation.
    const tfjsBefore = r.calls.tfjs.filter((g) => g >= 3 && g < sw[0]).length;
    expect(tfjsBefore).toBeGreaterThan(0);
    expect(tfjsBefore).toBeLessThan(8);
  });

  it('re-times early when the engine in use slows down well past the other, and switches back', async () => {
    // tfjs wins at first; from generation 40 it takes 10× longer per generation.
    const r = rig({ ts: () => 100, tfjs: (g) => (g < 40 ? 20 : 1000) });
    const used = await r.run(80);
    const sw = switchesIn(used);
    expect(used[10]).toBe('tfjs');
    expect(sw[sw.length - 1]).toBeGreaterThan(40);
    // Not after a periodic interval (25 generations or more): the slowdown triggers the re-timing.
    expect(sw[sw.length - 1]).toBeLessThanOrEqual(40 + 6);
    expect(used.slice(50)).toEqual(Array(31).fill('ts'));
  });

  it('does not flap between engines within the hysteresis', async () => {
    // tfjs is 6–15 % faster on every generation: never clearly (20 %) faster.
    const r = rig({ ts: () => 100, tfjs: (g) => 85 + (g % 10) });
    const used = await r.run(600);
    expect(switchesIn(used)).toEqual([]);
    expect(r.choices).toHaveLength(1);
    // Re-timings back off (doubling up to 100 generations): few fits of the other engine.
    expect(r.calls.tfjs.filter((g) => g >= 3).length).toBeLessThan(12);
  });

  it('does not flap when the two engines trade places by less than the hysteresis', async () => {
    // tfjs clearly wins first, then both run at nearly the same speed for a long time.
    const r = rig({ ts: (g) => (g < 3 ? 100 : 50), tfjs: (g) => (g < 3 ? 40 : 45 + (g % 3) * 5) });
    const used = await r.run(400);
    expect(used[3]).toBe('tfjs');
    expect(switchesIn(used.slice(3))).toEqual([]);
  });

  it.each(['throw', 'nan', 'refit'] as const)(
    'never keeps tfjs after it failed (%s) while in use: TS fits that generation and every later one',
    async (how) => {
      const r = rig({ ts: () => 100, tfjs: () => 10 });
      r.failures.set(30, how);
      const used = await r.run(300);
      expect(used.slice(3, 30)).toEqual(Array(27).fill('tfjs'));
      expect(used.slice(30)).toEqual(Array(271).fill('ts'));
      // tfjs is never called again, though it would be 10× faster.
      expect(r.calls.tfjs.filter((g) => g > 30)).toEqual([]);
      expect(r.choices.map((c) => [c.engine, c.info.reason, c.info.generation])).toEqual([
        ['tfjs', 'probe', 3],
        ['ts', 'failed', 30],
      ]);
    },
  );

  it('never takes tfjs after it failed while being re-timed, nor after a failure in the probe', async () => {
    const r = rig({ ts: () => 100, tfjs: (g) => (g < 3 ? 300 : 10) });
    // Generation 2 + 25 is the first periodic re-timing (after the probe's choice at 2): tfjs
    // needs a refit there.
    r.failures.set(27, 'refit');
    const used = await r.run(400);
    expect(used.every((e) => e === 'ts')).toBe(true);
    expect(r.calls.tfjs).toEqual([0, 1, 2, 27]);
    expect(r.choices.map((c) => [c.engine, c.info.reason, c.info.generation])).toEqual([
      ['ts', 'probe', 3],
      ['ts', 'failed', 28],
    ]);

    const p = rig({ ts: () => 100, tfjs: () => 1 });
    p.failures.set(1, 'nan');
    const usedP = await p.run(200);
    expect(usedP.every((e) => e === 'ts')).toBe(true);
    expect(p.calls.tfjs).toEqual([0, 1]);
    expect(p.choices.map((c) => [c.engine, c.info.reason, c.info.generation])).toEqual([
      ['ts', 'failed', 2],
    ]);
  });
});
