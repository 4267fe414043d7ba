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
  cancel(): void;
  /** Workers a run of `recipe` would use. */
  workersFor(recipe: AnyRecipe): number;
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

export function createSimulationClient(onCrash: (message: string) => void): SimulationClient {
  const size = poolSize(undefined, new URLSearchParams(globalThis.location?.search).get('workers'));
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
  const workersFor = (recipe: AnyRecipe) =>
    specOf(recipe.model).parallelChains?.(recipe as unknown as Record<string, unknown>)
      ? Math.min(size, recipe.replicates)
      : 1;

  return {
    workersFor,
    async run(recipe, options, onEvent) {
      const jobId = ++latest;
      const ranges = splitChains(recipe.replicates, workersFor(recipe));
      if (ranges.length <= 1) {
        return worker(0).run(
          jobId,
          recipe,
          options,
          proxy((id: number, event: RunEvent) => {
            if (id === latest) onEvent(event);
          }),
        );
      }
      const merge = partMerger(ranges.length, specOf(recipe.model).metrics);
      const ends = await Promise.all(
        ranges.map((chains, i) =>
          worker(i).run(
            jobId,
            recipe,
            { ...options, chains },
            proxy((id: number, event: RunEvent) => {
              if (id !== latest) return;
              if (event.type === 'parts') {
                const items = merge(event.items);
                if (items.length) onEvent({ type: 'batch', items });
              } else if (i === 0 || event.type === 'notice') {
                // The badge and progress come from the first worker; every worker's notices count.
                onEvent(event);
              }
            }),
          ),
        ),
      );
      const failed = ends.find((e) => e.status === 'error');
      const cancelled = ends.some((e) => e.status === 'cancelled');
      return {
        jobId,
        status: failed ? 'error' : cancelled ? 'cancelled' : 'done',
        elapsedMs: Math.max(...ends.map((e) => e.elapsedMs)),
        computeMs: ends.reduce((s, e) => s + e.computeMs, 0),
        ...(failed ? { error: failed.error } : {}),
      };
    },
    cancel() {
      for (const w of workers) void w?.cancel(latest);
      latest++;
    },
  };
}
