// Prints the bench's figures: a text table on stdout, or one JSON object (`--json`).
import type { FigureRow, Reading } from './figures';

/** One line of the report: a figure's reading, with where and on how many cores it ran. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  where: string;
  backend: string;
  cores: number;
  workers?: number;
  note?: string;
  what: string;
  detail?: unknown;
}

export function toFigure(row: FigureRow, r: Reading, cores: number): Figure {
  return {
    name: row.name,
    value: r.value,
    unit: row.unit,
    where: r.where ?? row.where,
    backend: r.backend,
    cores: r.cores ?? cores,
    ...(r.workers !== undefined ? { workers: r.workers } : {}),
    ...(r.note ? { note: r.note } : {}),
    what: row.what,
    ...(r.detail !== undefined ? { detail: r.detail } : {}),
  };
}

export interface Report {
  machine: { cores: number; node: string; webgpuAdapter: string; load: number[] };
  runs: number;
  /** The build the page figures drove. */
  app: string;
  figures: Figure[];
}

export function formatJson(report: Report): string {
  // JSON has no NaN: a figure that could not be measured is null, with its note.
  return `${JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

export function formatText(report: Report): string {
  const rows = report.figures.map((f) => [
    f.name,
    `${Number.isFinite(f.value) ? f.value : '—'} ${f.unit}`.trimEnd(),
    f.where,
    f.backend,
    String(f.cores),
    f.workers === undefined ? '' : String(f.workers),
    f.note ?? '',
  ]);
  const head = ['figure', 'value', 'where', 'backend', 'cores', 'workers', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return (
    `${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n` +
    `\nWebGPU adapter: ${report.machine.webgpuAdapter}. Load average at the start: ${report.machine.load.map((l) => l.toFixed(2)).join(' ')}. ` +
    `App: ${report.app}. Medians; page loads over ${report.runs} cold runs. "chromium (software)": Chromium ` +
    'with --disable-gpu, as a reader without a GPU has it; the rest uses the tests’ flags. "workers": ' +
    'the simulation workers the page started (?workers=1 caps the pool). `--json` says what each figure measures.\n'
  );
}
