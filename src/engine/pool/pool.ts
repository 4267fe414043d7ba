// The page's handle on the simulation workers: a pool sized to the machine's cores. A recipe whose
// chains are independent CPU work (the model's spec says so) is split by chains over the pool; each
// worker streams per-chain parts and the page merges each generation, in order, into the same
// summaries one worker would give (each chain draws from its own streams). Other recipes run on
// the first worker; several recipes (a comparison, a phase diagram) share the pool as tasks. Each
// run gets a fresh job id so late events from a superseded run are ignored.
// A worker that fails (its `error` or `messageerror` event) or stops answering (a watchdog pings
// it while it runs) is replaced by a fresh one, which replays its chains without posting what the
// page already has and goes on from the next generation: the same numbers as an uninterrupted run
// (each chain draws from its own streams). Every event and run end is checked (engine/job/messages.ts).
import { proxy, wrap } from 'comlink';
import { mergeParts } from '../../core/generation/loop';
import type { GenerationPart, GenerationResult } from '../../core/generation/types';
import { type AnyRecipe, forRecipe, specOf } from '../../core/recipe';
import { BACKEND_LABELS, type BackendName, nextBackend } from '../backend/names';
import { checkRunEnd, checkRunEvent } from '../job/messages';
import type { RunEnd, RunEvent, RunOptions, SimulationApi } from '../job/protocol';
import { pagePoolSize, takeSimulationWorker } from './prewarm';

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
  /** Test hook: ends worker `i` as a browser killing it would (no event; the watchdog sees it). */
  killWorker(i: number): boolean;
  /** Test hook: breaks worker `i`'s tfjs backend as a failing GPU would; says what it did. */
  injectFault(i: number, fault: 'lose-device' | 'lose-context'): Promise<string>;
}

/** A worker as the pool drives it: its API (comlink's remote, or a fake in tests) and its life. */
export interface WorkerHandle {
  api: {
    run: (...args: Parameters<SimulationApi['run']>) => Promise<RunEnd>;
    cancel(jobId: number): unknown;
    ping(): unknown;
    injectFault?(fault: 'lose-device' | 'lose-context'): unknown;
  };
  /** Registers the one callback for the worker's failure (its error or messageerror event). */
  onFailure(callback: (why: string) => void): void;
  terminate(): void;
}

export interface ClientOptions {
  /** Most workers (default: this page's pool size, prewarm.ts). */
  size?: number;
  /**
   * Caps the pool below the page's `?workers=` (a story figure takes a small share of the
   * machine: several may run at once).
   */
  maxWorkers?: number;
  createWorker?: () => WorkerHandle;
  /** Silence after which a running worker counts as dead (doubled after each such restart). */
  watchdogMs?: number;
  /** Fresh workers a run may take per share of chains before it ends as an error. */
  maxRestarts?: number;
}

/** A real Web Worker behind comlink. */
export function browserWorker(): WorkerHandle {
  const w = takeSimulationWorker();
  const api = wrap<SimulationApi>(w);
  return {
    api: api as unknown as WorkerHandle['api'],
    onFailure(callback) {
      w.addEventListener('error', (e) => {
        e.preventDefault();
        callback(e.message || 'it failed');
      });
      w.addEventListener('messageerror', () => callback('a message from it could not be read'));
    },
    // The remote is not released: a terminated worker's port is gone with it, and a released
    // proxy would throw at every later call instead of never answering.
    terminate: () => w.terminate(),
  };
}

/** A call to a worker as a promise, whether it answers, rejects or throws at once. */
function attempt<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The last generation an event carries, if any. */
function lastGeneration(event: RunEvent): number | null {
  if (event.type !== 'batch' && event.type !== 'parts') return null;
  let g = -1;
  for (const item of event.items) g = Math.max(g, item.generation);
  return g < 0 ? null : g;
}

