// The mitigations of the one loop (src/core/generation/mitigations.ts, applyMitigations.ts)
// with the 1-D Gaussian family: the synthetic-share schedule, the watermark filter (flag counts,
// a perfect filter, starved generations), curation by the model's own likelihood or a verifier,
// and recipes without mitigations left exactly as they were.
//
// Simulation budget: a few million normals. Seeds are fixed, so every check is deterministic;
// statistical checks allow 4 standard errors (stated beside each).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runChains, simulate } from '../../../../src/core/generation/loop';
import {
  candidateCount,
  effectiveSyntheticShare,
  syntheticCountAt,
  syntheticShareAt,
  verifierScores,
} from '../../../../src/core/generation/mitigations';
import {
  type GenerationPart,
  type GenerationResult,
  REAL,
} from '../../../../src/core/generation/types';
import { syntheticCount } from '../../../../src/core/mixing';
import { type GaussianShown, gaussianFamily } from '../../../../src/core/models/gaussian1d/family';
import type { GaussianMetric } from '../../../../src/core/models/gaussian1d/spec';
import { type GaussianRecipe, parseRecipe } from '../../../../src/core/recipe';
import { createRng, Stream } from '../../../../src/core/rng';
import { collect, realOf, sampleOf, syntheticOf } from './helpers';

type Result = GenerationResult<GaussianMetric, GaussianShown>;
type Part = GenerationPart<GaussianMetric, GaussianShown>;

function recipe(fields: Record<string, unknown>): GaussianRecipe {
  const r = parseRecipe(fields);
  if (!r.ok) throw new Error(r.error);
  expect(r.warnings).toEqual([]);
  return r.recipe as GaussianRecipe;
}

function run(fields: Record<string, unknown>): Promise<Result[]> {
  const r = recipe(fields);
  return collect(simulate(r, gaussianFamily(r)));
}

function parts(fields: Record<string, unknown>): Promise<Part[]> {
  const r = recipe(fields);
  return collect(runChains(r, gaussianFamily(r)));
}

/** Mean and standard error of the mean. */
function meanSe(xs: ArrayLike<number>): { mean: number; se: number } {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const m = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i] - m) ** 2;
  return { mean: m, se: Math.sqrt(v / (n - 1) / n) };
}

/** |observed − n·p| within 4 binomial standard errors. */
function expectBinomial(observed: number, n: number, p: number, what: string) {
  const se = Math.sqrt(n * p * (1 - p));
  expect(
    Math.abs(observed - n * p),
    `${what}: ${observed} of ${n} at p = ${p}`,
  ).toBeLessThanOrEqual(4 * se + 1e-9);
}

const gumbel = (u: number) => -Math.log(-Math.log(u));

describe('recipes without mitigations', () => {
  it('report exactly size, synthetic and real for chain 1, and no mitigation counts', async () => {
    for (const regime of ['replace', 'accumulate', 'accumulate-subsample']) {
      const res = await run({
        samplesPerGeneration: 30,
        generations: 3,
        replicates: 3,
        syntheticFraction: 0.5,
        regime,
      });
      for (const g of res) {
        expect(Object.keys(g.chain.training).sort()).toEqual(['real', 'size', 'synthetic']);
        expect('mitigations' in g).toBe(false);
      }
    }
  });

  it('the constant schedule {from: s, to: s} gives the very numbers of syntheticFraction s', async () => {
    const base = { samplesPerGeneration: 40, generations: 10, replicates: 5, seed: 3 };
    for (const regime of ['replace', 'accumulate-subsample']) {
      const plain = await run({ ...base, regime, syntheticFraction: 0.7 });
      const sched = await run({
        ...base,
        regime,
        syntheticFraction: 0.2, // ignored: the schedule replaces it
        syntheticSchedule: { from: 0.7, to: 0.7, over: 4 },
      });
      for (let g = 0; g < plain.length; g++) {
        expect(sched[g].stats).toEqual(plain[g].stats);
        expect(sched[g].chain.sample).toEqual(plain[g].chain.sample);
        expect(sched[g].chain.training).toMatchObject(plain[g].chain.training);
      }
    }
  });
});

