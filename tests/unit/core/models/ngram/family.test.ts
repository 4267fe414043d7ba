// The language model on the one generation loop, on the shipped text: Wright–Fisher theory
// against simulation, collapse under synthetic data and none under real data, truncation speeding
// it, reproducibility, and recipes.
import { describe, expect, it } from 'vitest';
import { runChains, simulate } from '../../../../../src/core/generation/loop';
import type { GenerationResult } from '../../../../../src/core/generation/types';
import type { Corpus } from '../../../../../src/core/models/ngram/corpus';
import { type NgramShown, ngramFamily } from '../../../../../src/core/models/ngram/family';
import { PASSAGE } from '../../../../../src/core/models/ngram/ngram';
import type { NgramMetric } from '../../../../../src/core/models/ngram/spec';
import { ngramTheory, wrightFisherGini } from '../../../../../src/core/models/ngram/theory';
import { DEFAULT_RECIPES, parseRecipe, type RecipeFor } from '../../../../../src/core/recipe';
import { readShippedData } from '../../../../../src/engine/job/nodeJob';
import { loadCorpus } from '../../../../../src/engine/models/ngram/prepare';

type Result = GenerationResult<NgramMetric, NgramShown>;
const corpus: Promise<Corpus> = loadCorpus(async (name) => readShippedData(name));

function recipe(over: Partial<RecipeFor<'ngram'>>): RecipeFor<'ngram'> {
  return { ...DEFAULT_RECIPES.ngram, ...over };
}

async function run(r: RecipeFor<'ngram'>): Promise<Result[]> {
  const out: Result[] = [];
  for await (const g of simulate(r, ngramFamily(r, await corpus))) out.push(g);
  return out;
}

const median = (rs: Result[], g: number, m: NgramMetric) => rs[g].stats[m].median;

describe('the shipped text', () => {
  it('parses into training and held-out ids over the stated vocabulary', async () => {
    const c = await corpus;
    expect(c.vocab).toHaveLength(8192);
    expect(c.vocab).toContain('<unk>');
    expect(c.train.length).toBeGreaterThan(200_000);
    expect(c.heldOut.length).toBeGreaterThan(20_000);
    expect(c.train.reduce((a, b) => Math.max(a, b), 0)).toBeLessThan(8192);
    // The first sentence of Pride and Prejudice, and sentence starts after an end mark.
    expect(c.vocab.slice(c.train[0], c.train[0] + 1)).toEqual(['It']);
    for (const s of c.sentenceStarts.slice(1, 50)) {
      const prev = c.vocab[c.train[s - 1]];
      expect(['.', '!', '?', '"']).toContain(prev);
      expect(s + PASSAGE).toBeLessThanOrEqual(c.train.length);
    }
  });
});

