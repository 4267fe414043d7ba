// Small pure helpers of the bench: medians, rounding, and where one engine overtakes another.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Chain counts 1, 2, 4, … up to `max` (inclusive when a power of two). */
export function powersOfTwo(max: number): number[] {
  const out: number[] = [];
  for (let r = 1; r <= max; r *= 2) out.push(r);
  return out;
}

/** One chain count of a sweep: ms per generation of each engine (NaN: not measured). */
export interface SweepPoint {
  chains: number;
  tsMs: number;
  batchedMs: number;
}

/**
 * The fewest chains from which the batched engine is faster than the TS engine and stays
 * faster at every larger count measured (so one noisy win below the crossover does not count),
 * or null when it is not ahead at the largest count. Points need not be sorted; points where
 * either time is missing are skipped.
 */
export function crossover(points: readonly SweepPoint[]): number | null {
  const measured = points
    .filter((p) => Number.isFinite(p.tsMs) && Number.isFinite(p.batchedMs))
    .sort((a, b) => a.chains - b.chains);
  let from: number | null = null;
  for (const p of measured) {
    if (p.batchedMs < p.tsMs) from ??= p.chains;
    else from = null;
  }
  return from;
}

/** "R = 16", or "none up to 256" (the largest count measured). */
export function describeCrossover(points: readonly SweepPoint[]): string {
  const r = crossover(points);
  if (r !== null) return `R = ${r}`;
  const largest = Math.max(
    0,
    ...points.filter((p) => Number.isFinite(p.batchedMs)).map((p) => p.chains),
  );
  return `none up to ${largest}`;
}

/** Calls `f` once, on first use, and keeps its promise. */
export function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => {
    p ??= f();
    return p;
  };
}

export interface Outcome<T> {
  value?: T;
  error?: string;
}

/** Runs `f`, turning a failure into a one-line error so one broken workload spares the rest. */
export async function attempt<T>(f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await f() };
  } catch (e) {
    return { error: String(e instanceof Error ? e.message : e).split('\n')[0] };
  }
}
