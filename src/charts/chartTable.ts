// A chart's numbers as a table: the text alternative of what a chart draws at the shown
// generation. Each chart factory's module exports a pure function from the chart's own data to
// ChartTables (so the table shows exactly what the chart was given); ui/ChartDataTable.tsx renders
// them. Numbers in a table are always finite: what a chart cannot draw is said in words, as the
// chart says it (charts/spread.ts).

/** A median with its band (rendered "median (low–high)"). */
export interface RangeCell {
  value: number;
  low: number;
  high: number;
}

/** A finite number, a range of finite numbers, or words. */
export type Cell = number | RangeCell | string;

export interface ChartTableRow {
  /** The row's header cell (scope="row"). */
  header: string;
  cells: Cell[];
  /** The row of the shown generation. */
  current?: boolean;
}

export interface ChartTable {
  /** Distinguishes a chart's tables from each other (test ids), when it has several. */
  key?: string;
  caption: string;
  /** Column headers, the row headers' column first. */
  columns: string[];
  rows: ChartTableRow[];
  /** What the rows leave out (e.g. "the first 10 of 500 points"). */
  note?: string;
}

/** Said where a value is not a finite number. */
export const NOT_FINITE = 'not finite';

/** `v` when finite, else the words (a chart draws no NaN or ∞; neither does its table). */
export function cell(v: number | null | undefined, otherwise = NOT_FINITE): Cell {
  return v !== null && v !== undefined && Number.isFinite(v) ? v : otherwise;
}

/** A median and band, when all three are finite; else the words. */
export function rangeCell(
  value: number | undefined,
  low: number | undefined,
  high: number | undefined,
  otherwise = NOT_FINITE,
): Cell {
  if (value === undefined || low === undefined || high === undefined) return otherwise;
  return [value, low, high].every(Number.isFinite) ? { value, low, high } : otherwise;
}

/**
 * At most `max` of generations 0…count−1, evenly spaced, always with the last and the shown one
 * (long runs: a table of every generation would be thousands of rows).
 */
export function tableGenerations(count: number, shown: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const step = Math.ceil(count / max);
  const picked = new Set<number>();
  for (let g = 0; g < count; g += step) picked.add(g);
  picked.add(count - 1);
  if (shown < count) picked.add(shown);
  return [...picked].sort((a, b) => a - b);
}
