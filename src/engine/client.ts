// The page's handle on the simulation workers: a pool sized to the machine's cores. A recipe whose
// chains are independent CPU work (the model's spec says so) is split by chains over the pool; each
// worker streams per-chain parts and the page merges each generation, in order, into the same
// summaries one worker would give (each chain draws from its own streams). Other recipes run on
// the first worker. Each run gets a fresh job id so late events from a superseded run are ignored.
import { proxy, type Remote, wrap } from 'comlink';
import { mergeParts } from '../core/generation/loop';
import type { GenerationPart, GenerationResult } from '../core/generation/types';
import { type AnyRecipe, specOf } from '../core/recipe';
import type { RunEnd, RunEvent, RunOptions, SimulationApi } from './protocol';

export interface SimulationClient {
  run(recipe: AnyRecipe, options: RunOptions, onEvent: (event: RunEvent) => void): Promise<RunEnd>;
  /**
   * Runs several recipes as one job (a comparison's variants, a phase diagram's columns) on the
   * pool; each event says which recipe it belongs to. Cancel or another run stops them all.
   */
  runMany(
    recipes: readonly AnyRecipe[],
    options: RunOptions,
    onEvent: (index: number, event: RunEvent) => void,
    onRecipeEnd?: (index: number, end: RunEnd) => void,
  ): Promise<RunEnd>;
  cancel(): void;
  /** Workers a run of `recipe` would use. */
  workersFor(recipe: AnyRecipe): number;
}

/** One worker's share of a job: recipe `index`, all its chains or the range `chains`. */
export interface PoolTask {
  index: number;
  chains?: [number, number];
}

/**
 * Splits a job of several recipes into tasks for a pool of `size` workers: a recipe whose chains
 * may be split (`parallel`) gets max(1, ⌊size / recipes⌋) shares of its chains, so one recipe
 * uses the whole pool and many recipes each run whole on a worker of their own; the tasks run in
 * this order as workers come free. Returns the tasks and how many parts each recipe has.
 */
export function planTasks(
  recipes: readonly { replicates: number }[],
  size: number,
  parallel: (index: number) => boolean,
): { tasks: PoolTask[]; parts: number[] } {
  const shares = Math.max(1, Math.floor(size / Math.max(1, recipes.length)));
  const tasks: PoolTask[] = [];
  const parts: number[] = [];
  recipes.forEach((r, index) => {
    const ranges = parallel(index) && shares > 1 ? splitChains(r.replicates, shares) : [];
    if (ranges.length <= 1) {
      tasks.push({ index });
      parts.push(1);
    } else {
      for (const chains of ranges) tasks.push({ index, chains });
      parts.push(ranges.length);
    }
  });
  return { tasks, parts };
}

/**
 * Most workers the pool starts: one per core, at most 8 (a reader's laptop), at least 1, and at
 * most `requested` (the page's `?workers=` query, which the bench uses to time one worker).
 */
export function poolSize(
  cores = globalThis.navigator?.hardwareConcurrency,
  requested: string | null = null,
): number {
  const cap = Math.floor(Number(requested));
  const size = Math.max(1, Math.min(8, Math.floor(cores || 2)));
  return cap >= 1 ? Math.min(size, cap) : size;
}

/** [start, end) ranges splitting `chains` into `parts` contiguous shares, as even as possible. */
export function splitChains(chains: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < parts; i++) {
    out.push([Math.floor((i * chains) / parts), Math.floor(((i + 1) * chains) / parts)]);
  }
  return out.filter(([a, b]) => b > a);
}

/**
 * Merges parts as they arrive from `count` workers: emits each generation once all its parts are
 * in, in generation order.
 */
export function partMerger(count: number, metrics: readonly string[]) {
  const pending = new Map<number, GenerationPart[]>();
  let next = 0;
  return (parts: GenerationPart[]): GenerationResult[] => {
    for (const p of parts) {
      const list = pending.get(p.generation) ?? [];
      list.push(p);
      pending.set(p.generation, list);
    }
    const ready: GenerationResult[] = [];
    for (let list = pending.get(next); list && list.length === count; list = pending.get(next)) {
      ready.push(mergeParts(list, metrics));
      pending.delete(next);
      next++;
    }
    return ready;
  };
}

