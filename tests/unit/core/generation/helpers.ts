// Small helpers for tests of the generation loop (src/core/generation/loop.ts).
import { mergeParts, runChains } from '../../../../src/core/generation/loop';
import {
  type GenerationResult,
  type LoopRecipe,
  type ModelFamily,
  type PointArray,
  REAL,
  type TrainingSample,
} from '../../../../src/core/generation/types';

/** Every item of an async iterable, in order. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The sample's points (rows of `width` values) whose origin passes `keep`. */
export function pointsWhere(s: TrainingSample, keep: (origin: number) => boolean): Float32Array {
  const w = s.width;
  const out: number[] = [];
  for (let i = 0; i < s.origin.length; i++)
    if (keep(s.origin[i])) for (let a = 0; a < w; a++) out.push(s.values[i * w + a]);
  return Float32Array.from(out);
}

/** What the old loops called syntheticSamples: points some earlier model sampled. */
export const syntheticOf = (s: TrainingSample | null) =>
  pointsWhere(sampleOf(s), (o) => o !== REAL);
/** What the old loops called realSamples. */
export const realOf = (s: TrainingSample | null) => pointsWhere(sampleOf(s), (o) => o === REAL);

export function sampleOf(s: TrainingSample | null): TrainingSample {
  if (!s) throw new Error('no training sample');
  return s;
}

/** How many points of the sample have each origin. */
export function originCounts(s: TrainingSample): Map<number, number> {
  const m = new Map<number, number>();
  for (const o of s.origin) m.set(o, (m.get(o) ?? 0) + 1);
  return m;
}

/**
 * Runs `recipe` split into chain ranges, each with its own family (as separate workers would),
 * advancing the parts in lockstep and merging each generation's parts (handed over last range
 * first, so mergeParts must order them).
 */
export async function runSplit<M extends string, Model, Shown, V extends PointArray, C>(
  recipe: LoopRecipe,
  makeFamily: () => ModelFamily<M, Model, Shown, V, C>,
  ranges: [number, number][],
): Promise<GenerationResult<M, Shown>[]> {
  const families = ranges.map(() => makeFamily());
  const loops = ranges.map((chains, i) => runChains(recipe, families[i], { chains }));
  const out: GenerationResult<M, Shown>[] = [];
  for (;;) {
    const steps = await Promise.all(loops.map((l) => l.next()));
    const done = steps.filter((s) => s.done).length;
    if (done === steps.length) break;
    if (done > 0) throw new Error('parts ended at different generations');
    const parts = steps.map((s) => s.value).filter((p) => p !== undefined);
    out.push(mergeParts(parts.reverse(), families[0].metrics));
  }
  return out;
}
