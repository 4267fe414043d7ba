// The worker pool's arithmetic: how a run's chains are split, and how parts from several workers
// merge into the very numbers one worker gives.
import { describe, expect, it } from 'vitest';
import { runChains, simulate } from '../../../../src/core/generation/loop';
import type { GenerationPart, GenerationResult } from '../../../../src/core/generation/types';
import { gaussianFamily } from '../../../../src/core/models/gaussian1d/family';
import { gmmFamily } from '../../../../src/core/models/gmm/family';
import { type GaussianRecipe, type GmmRecipe, parseRecipe } from '../../../../src/core/recipe';
import { partMerger, planTasks, splitChains } from '../../../../src/engine/pool/pool';

function recipe<R>(raw: Record<string, unknown>): R {
  const p = parseRecipe(raw);
  if (!p.ok) throw new Error(p.error);
  return p.recipe as R;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('splitChains', () => {
  it('covers every chain once, in order, in shares that differ by at most one', () => {
    for (const [chains, parts] of [
      [7, 2],
      [500, 3],
      [3, 8],
      [1, 4],
      [16, 16],
    ]) {
      const ranges = splitChains(chains, parts);
      expect(ranges[0][0]).toBe(0);
      expect(ranges.at(-1)?.[1]).toBe(chains);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1]);
      const sizes = ranges.map(([a, b]) => b - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(Math.min(...sizes)).toBeGreaterThan(0);
      expect(ranges.length).toBe(Math.min(chains, parts));
    }
  });
});

describe('partMerger', () => {
  it.each([
    [
      'gaussian1d',
      { samplesPerGeneration: 50, generations: 12, replicates: 9, regime: 'accumulate-subsample' },
    ],
    [
      'gmm',
      { model: 'gmm', samplesPerGeneration: 120, generations: 4, replicates: 5, engine: 'ts' },
    ],
  ])('merges %s parts arriving out of order into the numbers of one worker', async (model, raw) => {
    const r = recipe<GaussianRecipe>(raw);
    const family = () =>
      model === 'gmm' ? gmmFamily(r as unknown as GmmRecipe) : gaussianFamily(r);
    const whole = (await collect(simulate(r, family() as never))) as GenerationResult[];
    const ranges = splitChains(r.replicates, 3);
    const parts: GenerationPart[][] = [];
    for (const chains of ranges)
      parts.push(await collect(runChains(r, family() as never, { chains })));
    const merge = partMerger(ranges.length, family().metrics);
    const merged: GenerationResult[] = [];
    // Worker 3 first, then worker 1 one generation at a time, then worker 2 all at once.
    merged.push(...merge(parts[2]));
    expect(merged).toEqual([]);
    for (const p of parts[0]) merged.push(...merge([p]));
    expect(merged).toEqual([]);
    merged.push(...merge(parts[1]));
    expect(merged.map((g) => g.generation)).toEqual(whole.map((g) => g.generation));
    for (let g = 0; g < whole.length; g++) {
      expect(merged[g].stats).toEqual(whole[g].stats);
      expect(merged[g].chain.training).toEqual(whole[g].chain.training);
    }
  });
});

describe('planTasks', () => {
  const r = (replicates: number) => ({ replicates });
  it('splits one recipe over the whole pool and runs several whole, one per worker', () => {
    expect(planTasks([r(10)], 4, () => true)).toEqual({
      tasks: [
        { index: 0, chains: [0, 2] },
        { index: 0, chains: [2, 5] },
        { index: 0, chains: [5, 7] },
        { index: 0, chains: [7, 10] },
      ],
      parts: [4],
    });
    expect(planTasks([r(10), r(10), r(10)], 2, () => true)).toEqual({
      tasks: [{ index: 0 }, { index: 1 }, { index: 2 }],
      parts: [1, 1, 1],
    });
    // Two recipes on 4 workers: two shares each; a recipe that may not split runs whole.
    expect(planTasks([r(6), r(6)], 4, (i) => i === 0)).toEqual({
      tasks: [{ index: 0, chains: [0, 3] }, { index: 0, chains: [3, 6] }, { index: 1 }],
      parts: [2, 1],
    });
    // One chain cannot split.
    expect(planTasks([r(1)], 8, () => true)).toEqual({ tasks: [{ index: 0 }], parts: [1] });
  });
});
