import { describe, expect, it } from 'vitest';
import {
  attempt,
  crossover,
  describeCrossover,
  median,
  once,
  powersOfTwo,
  type SweepPoint,
} from '../../../src/bench/stats';

const sweep = (pairs: [number, number, number][]): SweepPoint[] =>
  pairs.map(([chains, tsMs, batchedMs]) => ({ chains, tsMs, batchedMs }));

describe('median', () => {
  it('is the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is NaN for no values and leaves its input unsorted', () => {
    expect(median([])).toBeNaN();
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('powersOfTwo', () => {
  it('counts 1, 2, 4, … up to the largest power of two not above max', () => {
    expect(powersOfTwo(256)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    expect(powersOfTwo(5)).toEqual([1, 2, 4]);
  });
});

describe('crossover', () => {
  it('is the fewest chains from which the batched engine stays faster', () => {
    const points = sweep([
      [1, 1, 20],
      [2, 2, 21],
      [4, 4, 22],
      [8, 8, 6],
      [16, 16, 7],
    ]);
    expect(crossover(points)).toBe(8);
    expect(describeCrossover(points)).toBe('R = 8');
  });

  it('ignores a win that does not last', () => {
    const points = sweep([
      [1, 1, 0.5],
      [2, 2, 3],
      [4, 4, 3],
      [8, 8, 9],
      [16, 16, 10],
    ]);
    expect(crossover(points)).toBe(16);
  });

  it('is null, "none up to" the largest count measured, when the batched engine never leads', () => {
    const points = sweep([
      [1, 1, 20],
      [2, 2, 21],
      [4, 4, Number.NaN],
    ]);
    expect(crossover(points)).toBeNull();
    expect(describeCrossover(points)).toBe('none up to 2');
  });

  it('does not depend on the order of the points', () => {
    const points = sweep([
      [16, 16, 7],
      [1, 1, 20],
      [8, 8, 6],
      [4, 4, 22],
    ]);
    expect(crossover(points)).toBe(8);
  });
});

describe('once', () => {
  it('runs its function on first use only', async () => {
    let calls = 0;
    const f = once(async () => ++calls);
    expect(await f()).toBe(1);
    expect(await f()).toBe(1);
    expect(calls).toBe(1);
  });
});

describe('attempt', () => {
  it('turns a failure into its first line, so one broken workload spares the rest', async () => {
    expect(await attempt(async () => 3)).toEqual({ value: 3 });
    expect(
      await attempt(async () => {
        throw new Error('webgpu unavailable\n  at somewhere');
      }),
    ).toEqual({ error: 'webgpu unavailable' });
  });
});
