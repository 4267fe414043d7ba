// Long runs hold no growing memory: 2,000 mixture generations on each engine (plain TS, batched
// tfjs on cpu and on wasm) and 50 VAE generations (reduced sizes), with tfjs's live tensor count
// the same at the end as after the first generations, and the JS heap bounded.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/generation/loop';
import { type AnyRecipe, parseRecipe } from '../../../src/core/recipe';
import { nodeJob } from '../../../src/engine/job/nodeJob';
import { prepareFamily } from '../../../src/engine/models/registry';

function recipe(raw: Record<string, unknown>): AnyRecipe {
  const p = parseRecipe(raw);
  if (!p.ok) throw new Error(p.error);
  return p.recipe;
}

/** Runs `r`, reading live tensors and heap at generation `early` and at the end. */
async function memoryOver(r: AnyRecipe, backend: string | null, early: number) {
  const family = await prepareFamily(r, nodeJob(backend));
  const read = () => ({ tensors: tf.memory().numTensors, heap: process.memoryUsage().heapUsed });
  let atEarly = { tensors: -1, heap: 0 };
  let atEnd = atEarly;
  let last = -1;
  // Read while the models of that generation are alive (the loop's end releases them all).
  for await (const g of simulate(r, family as never)) {
    if (g.generation === early) atEarly = read();
    if (g.generation === r.generations) atEnd = read();
    last = g.generation;
  }
  return { last, early: atEarly, end: atEnd, released: read() };
}

const MIB = 2 ** 20;

describe('long runs', { timeout: 900_000 }, () => {
  it.each([
    ['ts', null],
    ['tfjs', 'cpu'],
    ['tfjs', 'wasm'],
  ])(
    '2,000 mixture generations on the %s engine (%s): tensors flat, heap bounded',
    async (engine, backend) => {
      const r = recipe({
        model: 'gmm',
        engine,
        generations: 2000,
        replicates: 2,
        samplesPerGeneration: 40,
        components: 2,
        maxIter: 10,
        seed: 9,
      });
      const m = await memoryOver(r, backend, 100);
      expect(m.last).toBe(2000);
      expect(m.end.tensors).toBe(m.early.tensors);
      expect(m.end.heap - m.early.heap).toBeLessThan(64 * MIB);
      console.info(
        `gmm ${engine} ${backend ?? ''}: tensors ${m.early.tensors} → ${m.end.tensors}, heap ${(m.early.heap / MIB).toFixed(0)} → ${(m.end.heap / MIB).toFixed(0)} MiB`,
      );
    },
  );

  it('50 VAE generations (reduced): tensors flat, heap bounded', async () => {
    const r = recipe({
      model: 'vae',
      generations: 50,
      replicates: 1,
      samplesPerGeneration: 100,
      epochs: 1,
      hiddenSize: 16,
      latentSize: 2,
      seed: 2,
    });
    const m = await memoryOver(r, 'wasm', 5);
    expect(m.last).toBe(50);
    expect(m.end.tensors).toBe(m.early.tensors);
    expect(m.end.heap - m.early.heap).toBeLessThan(64 * MIB);
    console.info(
      `vae wasm: tensors ${m.early.tensors} → ${m.end.tensors}, heap ${(m.early.heap / MIB).toFixed(0)} → ${(m.end.heap / MIB).toFixed(0)} MiB`,
    );
  });
});