describe('Wright–Fisher drift (order 1, no smoothing, T = 1, replace, share 1)', () => {
  it('E[giniSimpson] follows (1 − 1/N)^(n+1) from the real text', () => {
    const t = wrightFisherGini(256, 3, { sumSquares: 0.1, sumCubes: 0.01, sumFourth: 0.001 });
    for (const p of t) expect(p.value).toBeCloseTo((1 - 1 / 256) ** (p.generation + 1) * 0.9, 12);
    expect(t[3].lo).toBeLessThan(t[3].value);
    expect(t[3].hi).toBeGreaterThan(t[3].value);
  });

  it('the variance recursion matches the multinomial exactly on two types', () => {
    // Two types with p = (0.3, 0.7), N = 4: S2' = (X² + (4 − X)²)/16 with X ~ Bin(4, 0.3).
    const N = 4;
    const p = 0.3;
    const binom = [1, 4, 6, 4, 1].map((c, x) => c * p ** x * (1 - p) ** (N - x));
    const s2 = (x: number) => (x * x + (N - x) * (N - x)) / (N * N);
    const mean = binom.reduce((a, w, x) => a + w * s2(x), 0);
    const second = binom.reduce((a, w, x) => a + w * s2(x) ** 2, 0);
    const sd = Math.sqrt(second - mean * mean);
    const moments = {
      sumSquares: p ** 2 + (1 - p) ** 2,
      sumCubes: p ** 3 + (1 - p) ** 3,
      sumFourth: p ** 4 + (1 - p) ** 4,
    };
    const [g0] = wrightFisherGini(N, 0, moments);
    expect(g0.value).toBeCloseTo(1 - mean, 14);
    expect((g0.hi - g0.value) / 1.6448536269514722).toBeCloseTo(sd, 12);
  });

  it('the simulated mean giniSimpson stays within 4 standard errors of theory', {
    timeout: 120_000,
  }, async () => {
    const r = recipe({
      order: 1,
      smoothing: 'none',
      samplesPerGeneration: 4,
      generations: 24,
      replicates: 160,
      seed: 5,
    });
    const theory = ngramTheory(r);
    expect(theory).not.toBeNull();
    const rs = await run(r);
    const N = r.samplesPerGeneration * PASSAGE;
    // Drift is visible: (1 − 1/256)^25 ≈ 0.91 of the real value by the end.
    expect((1 - 1 / N) ** 25).toBeLessThan(0.92);
    for (const g of [1, 6, 12, 24]) {
      const t = theory?.[g];
      if (!t) throw new Error('no theory point');
      const sd = (t.hi - t.value) / 1.6448536269514722;
      const se = sd / Math.sqrt(r.replicates);
      const mean = rs[g].stats.giniSimpson.mean;
      expect(
        Math.abs(mean - t.value),
        `generation ${g}: ${mean} vs ${t.value} ± ${se}`,
      ).toBeLessThan(4 * se);
    }
    // The band holds about 90 % of the chains: the simulated 5 % and 95 % quantiles are near it.
    const last = rs[24].stats.giniSimpson;
    const t24 = theory?.[24];
    expect(last.q05).toBeGreaterThan((t24?.lo ?? 0) - 0.02);
    expect(last.q95).toBeLessThan((t24?.hi ?? 1) + 0.02);
  });

  it('has no theory where the model is not plain resampling', () => {
    expect(ngramTheory(recipe({ order: 3 }))).toBeNull();
    expect(ngramTheory(recipe({ order: 1, smoothing: 'none', topP: 0.9 }))).toBeNull();
    expect(ngramTheory(recipe({ order: 1, smoothing: 'none', syntheticFraction: 0.5 }))).toBeNull();
    expect(ngramTheory(recipe({ order: 1, smoothing: 'none' }))).toHaveLength(10);
  });
});

describe('collapse', () => {
  const base = { order: 2, samplesPerGeneration: 6, generations: 12, replicates: 8, seed: 3 };

  it('with nucleus sampling a fully synthetic chain loses words and tail mass and gains perplexity; a real-data one does not', {
    timeout: 120_000,
  }, async () => {
    // Truncation (the paper decoded with beam search) cuts the tail every generation.
    const synthetic = await run(recipe({ ...base, topP: 0.9, syntheticFraction: 1 }));
    const real = await run(recipe({ ...base, topP: 0.9, syntheticFraction: 0 }));
    const G = base.generations;
    expect(median(synthetic, G, 'vocabAlive')).toBeLessThan(
      0.2 * median(synthetic, 0, 'vocabAlive'),
    );
    expect(median(synthetic, G, 'tailMass')).toBeLessThan(0.2 * median(synthetic, 0, 'tailMass'));
    expect(median(synthetic, G, 'perplexityReal')).toBeGreaterThan(
      10 * median(synthetic, 0, 'perplexityReal'),
    );
    expect(median(synthetic, G, 'repetition')).toBeGreaterThan(0.05);
    expect(median(real, G, 'vocabAlive')).toBeGreaterThan(0.9 * median(real, 0, 'vocabAlive'));
    expect(median(real, G, 'tailMass')).toBeGreaterThan(0.7 * median(real, 0, 'tailMass'));
    expect(median(real, G, 'perplexityReal')).toBeLessThan(1.3 * median(real, 0, 'perplexityReal'));
    expect(median(real, G, 'repetition')).toBeLessThan(0.01);
  });

  it('without truncation words die but the tail keeps its mass on average (drift is neutral)', {
    timeout: 120_000,
  }, async () => {
    const r = { ...base, replicates: 24, generations: 12 };
    const synthetic = await run(recipe({ ...r, syntheticFraction: 1 }));
    const G = r.generations;
    expect(median(synthetic, G, 'vocabAlive')).toBeLessThan(
      0.4 * median(synthetic, 0, 'vocabAlive'),
    );
    expect(median(synthetic, G, 'perplexityReal')).toBeGreaterThan(
      3 * median(synthetic, 0, 'perplexityReal'),
    );
    // Sampled frequencies are a martingale: E[tailMass] stays, within the chains' spread.
    const t0 = synthetic[0].stats.tailMass;
    const tG = synthetic[G].stats.tailMass;
    const spread = (tG.q95 - tG.q05) / (2 * 1.645);
    expect(Math.abs(tG.mean - t0.mean)).toBeLessThan((4 * spread) / Math.sqrt(r.replicates));
  });

  it('top-p < 1 collapses faster than top-p = 1 on the same seeds', {
    timeout: 60_000,
  }, async () => {
    const r = { ...base, generations: 5 };
    const full = await run(recipe({ ...r, topP: 1 }));
    const nucleus = await run(recipe({ ...r, topP: 0.8 }));
    // Generation 0 is fitted to the same real passages either way.
    expect(nucleus[0].stats.vocabAlive).toEqual(full[0].stats.vocabAlive);
    for (const g of [1, 3, 5]) {
      expect(nucleus[g].stats.vocabAlive.median).toBeLessThan(full[g].stats.vocabAlive.median);
      expect(nucleus[g].stats.vocabAlive.q95).toBeLessThan(full[g].stats.vocabAlive.q05);
      expect(nucleus[g].stats.tailMass.median).toBeLessThan(full[g].stats.tailMass.median);
    }
    expect(median(nucleus, 5, 'repetition')).toBeGreaterThan(median(full, 5, 'repetition'));
  });
});

