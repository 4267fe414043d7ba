// The VAE family's host-side parts, without tfjs: each chain's walk over the real digits, and the
// Adam steps a run takes (for the ETA).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPES } from '../../../../../src/core/recipe';
import { createRng, Stream } from '../../../../../src/core/rng';
import {
  vaeStepsPerChain,
  vaeTotalSteps,
  vaeTrainingSize,
} from '../../../../../src/engine/models/vae/constants';
import { digitWalk, realDigits } from '../../../../../src/engine/models/vae/data';
import { MNIST_PIXELS, parseMnist } from '../../../../../src/engine/models/vae/mnist';

const dataDir = join(__dirname, '..', '..', '..', '..', '..', 'public', 'data');
const train = parseMnist(readFileSync(join(dataDir, 'mnist-train.bin')));

describe('a chain’s walk over the real digits', () => {
  it('takes distinct digits and none twice until every digit has been used', () => {
    const take = digitWalk(1000, createRng(3, 0, Stream.real));
    // 300, then six takes of 150: 1,200 digits from a set of 1,000.
    const takes = [take(300), ...Array.from({ length: 6 }, () => take(150))];
    const all = takes.flatMap((t) => Array.from(t));
    expect(all).toHaveLength(1200);
    expect(new Set(all.slice(0, 1000)).size).toBe(1000);
    for (const t of takes) {
      expect(new Set(t).size).toBe(t.length);
      for (const i of t) expect(i >= 0 && i < 1000).toBe(true);
    }
    // The sixth take crosses the end of the pass: the 100 digits left unused, then 50 of the 900
    // used before (reshuffled).
    const crossing = Array.from(takes[5]);
    const usedBefore = new Set(all.slice(0, 900));
    expect(crossing.slice(0, 100).filter((i) => usedBefore.has(i))).toEqual([]);
    expect(crossing.slice(100).filter((i) => usedBefore.has(i))).toHaveLength(50);
    // The new pass goes on without repeats until it too is used up.
    const pass2 = [...crossing, ...Array.from(takes[6])];
    expect(new Set(pass2).size).toBe(pass2.length);
  });

  it('is a random order of its own per chain, the same for the same stream', () => {
    const a = digitWalk(8000, createRng(1, 0, Stream.real))(8000);
    const b = digitWalk(8000, createRng(1, 1, Stream.real))(8000);
    expect(Array.from(digitWalk(8000, createRng(1, 0, Stream.real))(8000))).toEqual(Array.from(a));
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 8000 }, (_, i) => i));
    // Not the identity, nor close to it.
    expect(a.filter((v, i) => v === i).length).toBeLessThan(10);
  });

  it('copies the digits’ bytes, in walk order', () => {
    const k = 40;
    const out = new Uint8Array(k * MNIST_PIXELS);
    realDigits(train, createRng(5, 2, Stream.real))(k, out);
    const idx = digitWalk(train.count, createRng(5, 2, Stream.real))(k);
    for (let i = 0; i < k; i++) {
      const j = idx[i];
      expect(out.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS)).toEqual(
        train.images.subarray(j * MNIST_PIXELS, (j + 1) * MNIST_PIXELS),
      );
    }
  });
});

describe('Adam steps of a run', () => {
  const r = {
    ...DEFAULT_RECIPES.vae,
    samplesPerGeneration: 300,
    generations: 3,
    epochs: 10,
    batchSize: 32,
  };
  it('counts full batches per epoch, the accumulated set growing by M each generation', () => {
    expect(vaeTrainingSize({ regime: 'accumulate', samplesPerGeneration: 200 }, 3)).toBe(800);
    expect(vaeTrainingSize({ regime: 'accumulate-subsample', samplesPerGeneration: 200 }, 3)).toBe(
      200,
    );
    expect(vaeStepsPerChain({ ...r, regime: 'replace' }, 3)).toBe(10 * 9);
    expect(vaeStepsPerChain({ ...r, regime: 'accumulate' }, 1)).toBe(10 * 18);
    expect(vaeTotalSteps({ ...r, regime: 'replace', replicates: 2 })).toBe(2 * 4 * 90);
    // A batch larger than the set: one batch of all of it per epoch.
    expect(vaeStepsPerChain({ ...r, regime: 'replace', batchSize: 512 }, 0)).toBe(10);
  });
});
