// What a model runner gets from the worker: a way to report, to yield, and to learn it was
// superseded. Runners batch their generations and yield every few tens of milliseconds so that a
// new run or a cancel is seen at once.
import type { RunEvent } from './protocol';

export interface JobContext {
  emit(event: RunEvent, transfer?: Transferable[]): void;
  /** True once another run started or this one was cancelled. */
  cancelled(): boolean;
  /** Lets incoming messages (a cancel, a new run) through. */
  yieldNow(): Promise<void>;
  /** Adds time spent in the model's own computation (for the bench). */
  addComputeMs(ms: number): void;
  /** `?backend=` override from the page (or --backend in the CLI). */
  backendOverride: string | null;
  /** Reads a file the app ships in public/data (fetch in a browser, the file system in Node). */
  loadData(name: string): Promise<ArrayBuffer>;
  /**
   * Why the backend was lost since the last call (a WebGPU device or WebGL context), or null: the
   * run stops between generations rather than go on computing on a dead backend.
   */
  lostBackend?(): { backend: string; reason: string } | null;
}

/** A run stopped between generations because its backend was lost. */
export class BackendLost extends Error {
  constructor(readonly fault: { backend: string; reason: string }) {
    super(fault.reason);
    this.name = 'BackendLost';
  }
}

/** A recognisable end of a run that was cancelled (or superseded) in the middle of a step. */
export class RunCancelled extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'RunCancelled';
  }
}

/** How long a runner computes before it posts what it has and yields. */
export const SLICE_MS = 25;

/**
 * Collects items and flushes them as one event per slice; the first item goes out at once, so a
 * reader sees the first generation without waiting out a slice.
 */
export function batcher<T>(
  ctx: JobContext,
  toEvent: (items: T[]) => RunEvent,
  buffersOf: (item: T) => ArrayBuffer[] = () => [],
) {
  let items: T[] = [];
  let sliceStart = performance.now();
  let posted = false;
  const flush = () => {
    if (items.length === 0) return;
    ctx.emit(toEvent(items), items.flatMap(buffersOf));
    items = [];
    posted = true;
  };
  return {
    push(item: T) {
      items.push(item);
    },
    /** Flushes and yields when the slice is used up; resolves true if the job was cancelled. */
    async maybeYield(): Promise<boolean> {
      const first = !posted && items.length > 0;
      if (!first && performance.now() - sliceStart < SLICE_MS) return false;
      flush();
      await ctx.yieldNow();
      sliceStart = performance.now();
      return ctx.cancelled();
    },
    flush,
  };
}

/**
 * Drains a generation loop into the page: each generation is timed as compute, batched per slice
 * (one event per slice, its buffers transferred), and the loop is closed if the job is cancelled
 * at a yield. Generations before `from` are left out (the page has them).
 */
export async function streamGenerations<T extends { generation: number }>(
  ctx: JobContext,
  gen: AsyncIterator<T, void, undefined>,
  toEvent: (items: T[]) => RunEvent,
  buffersOf: (item: T) => ArrayBuffer[],
  /** Generations before this are computed but not posted (a replay after a worker crash). */
  from = 0,
): Promise<void> {
  const out = batcher<T>(ctx, toEvent, buffersOf);
  try {
    for (;;) {
      const t0 = performance.now();
      const next = await gen.next();
      ctx.addComputeMs(performance.now() - t0);
      // A generation finished on a backend lost meanwhile is not trusted (WebGL reads back zeros).
      const lost = ctx.lostBackend?.();
      if (lost) throw new BackendLost(lost);
      if (next.done) break;
      if (next.value.generation >= from) out.push(next.value);
      if (await out.maybeYield()) return;
    }
    out.flush();
  } finally {
    // Closing the loop releases its models (tensors), whether it ended, failed or was cancelled.
    await gen.return?.(undefined);
  }
}