describe('the synthetic-share schedule', () => {
  it('ramps linearly from `from` at generation 1 to `to` at `over`, then stays', () => {
    const r = {
      samplesPerGeneration: 100,
      syntheticFraction: 1,
      syntheticSchedule: { from: 0.1, to: 0.9, over: 5 },
    };
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => syntheticCountAt(r, n))).toEqual([
      0, 10, 30, 50, 70, 90, 90, 90,
    ]);
    expect(syntheticShareAt(r, 3)).toBeCloseTo(0.5, 12);
    const down = { ...r, syntheticSchedule: { from: 1, to: 0, over: 3 } };
    expect([1, 2, 3, 4].map((n) => syntheticCountAt(down, n))).toEqual([100, 50, 0, 0]);
    const at1 = { ...r, syntheticSchedule: { from: 0.2, to: 0.6, over: 1 } };
    expect([1, 2].map((n) => syntheticCountAt(at1, n))).toEqual([60, 60]);
    // Without a schedule: the plain count, every generation.
    const plain = { samplesPerGeneration: 37, syntheticFraction: 0.5 };
    expect(syntheticCountAt(plain, 7)).toBe(syntheticCount(plain));
  });

  it("sets each generation's synthetic points in the loop, for every chain", async () => {
    const sched = { from: 0.1, to: 0.9, over: 5 };
    const want = [0, 10, 30, 50, 70, 90, 90, 90];
    const res = await run({
      samplesPerGeneration: 100,
      generations: 7,
      replicates: 4,
      syntheticSchedule: sched,
    });
    expect(res.map((g) => g.chain.training.synthetic)).toEqual(want);
    expect(res.map((g) => g.chain.training.drawnSynthetic)).toEqual(want);
    expect(res.map((g) => g.mitigations?.drawnSynthetic)).toEqual(want.map((k) => 4 * k));
    for (const g of res) {
      expect(g.chain.training.size).toBe(100);
      expect(syntheticOf(g.chain.sample)).toHaveLength(g.chain.training.synthetic);
    }
    // Under accumulate the pool adds each generation's count.
    const acc = await run({
      samplesPerGeneration: 100,
      generations: 7,
      replicates: 2,
      regime: 'accumulate',
      syntheticSchedule: sched,
    });
    let total = 0;
    acc.forEach((g, n) => {
      total += want[n];
      expect(g.chain.training).toMatchObject({ size: 100 * (n + 1), synthetic: total });
    });
  });
});

