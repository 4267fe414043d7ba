// The phase diagram panel: a metric's median over synthetic share × generations (or × M), run off
// the main thread on a pool of workers of its own (so the lab's run goes on), filling in cell by
// cell with progress and Cancel, the theory boundary where the model has one, and a click (or
// Enter on the focused cell) that opens that cell's run in the lab.
import { useEffect, useRef, useState } from 'react';
import type { HeatmapData } from '../charts/heatmapChart';
import { heatmapChart, heatmapTable } from '../charts/heatmapChart';
import { cellsOf, type PhaseAxis, type PhaseGrid, phaseGrid, theoryBoundary } from '../core/phase';
import { type AnyRecipe, forRecipe, MODELS, specOf } from '../core/recipe';
import type { RunEnd } from '../engine/job/protocol';
import { createSimulationClient, type SimulationClient } from '../engine/pool/pool';
import { PHASE_DONE_MARK, type PhaseDoneDetail } from '../state/marks';
import { useStore } from '../state/store';
import { ChartTables, TableDisclosure } from './ChartDataTable';
import { fmt } from './format';

/**
 * The colour scale of a metric, by its name: log where a spec says so. A name means the same
 * quantity in every model (σ is σ), so the chart need not be redrawn when only the model changes.
 */
function phaseScale(metric: string): 'log' | 'linear' {
  return MODELS.some((m) => specOf(m).metricInfo[metric]?.phaseScale === 'log') ? 'log' : 'linear';
}

/** The level the theory boundary marks on a grid's metric, where its model's spec gives one. */
function boundaryLevel(grid: PhaseGrid) {
  const first = grid.runs[0]?.recipe;
  return first ? specOf(first.model).metricInfo[grid.metric]?.phaseBoundary : undefined;
}

let sharedClient: SimulationClient | null = null;
/** The diagram's own pool, started on first use and kept (workers are costly to start). */
function phaseClient(): SimulationClient {
  sharedClient ??= createSimulationClient();
  return sharedClient;
}

interface Computed {
  grid: PhaseGrid;
  values: (number | null)[][];
  filled: number;
  total: number;
  status: 'running' | 'done' | 'cancelled' | 'error';
  error?: string;
  elapsedMs?: number;
}