/**
 * `maxWorkers` caps the pool below the page's `?workers=` (a story figure takes a small share of
 * the machine: several may run at once).
 */
export function createSimulationClient(
  onCrash: (message: string) => void,
  maxWorkers?: number,
): SimulationClient {
  const size = Math.min(
    poolSize(undefined, new URLSearchParams(globalThis.location?.search).get('workers')),
    maxWorkers ?? Number.POSITIVE_INFINITY,
  );
  const workers: Remote<SimulationApi>[] = [];
  const worker = (i: number): Remote<SimulationApi> => {
    if (!workers[i]) {
      const w = new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module' });
      w.addEventListener('error', (e) => onCrash(e.message || 'a simulation worker failed'));
      workers[i] = wrap<SimulationApi>(w);
    }
    return workers[i];
  };
  let latest = 0;
  const parallel = (recipe: AnyRecipe) =>
    specOf(recipe.model).parallelChains?.(recipe as unknown as Record<string, unknown>) ?? false;
  const workersFor = (recipe: AnyRecipe) =>
    parallel(recipe) ? Math.min(size, recipe.replicates) : 1;

  const runMany: SimulationClient['runMany'] = async (recipes, options, onEvent, onRecipeEnd) => {
    const jobId = ++latest;
    const start = performance.now();
    const { tasks, parts } = planTasks(recipes, size, (i) => parallel(recipes[i]));
    const merges = recipes.map((r, i) =>
      parts[i] > 1 ? partMerger(parts[i], specOf(r.model).metrics) : null,
    );
    const ends: RunEnd[][] = recipes.map(() => []);
    let next = 0;
    // Each worker takes the next task when it is free, until the job is done or superseded.
    const drain = async (w: number) => {
      while (next < tasks.length && jobId === latest) {
        const { index, chains } = tasks[next++];
        const merge = merges[index];
        const end = await worker(w).run(
          jobId,
          recipes[index],
          chains ? { ...options, chains } : options,
          proxy((id: number, event: RunEvent) => {
            if (id !== latest) return;
            if (event.type === 'parts' && merge) {
              const items = merge(event.items);
              if (items.length) onEvent(index, { type: 'batch', items });
            } else if (!chains || chains[0] === 0 || event.type === 'notice') {
              // The badge and progress come from the first share; every share's notices count.
              onEvent(index, event);
            }
          }),
        );
        ends[index].push(end);
        if (ends[index].length === parts[index]) onRecipeEnd?.(index, combine(jobId, ends[index]));
      }
    };
    const used = Math.min(size, tasks.length);
    await Promise.all(Array.from({ length: used }, (_, w) => drain(w)));
    const all = ends.flat();
    // The job's wall time (tasks may have run one after another on a worker).
    const end = { ...combine(jobId, all), elapsedMs: performance.now() - start };
    return jobId !== latest || all.length < tasks.length ? { ...end, status: 'cancelled' } : end;
  };

  return {
    workersFor,
    runMany,
    run: (recipe, options, onEvent) => runMany([recipe], options, (_, event) => onEvent(event)),
    cancel() {
      for (const w of workers) void w?.cancel(latest);
      latest++;
    },
  };
}

/** One end for several tasks: an error if any failed, cancelled if any was, else done. */
function combine(jobId: number, ends: RunEnd[]): RunEnd {
  const failed = ends.find((e) => e.status === 'error');
  const cancelled = ends.some((e) => e.status === 'cancelled');
  return {
    jobId,
    status: failed ? 'error' : cancelled ? 'cancelled' : 'done',
    elapsedMs: ends.length ? Math.max(...ends.map((e) => e.elapsedMs)) : 0,
    computeMs: ends.reduce((s, e) => s + e.computeMs, 0),
    ...(failed ? { error: failed.error } : {}),
  };
}