describe('the watermark filter', () => {
  it('flags synthetic points at TPR and real points at FPR (within 4 binomial SEs), from generation 1', async () => {
    const tpr = 0.7;
    const fpr = 0.2;
    const res = await run({
      samplesPerGeneration: 200,
      generations: 10,
      replicates: 40,
      syntheticFraction: 0.6,
      filter: { truePositiveRate: tpr, falsePositiveRate: fpr },
    });
    // Generation 0 is fitted to M real points: nothing is filtered.
    expect(res[0].mitigations).toEqual({
      chains: 40,
      drawnSynthetic: 0,
      drawnReal: 8000,
      flaggedSynthetic: 0,
      flaggedReal: 0,
      starved: 0,
    });
    expect(res[0].chain.training.size).toBe(200);
    let s = 0;
    let fs = 0;
    let r = 0;
    let fr = 0;
    for (const g of res.slice(1)) {
      const t = g.mitigations;
      if (!t) throw new Error('no mitigation counts');
      expect(t.drawnSynthetic).toBe(40 * 120);
      expect(t.drawnReal).toBe(40 * 80);
      s += t.drawnSynthetic;
      fs += t.flaggedSynthetic;
      r += t.drawnReal;
      fr += t.flaggedReal;
      // Chain 1: what reached training is what the filter left.
      const c = g.chain.training;
      expect(c.drawnSynthetic).toBe(120);
      expect(c.drawnReal).toBe(80);
      expect(c.synthetic).toBe(120 - (c.flaggedSynthetic ?? Number.NaN));
      expect(c.real).toBe(80 - (c.flaggedReal ?? Number.NaN));
      expect(c.size).toBe(c.synthetic + c.real);
      expect(c.syntheticShare).toBe(c.synthetic / c.size);
      expect(sampleOf(g.chain.sample).origin).toHaveLength(c.size);
      expect(syntheticOf(g.chain.sample)).toHaveLength(c.synthetic);
    }
    expectBinomial(fs, s, tpr, 'synthetic flagged');
    expectBinomial(fr, r, fpr, 'real flagged');
    // The effective share over the run is s(1 − t) / (s(1 − t) + (1 − s)(1 − f)) ≈ 0.36.
    const share = effectiveSyntheticShare(res[5].mitigations ?? (undefined as never));
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.42);
  });

  it('flags with its own stream: the same filter on another share draws the same flags point by point', async () => {
    // Every new point draws one uniform from the chain's filter stream, so a filter with TPR = FPR
    // flags the same positions whatever their provenance.
    const flags = async (syntheticFraction: number) =>
      (
        await run({
          samplesPerGeneration: 50,
          generations: 4,
          replicates: 3,
          syntheticFraction,
          filter: { truePositiveRate: 0.3, falsePositiveRate: 0.3 },
        })
      ).map((g) => (g.chain.training.flaggedSynthetic ?? 0) + (g.chain.training.flaggedReal ?? 0));
    expect(await flags(0.2)).toEqual(await flags(0.9));
  });

  it('a perfect filter (TPR 1, FPR 0) leaves exactly the real points: each chain equals one fitted to them alone', async () => {
    const M = 50;
    const k = 30;
    const r = recipe({
      samplesPerGeneration: M,
      generations: 15,
      replicates: 8,
      seed: 5,
      syntheticFraction: k / M,
      filter: { truePositiveRate: 1, falsePositiveRate: 0 },
    });
    const family = gaussianFamily(r);
    const got = await collect(runChains(r, family));
    for (let c = 0; c < r.replicates; c++) {
      // The chain's real stream alone: M points at generation 0, M − k at each later one (the
      // synthetic points come from their own stream and the flags from the filter stream, so
      // neither moves the real draws).
      const real = createRng(r.seed, c, Stream.real);
      let previous = null;
      for (let gen = 0; gen <= r.generations; gen++) {
        const n = gen === 0 ? M : M - k;
        const x = new Float64Array(n);
        for (let i = 0; i < n; i++) x[i] = real.normal();
        const set = { values: x, origin: new Int16Array(n).fill(REAL), size: n, width: 1 };
        const model = family.fit?.(set, previous, null) as { mean: number; std: number };
        expect(got[gen].values.std[c], `chain ${c}, generation ${gen}`).toBe(model.std);
        expect(got[gen].values.mean[c]).toBe(model.mean);
        previous = model;
      }
    }
    // Chain 1 trained on real points only: exactly the ones its real stream drew.
    for (const g of got.slice(1)) {
      const s = sampleOf(g.chain?.sample ?? null);
      expect(s.origin.every((o) => o === REAL)).toBe(true);
      expect(g.chain?.training).toMatchObject({ size: M - k, synthetic: 0, real: M - k });
      expect(g.chain?.training.flaggedSynthetic).toBe(k);
    }
    const real = createRng(r.seed, 0, Stream.real);
    const first = Float32Array.from({ length: M + M - k }, () => real.normal()).subarray(M);
    expect(realOf(got[1].chain?.sample ?? null)).toEqual(first);
  });

  it('starves a generation with too few points left: the chain keeps its model and the result says so', async () => {
    // All synthetic and all flagged: nothing is left after generation 0.
    const res = await parts({
      samplesPerGeneration: 10,
      generations: 6,
      replicates: 5,
      filter: { truePositiveRate: 1, falsePositiveRate: 0 },
    });
    for (const g of res.slice(1)) {
      expect(g.chain?.training).toEqual({
        size: 0,
        synthetic: 0,
        real: 0,
        drawnSynthetic: 10,
        drawnReal: 0,
        flaggedSynthetic: 10,
        flaggedReal: 0,
        syntheticShare: null,
        starved: true,
      });
      expect(g.mitigations?.starved).toBe(5);
      expect(g.values).toEqual(res[0].values);
    }
    expect(res[0].chain?.training.starved).toBeUndefined();
  });

  it('never starves an accumulating chain (its pool holds generation 0), on the moments fast path too', async () => {
    for (const regime of ['accumulate', 'accumulate-subsample']) {
      const res = await parts({
        samplesPerGeneration: 20,
        generations: 5,
        replicates: 4,
        regime,
        syntheticFraction: 0.5,
        filter: { truePositiveRate: 1, falsePositiveRate: 0.2 },
      });
      for (const g of res.slice(1)) {
        expect(g.mitigations?.starved, regime).toBe(0);
        // Every chain refits: the new real points move its model.
        for (let c = 0; c < 4; c++) expect(g.values.mean[c]).not.toBe(res[0].values.mean[c]);
      }
    }
  });

  it('starves exactly the generations left with fewer than 2 points (Gaussian), and only those', async () => {
    // 8 synthetic points all flagged, 2 real ones each flagged with p = 0.4: the set has fewer
    // than 2 points with p = 1 − 0.6² = 0.64.
    const res = await parts({
      samplesPerGeneration: 10,
      generations: 300,
      replicates: 1,
      seed: 2,
      syntheticFraction: 0.8,
      filter: { truePositiveRate: 1, falsePositiveRate: 0.4 },
    });
    let starved = 0;
    for (let n = 1; n < res.length; n++) {
      const t = res[n].chain?.training;
      const same = res[n].values.std[0] === res[n - 1].values.std[0];
      expect(t?.starved === true, `generation ${n}`).toBe((t?.size ?? 0) < 2);
      expect(same, `generation ${n}`).toBe(t?.starved === true);
      expect(res[n].values.mean[0] === res[n - 1].values.mean[0]).toBe(same);
      if (t?.starved) starved++;
    }
    expectBinomial(starved, 300, 0.64, 'starved generations');
  });
});