export function PhaseDiagram() {
  const recipe = useStore((s) => s.recipe);
  const setExperiment = useStore((s) => s.setExperiment);
  const setCursor = useStore((s) => s.setCursor);
  const spec = specOf(recipe.model);
  const [metric, setMetric] = useState<string>(spec.metrics[0]);
  const [axis, setAxis] = useState<PhaseAxis>('generations');
  const [size, setSize] = useState(20);
  const [replicates, setReplicates] = useState(100);
  const [computed, setComputed] = useState<Computed | null>(null);
  const [focus, setFocus] = useState<[number, number] | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const chartRef = useRef<ReturnType<typeof heatmapChart> | null>(null);
  const gridRef = useRef<PhaseGrid | null>(null);
  const cheap = forRecipe(recipe).parallelChains?.(recipe) === true;

  useEffect(() => {
    if (!spec.metrics.includes(metric)) setMetric(spec.metrics[0]);
  }, [spec, metric]);

  const open = (column: number, row: number) => {
    const grid = gridRef.current;
    if (!grid) return;
    const run = grid.runs.find(
      (r) => r.column === column && (grid.axis === 'generations' || r.rows[0] === grid.rows[row]),
    );
    if (!run) return;
    const generation = grid.axis === 'generations' ? grid.rows[row] : run.recipe.generations;
    setExperiment(run.recipe, null);
    setCursor(generation);
    document.querySelector('.stage')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const openRef = useRef(open);
  openRef.current = open;

  // The chart lives as long as the panel; data reaches it at most once per frame.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const chart = heatmapChart(svg, {
      xLabel: 'synthetic share',
      yLabel: axis === 'generations' ? 'generation' : 'M',
      scale: phaseScale(metric),
      onCell: (c, r) => openRef.current(c, r),
    });
    const width = Math.floor(svg.parentElement?.clientWidth ?? 600) || 600;
    chart.resize(Math.min(width, 720), 360);
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, [axis, metric]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart || !computed) return;
    const level = boundaryLevel(computed.grid);
    const data: HeatmapData = {
      columns: computed.grid.shares,
      rows: computed.grid.rows,
      values: computed.values,
      boundary: level ? theoryBoundary(computed.grid, level.level) : null,
      selected: focus,
    };
    const frame = requestAnimationFrame(() => chart.update(data));
    return () => cancelAnimationFrame(frame);
  }, [computed, focus]);

  useEffect(() => () => sharedClient?.cancel(), []);

  const compute = () => {
    const grid = phaseGrid({ ...recipe, replicates } as AnyRecipe, {
      metric,
      axis,
      size,
      generations: axis === 'generations' ? Math.min(recipe.generations, 1000) : 50,
    });
    gridRef.current = grid;
    const values = grid.shares.map(() => grid.rows.map(() => null as number | null));
    const total = grid.shares.length * grid.rows.length;
    let filled = 0;
    const start = performance.now();
    setFocus(null);
    setComputed({ grid, values, filled, total, status: 'running' });
    // Each run's wanted generations, by generation.
    const wanted = grid.runs.map(
      (run) => new Map(cellsOf(grid, run).map((c) => [c.generation, c.row])),
    );
    let pending = 0;
    const flush = () => {
      pending = 0;
      setComputed((c) =>
        c && c.grid === grid ? { ...c, values: values.map((col) => col.slice()), filled } : c,
      );
    };
    // A run's last generations may reach the page after its answer (they travel on another
    // channel): the grid is done when both the runs have ended and every cell is in.
    let ended: RunEnd | null = null;
    let marked = false;
    const settle = () => {
      const end = ended;
      if (!end || marked || (end.status === 'done' && filled < total)) return;
      marked = true;
      cancelAnimationFrame(pending);
      const elapsedMs = performance.now() - start;
      const detail: PhaseDoneDetail = {
        status: end.status,
        elapsedMs,
        cells: filled,
        runs: grid.runs.length,
        workers: phaseClient().workersFor(grid.runs[0].recipe),
      };
      // For `npm run bench`.
      performance.mark(PHASE_DONE_MARK, { detail });
      setComputed((c) =>
        c && c.grid === grid
          ? {
              ...c,
              values: values.map((col) => col.slice()),
              filled,
              status: end.status,
              error: end.error,
              elapsedMs,
            }
          : c,
      );
    };
    phaseClient()
      .runMany(
        grid.runs.map((r) => r.recipe),
        {},
        (index, event) => {
          if (event.type !== 'batch') return;
          const run = grid.runs[index];
          for (const g of event.items) {
            const row = wanted[index].get(g.generation);
            if (row === undefined) continue;
            const v = g.stats[metric]?.median;
            values[run.column][row] = v !== undefined && !Number.isNaN(v) ? v : null;
            filled++;
          }
          if (ended) settle();
          else pending ||= requestAnimationFrame(flush);
        },
      )
      .then((end) => {
        ended = end;
        settle();
      });
  };

  const onKey = (e: React.KeyboardEvent) => {
    const grid = gridRef.current;
    if (!grid) return;
    const [c, r] = focus ?? [0, 0];
    const move: Record<string, [number, number]> = {
      ArrowRight: [1, 0],
      ArrowLeft: [-1, 0],
      ArrowUp: [0, 1],
      ArrowDown: [0, -1],
    };
    if (move[e.key]) {
      e.preventDefault();
      const [dc, dr] = focus ? move[e.key] : [0, 0];
      setFocus([
        Math.max(0, Math.min(grid.shares.length - 1, c + dc)),
        Math.max(0, Math.min(grid.rows.length - 1, r + dr)),
      ]);
    } else if (e.key === 'Enter' && focus) {
      e.preventDefault();
      open(c, r);
    }
  };

  const focusText = (() => {
    if (!computed || !focus) return null;
    const [c, r] = focus;
    const v = computed.values[c]?.[r];
    return `Synthetic share ${Math.round(computed.grid.shares[c] * 100)} %, ${axis === 'generations' ? 'generation' : 'M ='} ${computed.grid.rows[r]}: ${metric} ${v === null || v === undefined ? 'not yet computed' : fmt(v)}. Enter opens this run.`;
  })();
  const level = spec.metricInfo[metric]?.phaseBoundary;

  return (
    <div className="phase-diagram" data-testid="phase-diagram">
      <p className="hint">
        Each cell is the median of {replicates} chains of this recipe at that synthetic share, read
        after that many generations{axis === 'samplesPerGeneration' ? ' (50) with that M' : ''}. It
        runs on workers of its own; click a cell (or move with the arrow keys and press Enter) to
        open its run.
      </p>
      {!cheap && (
        <p className="hint" data-testid="phase-unavailable">
          Training this model takes seconds per generation, so a grid of hundreds of runs would take
          hours: the phase diagram is for the bell curve and the mixtures.
        </p>
      )}
      <div className="phase-controls">
        <label>
          Metric{' '}
          <select
            value={metric}
            onChange={(e) => setMetric(e.target.value)}
            data-testid="phase-metric"
          >
            {spec.metrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Rows{' '}
          <select
            value={axis}
            onChange={(e) => setAxis(e.target.value as PhaseAxis)}
            data-testid="phase-axis"
          >
            <option value="generations">generations</option>
            <option value="samplesPerGeneration">samples per generation M</option>
          </select>
        </label>
        <label>
          Grid{' '}
          <select
            value={size}
            onChange={(e) => setSize(Number(e.target.value))}
            data-testid="phase-size"
          >
            {[5, 10, 20].map((n) => (
              <option key={n} value={n}>
                {n} × {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Chains per cell{' '}
          <select
            value={replicates}
            onChange={(e) => setReplicates(Number(e.target.value))}
            data-testid="phase-replicates"
          >
            {[20, 100, 200].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {computed?.status === 'running' ? (
          <button
            type="button"
            onClick={() => {
              sharedClient?.cancel();
              setComputed((c) => c && { ...c, status: 'cancelled' });
            }}
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={!cheap}
            onClick={compute}
            data-testid="phase-compute"
          >
            Compute
          </button>
        )}
      </div>
      {computed && (
        <p className="run-status" data-testid="phase-status" aria-live="polite">
          {computed.status === 'running'
            ? `Computing: ${computed.filled} of ${computed.total} cells…`
            : computed.status === 'done'
              ? `${computed.total} cells from ${computed.grid.runs.length} runs in ${Math.round(computed.elapsedMs ?? 0)} ms.`
              : computed.status === 'cancelled'
                ? `Stopped at ${computed.filled} of ${computed.total} cells.`
                : `The runs failed: ${computed.error}`}
        </p>
      )}
      {computed && (
        <progress
          max={computed.total}
          value={computed.filled}
          aria-label="Cells computed"
          hidden={computed.status !== 'running'}
        />
      )}
      <figure className="chart chart-wide">
        <figcaption>
          <strong>
            {metric} by synthetic share and {axis === 'generations' ? 'generation' : 'M'}
          </strong>
          {level && computed?.grid.metric === metric && (
            <span className="legend">
              <span className="key key-theory" /> {level.label}
            </span>
          )}
        </figcaption>
        <svg
          ref={svgRef}
          role="img"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the grid takes arrow keys and Enter
          tabIndex={0}
          aria-label={focusText ?? `Phase diagram of ${metric}: use the arrow keys to pick a cell.`}
          onKeyDown={onKey}
          data-testid="phase-chart"
        />
        <TableDisclosure testId="phase-chart-table" title={`phase diagram of ${metric}`}>
          {() =>
            computed ? (
              <ChartTables
                tables={[
                  heatmapTable(
                    {
                      columns: computed.grid.shares,
                      rows: computed.grid.rows,
                      values: computed.values,
                      boundary: null,
                      selected: null,
                    },
                    computed.grid.axis === 'generations' ? 'generation' : 'M',
                    computed.grid.metric,
                  ),
                ]}
                testId="phase-chart-table"
              />
            ) : (
              <p>Nothing computed yet.</p>
            )
          }
        </TableDisclosure>
      </figure>
      {focusText && (
        <p className="sub" aria-live="polite">
          {focusText}
        </p>
      )}
    </div>
  );
}
