// The phase diagram: one cell per (synthetic share, generations or M), coloured by a metric's
// median on a viridis ramp (perceptually even, colour-blind safe), cells not yet computed in a
// neutral tone, the theory boundary as a line through the columns, the selected cell outlined,
// and a colour key. Clicking a cell calls `onCell`.
import { axisBottom, axisLeft, axisRight } from 'd3-axis';
import { format } from 'd3-format';
import { interpolateRgbBasis } from 'd3-interpolate';
import { scaleBand, scaleLinear, scaleLog, scaleSequential } from 'd3-scale';
import { line } from 'd3-shape';
import { type ChartTable, cell } from './chartTable';
import { type Chart, createFrame, frameChart } from './frame';

/** Viridis at nine stops (van der Walt & Smith), enough for a smooth ramp. */
const VIRIDIS = [
  '#440154',
  '#472d7b',
  '#3b528b',
  '#2c728e',
  '#21918c',
  '#28ae80',
  '#5ec962',
  '#addc30',
  '#fde725',
];
export const viridis = interpolateRgbBasis(VIRIDIS);

export interface HeatmapData {
  /** Column values (synthetic shares, 0–1). */
  columns: number[];
  /** Row values, bottom to top (generations or M). */
  rows: number[];
  /** values[column][row]: the metric's median, or null while not computed (or no number). */
  values: (number | null)[][];
  /** Per column, the theory boundary's row position (fractional row index), or null. */
  boundary: (number | null)[] | null;
  /** The outlined cell, [column, row]. */
  selected: [number, number] | null;
}

export interface HeatmapOptions {
  xLabel: string;
  yLabel: string;
  /** Colour scale: log for spreads that shrink by decades. */
  scale: 'log' | 'linear';
  onCell?: (column: number, row: number) => void;
}

const MARGIN = { top: 18, right: 70, bottom: 34, left: 52 };