describe('runs', () => {
  it('give the same numbers and passages for the same seed', async () => {
    const r = recipe({ samplesPerGeneration: 8, generations: 2, replicates: 2, seed: 9 });
    const a = await run(r);
    const b = await run(r);
    expect(a.map((g) => g.stats)).toEqual(b.map((g) => g.stats));
    expect(a.map((g) => g.chain.shown.passage)).toEqual(b.map((g) => g.chain.shown.passage));
    const c = await run({ ...r, seed: 10 });
    expect(c[1].stats.perplexityReal).not.toEqual(a[1].stats.perplexityReal);
  });

  it('give each chain the same numbers however a pool splits the chains (truncated decoding too)', async () => {
    const r = recipe({
      samplesPerGeneration: 6,
      generations: 2,
      replicates: 3,
      topP: 0.8,
      seed: 4,
    });
    const c = await corpus;
    const whole: number[][] = [];
    for await (const p of runChains(r, ngramFamily(r, c)))
      whole.push(Array.from(p.values.vocabAlive));
    const split: number[][] = whole.map(() => []);
    for (const chains of [
      [0, 1],
      [1, 3],
    ] as [number, number][]) {
      let g = 0;
      for await (const p of runChains(r, ngramFamily(r, c), { chains }))
        split[g++].push(...p.values.vocabAlive);
    }
    expect(split).toEqual(whole);
    expect(new Set(whole[2]).size).toBeGreaterThan(1);
  });

  it('show chain 1: a Zipf curve of its words, passage perplexities and a passage after the prompt', async () => {
    const rs = await run(recipe({ samplesPerGeneration: 20, generations: 1, replicates: 1 }));
    const shown = rs[1].chain.shown;
    expect(shown.prompt).toBe('It is a truth');
    expect(shown.passage.split(' ').length).toBeGreaterThan(20);
    const rf = Array.from(shown.rankFrequency);
    expect(rf.length).toBe(rs[1].stats.vocabAlive.median);
    for (let i = 1; i < rf.length; i++) expect(rf[i]).toBeLessThanOrEqual(rf[i - 1]);
    expect(rf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(shown.passagePerplexity.every((x) => Number.isFinite(x) && x >= 1)).toBe(true);
    expect(shown.reference.tailMass).toBeGreaterThanOrEqual(0.1);
    expect(shown.reference.tailMass).toBeLessThan(0.11);
  });
});

describe('recipes', () => {
  it('clamp bad values with a warning naming the field', () => {
    const r = parseRecipe({ model: 'ngram', order: 9, topP: 2, topK: -3, k: 0, temperature: 0 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.recipe).toMatchObject({ order: 5, topP: 1, topK: 0, k: 0.0001, temperature: 0.1 });
    for (const f of ['order', 'topP', 'topK', 'k', 'temperature'])
      expect(
        r.warnings.some((w) => w.startsWith(`${f}:`)),
        f,
      ).toBe(true);
  });

  it('refuse an unknown smoothing with a message naming the field', () => {
    const r = parseRecipe({ model: 'ngram', smoothing: 'good-turing' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^smoothing:/);
  });

  it('rank curation by the model: text has no real density for a verifier', () => {
    const r = parseRecipe({ model: 'ngram', curation: { keep: 0.5, by: 'verifier' } });
    expect(r.ok && r.recipe.model === 'ngram' && r.recipe.curation?.by).toBe('model');
  });
});