describe('curation', () => {
  const M = 100;

  it('draws ceil(k / keep) candidates for the k synthetic points', async () => {
    expect(candidateCount(50, 0.3)).toBe(167);
    expect(candidateCount(21, 0.7)).toBe(30); // 21 / 0.7 is 30.000000000000004 in floats
    expect(candidateCount(0, 0.5)).toBe(0);
    const res = await run({
      samplesPerGeneration: M,
      generations: 2,
      replicates: 2,
      syntheticFraction: 0.5,
      curation: { keep: 0.3, by: 'model' },
    });
    expect(res.map((g) => g.chain.training.candidates)).toEqual([0, 167, 167]);
    expect(res[1].chain.training).toMatchObject({ size: M, synthetic: 50, real: 50 });
  });

  it('by the model keeps the k candidates the model finds likeliest (the closest to its mean), in draw order', async () => {
    const r = recipe({
      samplesPerGeneration: M,
      generations: 1,
      replicates: 1,
      seed: 9,
      syntheticFraction: 0.6,
      temperature: 0.8,
      curation: { keep: 0.4, by: 'model' },
    });
    const res = await collect(runChains(r, gaussianFamily(r)));
    const mu = res[0].values.mean[0];
    const sd = res[0].values.std[0] * Math.sqrt(0.8);
    const synth = createRng(r.seed, 0, Stream.synthetic);
    const c = candidateCount(60, 0.4);
    const cand = Array.from({ length: c }, () => mu + sd * synth.normal());
    const byDistance = cand
      .map((_, i) => i)
      .sort((a, b) => Math.abs(cand[a] - mu) - Math.abs(cand[b] - mu));
    const kept = byDistance
      .slice(0, 60)
      .sort((a, b) => a - b)
      .map((i) => cand[i]);
    expect(syntheticOf(res[1].chain?.sample ?? null)).toEqual(Float32Array.from(kept));
  });

  it('by a verifier of accuracy 0 keeps a uniformly random subset: the top k of independent Gumbels', async () => {
    const r = recipe({
      samplesPerGeneration: M,
      generations: 1,
      replicates: 1,
      seed: 4,
      syntheticFraction: 0.5,
      curation: { keep: 0.5, by: 'verifier', accuracy: 0 },
    });
    const res = await collect(runChains(r, gaussianFamily(r)));
    const { mean: mu, std: sd } = { mean: res[0].values.mean[0], std: res[0].values.std[0] };
    const synth = createRng(r.seed, 0, Stream.synthetic);
    const cur = createRng(r.seed, 0, Stream.curation);
    const cand = Array.from({ length: 100 }, () => mu + sd * synth.normal());
    const g = cand.map(() => gumbel(cur.uniform()));
    const top = cand
      .map((_, i) => i)
      .sort((a, b) => g[b] - g[a] || a - b)
      .slice(0, 50)
      .sort((a, b) => a - b);
    expect(syntheticOf(res[1].chain?.sample ?? null)).toEqual(
      Float32Array.from(top.map((i) => cand[i])),
    );
  });

  it("scores a verifier's candidates a·log(p_real/p_model) + Gumbel, so it keeps each with probability ∝ (p_real/p_model)^a", () => {
    // Exactly, by replaying the stream.
    const lr = Float64Array.from([0.5, -1, 2, Number.NaN]);
    const rng = createRng(77);
    const replay = createRng(77);
    const scores = lr.slice();
    verifierScores(scores, 4, 0.6, rng);
    const want = [0.3, -0.6, 1.2, 0].map((x) => x + gumbel(replay.uniform()));
    expect(Array.from(scores)).toEqual(want);
    // Gumbel-top-1 of two candidates with odds 3 : 1 keeps the first with probability 3^a/(3^a + 1)
    // (within 4 binomial SEs of 40,000 trials, SE ≈ 0.0024).
    for (const a of [1, 0.5, 0]) {
      const trials = 40_000;
      const u = createRng(5, Math.round(a * 10));
      const s = new Float64Array(2);
      let first = 0;
      for (let t = 0; t < trials; t++) {
        s[0] = Math.log(3);
        s[1] = 0;
        verifierScores(s, 2, a, u);
        if (s[0] > s[1]) first++;
      }
      expectBinomial(first, trials, 3 ** a / (3 ** a + 1), `a = ${a}`);
    }
  });

  it("shrinks σ faster by the model's own likelihood, slower with a perfect verifier, as without curation with a blind one", async () => {
    // E[σ²] after 30 generations of M = 100, all synthetic, keep 0.5, over 500 chains; each
    // comparison needs the difference of the means beyond 4 standard errors of the difference.
    const base = { samplesPerGeneration: M, generations: 30, replicates: 500, seed: 21 };
    const last = async (curation?: Record<string, unknown>) => {
      const p = await parts({ ...base, ...(curation ? { curation } : {}) });
      return meanSe(p[p.length - 1].values.variance);
    };
    const none = await last();
    const model = await last({ keep: 0.5, by: 'model' });
    const perfect = await last({ keep: 0.5, by: 'verifier', accuracy: 1 });
    const blind = await last({ keep: 0.5, by: 'verifier', accuracy: 0 });
    const se = (a: { se: number }, b: { se: number }) => Math.sqrt(a.se ** 2 + b.se ** 2);
    expect(none.mean - model.mean).toBeGreaterThan(4 * se(none, model));
    expect(perfect.mean - none.mean).toBeGreaterThan(4 * se(none, perfect));
    // A perfect verifier holds the variance near the real one (importance resampling).
    expect(perfect.mean).toBeGreaterThan(0.85);
    // A blind verifier keeps a uniform random subset of i.i.d. draws: i.i.d. draws again.
    expect(Math.abs(blind.mean - none.mean)).toBeLessThan(4 * se(none, blind));
  });

  it('needs the family score it ranks by', async () => {
    const r = recipe({
      samplesPerGeneration: 20,
      generations: 1,
      replicates: 1,
      curation: { keep: 0.5, by: 'verifier', accuracy: 1 },
    });
    const { realLogDensity: _, ...family } = gaussianFamily(r);
    await expect(collect(runChains(r, family))).rejects.toThrow(/realLogDensity/);
  });
});