export function heatmapChart(element: SVGSVGElement, options: HeatmapOptions): Chart<HeatmapData> {
  const frame = createFrame(element, MARGIN, { x: options.xLabel, y: options.yLabel });
  const cells = frame.plot.append('g').attr('class', 'heat-cells');
  const boundary = frame.plot.append('path').attr('class', 'phase-boundary');
  const boundaryDots = frame.plot.append('g').attr('class', 'phase-boundary-dots');
  const selected = frame.plot.append('rect').attr('class', 'heat-selected');
  const key = frame.svg.select('g').append('g').attr('class', 'heat-key');
  // Unique per chart like the frame's clip path (and named after it).
  const keyId = `${frame.svg.select('clipPath').attr('id')}-key`;
  const gradient = frame.svg
    .select('defs')
    .append('linearGradient')
    .attr('id', keyId)
    .attr('x1', 0)
    .attr('x2', 0)
    .attr('y1', 1)
    .attr('y2', 0);
  gradient
    .selectAll('stop')
    .data(VIRIDIS)
    .join('stop')
    .attr('offset', (_, i) => i / (VIRIDIS.length - 1))
    .attr('stop-color', (c) => c);
  const keyBar = key.append('rect').attr('width', 10).attr('fill', `url(#${keyId})`);
  const keyAxis = key.append('g').attr('class', 'axis');

  const render = (data: HeatmapData) => {
    const { columns, rows, values } = data;
    const x = scaleBand<number>()
      .domain(columns.map((_, i) => i))
      .range([0, frame.innerWidth]);
    const y = scaleBand<number>()
      .domain(rows.map((_, i) => i))
      .range([frame.innerHeight, 0]);
    const finite: number[] = [];
    for (const col of values)
      for (const v of col)
        if (v !== null && Number.isFinite(v) && (options.scale === 'linear' || v > 0))
          finite.push(v);
    let lo = finite.length ? Math.min(...finite) : 0;
    let hi = finite.length ? Math.max(...finite) : 1;
    if (options.scale === 'log') {
      lo = lo > 0 ? lo : 1e-3;
      hi = hi > lo ? hi : lo * 10;
    } else if (hi <= lo) hi = lo + 1;
    const t = (options.scale === 'log' ? scaleLog() : scaleLinear())
      .domain([lo, hi])
      .range([0, 1])
      .clamp(true);
    const colour = scaleSequential(viridis).domain([0, 1]);
    const fill = (v: number | null) =>
      v === null || Number.isNaN(v) ? null : colour(options.scale === 'log' && v <= 0 ? 0 : t(v));

    const flat = values.flatMap((col, c) => col.map((v, r) => ({ c, r, v })));
    cells
      .selectAll<SVGRectElement, { c: number; r: number; v: number | null }>('rect')
      .data(flat)
      .join((enter) => {
        const rect = enter.append('rect');
        rect.append('title');
        return rect;
      })
      .attr('x', (d) => x(d.c) ?? 0)
      .attr('y', (d) => y(d.r) ?? 0)
      .attr('width', x.bandwidth())
      .attr('height', y.bandwidth())
      .attr('class', (d) => (fill(d.v) === null ? 'heat-cell pending' : 'heat-cell'))
      .attr('fill', (d) => fill(d.v))
      .attr('data-column', (d) => d.c)
      .attr('data-row', (d) => d.r)
      .on('click', (_, d) => options.onCell?.(d.c, d.r))
      .select('title')
      .text(
        (d) =>
          `synthetic share ${Math.round(columns[d.c] * 100)} %, ${options.yLabel} ${rows[d.r]}: ${d.v === null ? 'not yet computed' : format('.3~g')(d.v)}`,
      );

    // Row position p (fractional index) to a y coordinate at the rows' centres.
    const rowY = scaleLinear()
      .domain([0, Math.max(1, rows.length - 1)])
      .range([(y(0) ?? 0) + y.bandwidth() / 2, (y(rows.length - 1) ?? 0) + y.bandwidth() / 2]);
    const pts = (data.boundary ?? []).map((p, c) => ({ p, c }));
    boundary.attr(
      'd',
      line<{ p: number | null; c: number }>()
        .defined((d) => d.p !== null)
        .x((d) => (x(d.c) ?? 0) + x.bandwidth() / 2)
        .y((d) => rowY(d.p as number))(pts) ?? '',
    );
    // Dots too: a boundary crossing the grid in one column only is a point, not a line.
    boundaryDots
      .selectAll('circle')
      .data(pts.filter((d) => d.p !== null))
      .join('circle')
      .attr('r', 3.5)
      .attr('cx', (d) => (x(d.c) ?? 0) + x.bandwidth() / 2)
      .attr('cy', (d) => rowY(d.p as number));
    if (data.selected) {
      const [c, r] = data.selected;
      selected
        .attr('x', x(c) ?? 0)
        .attr('y', y(r) ?? 0)
        .attr('width', x.bandwidth())
        .attr('height', y.bandwidth())
        .attr('visibility', 'visible');
    } else selected.attr('visibility', 'hidden');

    const every = (n: number) => Math.max(1, Math.ceil(n / 6));
    frame.xAxis.call(
      axisBottom(x)
        .tickValues(columns.map((_, i) => i).filter((i) => i % every(columns.length) === 0))
        .tickFormat((i) => `${Math.round(columns[i as number] * 100)}%`),
    );
    frame.yAxis.call(
      axisLeft(y)
        .tickValues(rows.map((_, i) => i).filter((i) => i % every(rows.length) === 0))
        .tickFormat((i) => String(rows[i as number])),
    );
    key.attr('transform', `translate(${frame.innerWidth + 14},0)`);
    keyBar.attr('height', frame.innerHeight);
    const keyScale = (options.scale === 'log' ? scaleLog() : scaleLinear())
      .domain([lo, hi])
      .range([frame.innerHeight, 0]);
    keyAxis.attr('transform', 'translate(10,0)').call(axisRight(keyScale).ticks(4, '.2~g'));
  };

  return frameChart(frame, render, { onDestroy: () => key.remove() });
}

/**
 * The chart's numbers: its grid of cells, one row per row of the chart, top (the largest row
 * value) first as drawn, one column per synthetic share.
 */
export function heatmapTable(data: HeatmapData, rowLabel: string, metric: string): ChartTable {
  const { columns, rows, values } = data;
  return {
    caption: `${metric}: median over chains per synthetic share (columns) and ${rowLabel} (rows)`,
    columns: [rowLabel, ...columns.map((c) => `${Math.round(c * 100)} % synthetic`)],
    rows: rows
      .map((r, j) => ({
        header: String(r),
        cells: columns.map((_, i) => {
          const v = values[i]?.[j];
          return v === null || v === undefined ? 'not yet computed' : cell(v);
        }),
      }))
      .reverse(),
  };
}