interface Slot {
  handle: WorkerHandle;
  /** Resolves with why, once the worker failed or the watchdog gave up on it. */
  died: Promise<string>;
  kill(why: string): void;
  dead: boolean;
  /** When the worker was last heard from (an event or a ping's answer). */
  heard: number;
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

export function createSimulationClient(o: ClientOptions = {}): SimulationClient {
  const size = Math.min(o.size ?? pagePoolSize(), o.maxWorkers ?? Number.POSITIVE_INFINITY);
  const createWorker = o.createWorker ?? browserWorker;
  const watchdogMs = o.watchdogMs ?? 30_000;
  const maxRestarts = o.maxRestarts ?? 3;
  const slots: (Slot | undefined)[] = [];
  const makeSlot = (): Slot => {
    const handle = createWorker();
    let resolve: (why: string) => void = () => {};
    const slot: Slot = {
      handle,
      died: new Promise<string>((r) => {
        resolve = r;
      }),
      kill(why) {
        slot.dead = true;
        resolve(why);
      },
      dead: false,
      heard: performance.now(),
    };
    handle.onFailure((why) => slot.kill(why));
    return slot;
  };
  // A dead worker (even one that died between runs) is replaced when next asked for.
  const slotAt = (i: number): Slot => {
    const s = slots[i];
    if (s && !s.dead) return s;
    s?.handle.terminate();
    slots[i] = makeSlot();
    return slots[i];
  };
  const retire = (i: number) => {
    slots[i]?.handle.terminate();
    slots[i] = undefined;
  };
  /** Pings a running worker; kills the slot after `timeoutMs` without a word from it. */
  const watch = (slot: Slot, timeoutMs: number) => {
    const timer = setInterval(
      () => {
        if (performance.now() - slot.heard > timeoutMs)
          slot.kill(`it stopped answering for ${Number((timeoutMs / 1000).toPrecision(2))} s`);
        else
          attempt(() => slot.handle.api.ping()).then(
            () => {
              slot.heard = performance.now();
            },
            () => {},
          );
      },
      Math.max(10, Math.min(1000, timeoutMs / 4)),
    );
    return () => clearInterval(timer);
  };

  let latest = 0;
  const workersFor = (recipe: AnyRecipe) =>
    forRecipe(recipe).parallelChains?.(recipe) ? Math.min(size, recipe.replicates) : 1;

  /**
   * Runs one share of the chains (or the whole run) on worker `i`, replacing the worker as often
   * as it dies (up to maxRestarts) and going on from the generation after the last one delivered.
   */
  async function runOn(
    i: number,
    jobId: number,
    recipe: AnyRecipe,
    options: RunOptions,
    deliver: (event: RunEvent) => void,
  ): Promise<RunEnd> {
    let from = 0;
    let timeout = watchdogMs;
    let restarts = 0;
    let opts = options;
    const started = performance.now();
    for (;;) {
      const slot = slotAt(i);
      let live = true;
      const onEvent = proxy((id: number, raw: unknown) => {
        if (!live || id !== jobId) return;
        slot.heard = performance.now();
        if (id !== latest) return;
        const event = checkRunEvent(raw);
        if (!event.ok) {
          deliver({
            type: 'notice',
            notice: {
              generation: from,
              message: `Ignored a malformed message from the worker (${event.error}).`,
            },
          });
          return;
        }
        const g = lastGeneration(event.value);
        if (g !== null) from = Math.max(from, g + 1);
        deliver(event.value);
      });
      slot.heard = performance.now();
      const unwatch = watch(slot, timeout);
      const outcome = await Promise.race([
        attempt(() =>
          slot.handle.api.run(jobId, recipe, from > 0 ? { ...opts, from } : opts, onEvent),
        ).then(
          (end): { end: unknown } => ({ end }),
          (e: unknown): { died: string } => ({ died: `its call failed: ${e}` }),
        ),
        slot.died.then((why): { died: string } => ({ died: why })),
      ]);
      unwatch();
      // Events travel on their own port: the last ones may land after the run's answer, so only
      // a dead attempt's events are shut out.
      if ('end' in outcome) {
        const end = checkRunEnd(outcome.end);
        if (!end.ok)
          return {
            jobId,
            status: 'error',
            elapsedMs: 0,
            computeMs: 0,
            error: `malformed run end: ${end.error}`,
          };
        // A backend fault (a lost GPU device or context, a kernel that threw): a fresh worker
        // goes on from the next generation on the next rung of the ladder, replaying the earlier
        // ones there, so what follows is what a run on that backend would give.
        const fault = end.value.backendFault;
        const next = fault ? nextBackend(fault.backend) : null;
        if (end.value.status !== 'error' || !fault || !next || jobId !== latest) return end.value;
        opts = { ...opts, backend: next };
        retire(i);
        const label = (b: string) => BACKEND_LABELS[b as BackendName] ?? b;
        deliver({
          type: 'notice',
          notice: {
            generation: from,
            message: `${label(fault.backend)} failed (${fault.reason}); the run goes on from generation ${from} on ${label(next)} (or the next backend that works), which recomputes the earlier generations.`,
          },
        });
        continue;
      }
      live = false;
      retire(i);
      const elapsedMs = performance.now() - started;
      if (jobId !== latest) return { jobId, status: 'cancelled', elapsedMs, computeMs: 0 };
      if (restarts++ >= maxRestarts)
        return {
          jobId,
          status: 'error',
          elapsedMs,
          computeMs: 0,
          error: `the simulation worker stopped ${restarts} times (last: ${outcome.died})`,
        };
      // A worker only busy for longer than the watchdog allows gets more time on the next try.
      if (outcome.died.startsWith('it stopped answering')) timeout *= 2;
      deliver({
        type: 'notice',
        notice: {
          generation: from,
          message: `The simulation worker stopped (${outcome.died}); a fresh worker took over and the run goes on from generation ${from} with the same numbers.`,
        },
      });
    }
  }

  const parallel = (recipe: AnyRecipe) => forRecipe(recipe).parallelChains?.(recipe) ?? false;

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
        const end = await runOn(
          w,
          jobId,
          recipes[index],
          chains ? { ...options, chains } : options,
          (event) => {
            if (event.type === 'parts' && merge) {
              const items = merge(event.items);
              if (items.length) onEvent(index, { type: 'batch', items });
            } else if (!chains || chains[0] === 0 || event.type === 'notice') {
              // The badge and progress come from the first share; every share's notices count.
              onEvent(index, event);
            }
          },
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
    async injectFault(i, fault) {
      const s = slots[i];
      if (!s || s.dead) return 'no such worker';
      return String(await attempt(() => s.handle.api.injectFault?.(fault)));
    },
    killWorker(i) {
      const s = slots[i];
      if (!s || s.dead) return false;
      s.handle.terminate();
      return true;
    },
    cancel() {
      for (const s of slots)
        if (s && !s.dead) void attempt(() => s.handle.api.cancel(latest)).catch(() => {});
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