describe('the CLI with mitigations', () => {
  const experiment = (input: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/experiment.ts', '--recipe', '-'], {
      input,
      encoding: 'utf8',
    });

  it("accepts the groups and prints chain 1's composition per generation, keeping the other keys", () => {
    const r = experiment(
      JSON.stringify({
        samplesPerGeneration: 40,
        generations: 3,
        replicates: 4,
        syntheticFraction: 0.5,
        filter: { truePositiveRate: 0.8 },
        curation: { keep: 0.5 },
      }),
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.recipe.filter).toEqual({ truePositiveRate: 0.8, falsePositiveRate: 0.05 });
    expect(out.recipe.curation).toEqual({ keep: 0.5, by: 'model', accuracy: 0.9 });
    for (const key of ['recipe', 'backend', 'elapsedMs', 'generations', 'theory', 'warnings'])
      expect(out).toHaveProperty(key);
    const g1 = out.generations[1];
    expect(Object.keys(g1.stats)).toContain('std');
    expect(g1.training).toMatchObject({ drawnSynthetic: 20, drawnReal: 20, candidates: 40 });
    expect(g1.training.size).toBe(40 - g1.training.flaggedSynthetic - g1.training.flaggedReal);
    expect(g1.mitigations.chains).toBe(4);
    expect(out.theory).toBeNull(); // no closed form with curation
  });

  it('names the sub-field of a bad group value, exit code 2', () => {
    const bad = experiment(JSON.stringify({ filter: { truePositiveRate: 'high' } }));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: filter\.truePositiveRate: expected a number, got "high"/);
    const unknown = experiment(JSON.stringify({ curation: { keep: 0.5, best: true } }));
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: curation\.best: unknown field of curation/);
  });
});
