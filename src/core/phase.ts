// The phase diagram: a metric's median after n generations over a grid of synthetic share (x) ×
// generations or samples per generation M (y). Each cell is exactly a single run of its recipe
// (same seed, same streams), read at its generation: over generations one run per column fills
// the whole column, generation by generation; over M each cell is its own run. Where the model
// has a closed form for the metric, the theory boundary is where it crosses a level (σ = ½ for
// the Gaussian: "lost half its spread").
import { type AnyRecipe, fieldsOf, forRecipe, parseRecipe } from './recipe';

export type PhaseAxis = 'generations' | 'samplesPerGeneration';

export interface PhaseGrid {
  metric: string;
  axis: PhaseAxis;
  /** Synthetic shares of the columns, increasing. */
  shares: number[];
  /** The rows: generations (each ≥ 1) or M values, increasing. */
  rows: number[];
  /** The runs to do: a column's run (axis generations) or a cell's (axis M). */
  runs: PhaseRun[];
}

export interface PhaseRun {
  recipe: AnyRecipe;
  column: number;
  /** The rows this run fills (all of them over generations; one over M). */
  rows: number[];
}

/** `n` values evenly spaced over [lo, hi] (n ≥ 2), rounded to 4 decimals. */
export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Number((lo + ((hi - lo) * i) / (n - 1)).toFixed(4)));
}

/**
 * `n` distinct whole numbers from lo to hi, log-spaced where the range allows (near lo, where
 * log steps are under 1, they step by 1); fewer only when [lo, hi] holds fewer than n.
 */
export function logInts(lo: number, hi: number, n: number): number[] {
  const count = Math.min(n, hi - lo + 1);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const ideal = Math.round(lo * (hi / lo) ** (i / Math.max(1, count - 1)));
    // At least one past the previous, and room left for the values still to come.
    out.push(Math.min(hi - (count - 1 - i), Math.max(ideal, (out.at(-1) ?? lo - 1) + 1)));
  }
  return out;
}

export interface PhaseOptions {
  metric: string;
  axis: PhaseAxis;
  /** Columns and rows (each 2–40). */
  size: number;
  /** The last generation (axis generations) or the generations every cell runs (axis M). */
  generations: number;
  /** M values span [lo, hi] on axis M (clamped to the model's limits). */
  mRange?: [number, number];
}

/**
 * The grid and its runs on `base` (seed, replicates and every other field kept; the synthetic
 * share and the row's field set per run). Mitigations that set the share themselves (a schedule)
 * are dropped: the share is the diagram's axis.
 */
export function phaseGrid(base: AnyRecipe, o: PhaseOptions): PhaseGrid {
  const size = Math.max(2, Math.min(40, Math.round(o.size)));
  const shares = linspace(0, 1, size);
  const recipeWith = (fields: Record<string, unknown>): AnyRecipe => {
    const raw: Record<string, unknown> = { ...base, ...fields };
    delete raw.syntheticSchedule;
    const parsed = parseRecipe(raw);
    if (!parsed.ok) throw new Error(`phase diagram: ${parsed.error}`);
    return parsed.recipe;
  };
  const runs: PhaseRun[] = [];
  let rows: number[];
  if (o.axis === 'generations') {
    const last = Math.max(2, o.generations);
    rows = logInts(1, last, size);
    shares.forEach((s, column) => {
      runs.push({
        recipe: recipeWith({ syntheticFraction: s, generations: last }),
        column,
        rows,
      });
    });
  } else {
    const f = fieldsOf(base.model).samplesPerGeneration;
    const lo = Math.max(f.kind === 'enum' ? 1 : f.min, o.mRange?.[0] ?? 10);
    const hi = Math.min(f.kind === 'enum' ? 1000 : f.max, o.mRange?.[1] ?? 1000);
    rows = logInts(lo, hi, size);
    shares.forEach((s, column) => {
      for (const m of rows)
        runs.push({
          recipe: recipeWith({
            syntheticFraction: s,
            samplesPerGeneration: m,
            generations: o.generations,
          }),
          column,
          rows: [m],
        });
    });
  }
  return { metric: o.metric, axis: o.axis, shares, rows, runs };
}

/** The generation a run's result fills cell `row` at: the row itself, or the run's last. */
export function cellGeneration(grid: PhaseGrid, run: PhaseRun, row: number): number {
  return grid.axis === 'generations' ? row : run.recipe.generations;
}

/** The (column, row index, generation) cells a run fills, in generation order. */
export function cellsOf(grid: PhaseGrid, run: PhaseRun): { row: number; generation: number }[] {
  return run.rows.map((r) => ({
    row: grid.rows.indexOf(r),
    generation: cellGeneration(grid, run, r),
  }));
}

/**
 * The theory boundary: per column, the row (fractional, between row centres) where the model's
 * theory of the metric first crosses `level`, or null where it does not within the grid (or the
 * model has no theory for the metric).
 */
export function theoryBoundary(grid: PhaseGrid, level: number): (number | null)[] | null {
  const first = grid.runs[0]?.recipe;
  if (!first) return null;
  if (!forRecipe(first).metricTheory) return null;
  const out: (number | null)[] = [];
  for (let c = 0; c < grid.shares.length; c++) {
    const runs = grid.runs.filter((r) => r.column === c);
    const values: (number | null)[] = grid.rows.map((row) => {
      const run = grid.axis === 'generations' ? runs[0] : runs.find((r) => r.rows[0] === row);
      if (!run) return null;
      const curve = forRecipe(run.recipe).metricTheory?.(run.recipe, grid.metric);
      return curve?.[cellGeneration(grid, run, row)] ?? null;
    });
    if (values.every((v) => v === null)) return null;
    out.push(crossing(values, level));
  }
  return out;
}

/** Where a sequence first crosses `level` (index, interpolated), or null. */
function crossing(values: (number | null)[], level: number): number | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) continue;
    const above0 = (values[0] ?? v) >= level;
    if (above0 ? v < level : v >= level) {
      const p = values[i - 1];
      if (i === 0 || p === null || p === undefined || !Number.isFinite(p)) return i;
      return i - 1 + (p - level) / (p - v);
    }
  }
  return null;
}
