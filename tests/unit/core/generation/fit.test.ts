// The loop's one fit path (src/core/generation/fit.ts): a batched family gets every chain in one
// fitAll call, a chain-by-chain family one fit per chain in order (waiting only for fits that
// return promises), and the accumulate fast path fits from statistics.
import { describe, expect, it } from 'vitest';
import { type FitInput, fitChains } from '../../../../src/core/generation/fit';
import type { TrainingSet } from '../../../../src/core/generation/types';

type Input = FitInput<Float64Array, string, string>;

const setOf = (size: number): TrainingSet<Float64Array> => ({
  values: new Float64Array(size),
  origin: new Int16Array(size),
  size,
  width: 1,
});
const inputs = (...sizes: (number | null)[]): Input[] =>
  sizes.map((s, j) => ({
    set: s === null ? null : setOf(s),
    stats: `stats ${j}`,
    model: `model ${j}`,
    own: `chain ${j}`,
  }));

describe('fitChains', () => {
  it('fits a batched family in one fitAll call, chains in order', async () => {
    const calls: unknown[] = [];
    const models = await fitChains<Float64Array, string, string>(
      {
        fitAll: async (sets, previous, chains) => {
          calls.push([sets.map((s) => s.size), previous, chains]);
          return sets.map((s) => `fit to ${s.size}`);
        },
      },
      inputs(3, 5),
    );
    expect(models).toEqual(['fit to 3', 'fit to 5']);
    expect(calls).toEqual([
      [
        [3, 5],
        ['model 0', 'model 1'],
        ['chain 0', 'chain 1'],
      ],
    ]);
  });

  it('fits chain by chain without a promise when every fit is synchronous', () => {
    const models = fitChains<Float64Array, string, string>(
      { fit: (set, previous, chain) => `${chain} from ${previous} on ${set.size}` },
      inputs(2, 4),
    );
    expect(models).toEqual(['chain 0 from model 0 on 2', 'chain 1 from model 1 on 4']);
  });

  it('waits for each asynchronous fit before the next one starts', async () => {
    const order: string[] = [];
    const models = fitChains<Float64Array, string, string>(
      {
        fit: (set, _previous, chain) => {
          order.push(`start ${chain}`);
          if (set.size === 1) return `sync ${chain}`;
          return new Promise((resolve) =>
            setTimeout(() => {
              order.push(`end ${chain}`);
              resolve(`async ${chain}`);
            }, 1),
          );
        },
      },
      inputs(1, 2, 2),
    );
    expect(models).toBeInstanceOf(Promise);
    expect(await models).toEqual(['sync chain 0', 'async chain 1', 'async chain 2']);
    expect(order).toEqual([
      'start chain 0',
      'start chain 1',
      'end chain 1',
      'start chain 2',
      'end chain 2',
    ]);
  });

  it('fits a chain with no training set from its statistics (the accumulate fast path)', () => {
    const models = fitChains<Float64Array, string, string>(
      {
        fit: () => 'from points',
        sufficient: { empty: () => null, add: () => {}, fit: (stats) => `from ${stats}` },
      },
      inputs(null, 3),
    );
    expect(models).toEqual(['from stats 0', 'from points']);
  });

  it('calls nothing when no chain is to be fitted (all starved)', () => {
    const fail = () => {
      throw new Error('called');
    };
    expect(fitChains<Float64Array, string, string>({ fitAll: fail }, [])).toEqual([]);
  });
});
