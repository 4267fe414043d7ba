// One metric of a lockstep comparison over generations: each variant's replicate median and
// 25–75 % band on shared axes, in the variant's colour (classes variant-0…3, a colour-blind-safe
// palette in styles.css), with the generations where a variant's chains starved marked under the
// axis and the shown generation's values as dots.
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { area, line } from 'd3-shape';
import type { Summary } from '../core/summary';
import { type ChartTable, rangeCell, tableGenerations } from './chartTable';
import { type Chart, createFrame, drawAxes, frameChart } from './frame';
import { referenceLine } from './referenceLine';
import { drawStarved } from './starvedMarks';
import { valueScale } from './valueScale';

export interface ComparisonSeries {
  /** Per generation computed so far, the variant's summary (null: no chain gave a number). */
  summaries: (Summary | null)[];
  /** Generations where some chain of the variant starved. */
  starved: number[];
}

export interface ComparisonChartData {
  series: ComparisonSeries[];
  generations: number;
  shown: number;
  reference?: { value: number; label: string };
}

export interface ComparisonChartOptions {
  yLabel: string;
  scale: 'log' | 'linear';
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 48 };

export function comparisonChart(
  element: SVGSVGElement,
  options: ComparisonChartOptions,
): Chart<ComparisonChartData> {
  const frame = createFrame(element, MARGIN, { x: 'generation', y: options.yLabel });
  const bands = frame.plot.append('g').attr('class', 'variant-bands');
  const drawReference = referenceLine(frame.plot);
  const lines = frame.plot.append('g').attr('class', 'variant-lines');
  const marks = frame.plot.append('g').attr('class', 'variant-marks');
  const cursor = frame.plot.append('line').attr('class', 'cursor-line');
  const dots = frame.plot.append('g').attr('class', 'variant-dots');

  const render = (data: ComparisonChartData) => {
    const { series, generations, shown, reference } = data;
    const visible = series.map((s) => s.summaries.slice(0, shown + 1));
    const x = scaleLinear()
      .domain([0, Math.max(1, generations)])
      .range([0, frame.innerWidth]);
    const values: number[] = [];
    for (const v of visible) for (const s of v) if (s) values.push(s.q25, s.q75, s.median);
    if (reference) values.push(reference.value);
    const { y, at } = valueScale(values, options.scale, frame.innerHeight);
    drawAxes(frame, x, y);

    const band = area<Summary | null>()
      .defined((s) => s !== null)
      .x((_, i) => x(i))
      .y0((s) => at((s as Summary).q25))
      .y1((s) => at((s as Summary).q75));
    const median = line<Summary | null>()
      .defined((s) => s !== null)
      .x((_, i) => x(i))
      .y((s) => at((s as Summary).median));
    bands
      .selectAll('path')
      .data(visible)
      .join('path')
      .attr('class', (_, i) => `variant-band variant-${i}`)
      .attr('d', (v) => band(v) ?? '');
    lines
      .selectAll('path')
      .data(visible)
      .join('path')
      .attr('class', (_, i) => `variant-line variant-${i}`)
      .attr('d', (v) => median(v) ?? '');
    // Each variant's starved generations, stacked a little apart so they stay distinguishable.
    marks
      .selectAll<SVGGElement, ComparisonSeries>('g')
      .data(series)
      .join('g')
      .attr('class', (_, i) => `variant-${i}`)
      .attr('transform', (_, i) => `translate(0,${-8 * i})`)
      .each(function (s) {
        drawStarved(
          select<SVGGElement, unknown>(this as SVGGElement),
          s.starved.filter((g) => g <= shown),
          x,
          frame.innerHeight,
        );
      });
    drawReference(reference, reference ? at(reference.value) : 0, frame.innerWidth);
    const cx = x(shown);
    cursor.attr('x1', cx).attr('x2', cx).attr('y1', 0).attr('y2', frame.innerHeight);
    const current = visible.map((v) => v[shown] ?? null);
    dots
      .selectAll('circle')
      .data(current)
      .join('circle')
      .attr('class', (_, i) => `variant-dot variant-${i}`)
      .attr('r', 3.5)
      .attr('cx', cx)
      .attr('cy', (s) => (s ? at(s.median) : -10))
      .attr('visibility', (s) => (s ? 'visible' : 'hidden'));
  };

  return frameChart(frame, render);
}

/** Generations a comparison table lists at most (evenly spaced, with the shown one). */
const TABLE_ROWS = 12;

/**
 * The chart's numbers: per generation up to the shown one, each series' median and 25–75 % band
 * (the chart's lines and bands); `names` names the series in order.
 */
export function comparisonTable(data: ComparisonChartData, names: readonly string[]): ChartTable {
  const count = Math.min(
    data.shown + 1,
    Math.max(0, ...data.series.map((s) => s.summaries.length)),
  );
  return {
    caption: `Median and 25–75 % of chains per generation, generations 0 to ${Math.max(0, count - 1)}${data.reference ? `; ${data.reference.label}` : ''}`,
    columns: ['generation', ...data.series.map((_, i) => names[i] ?? `series ${i + 1}`)],
    rows: tableGenerations(count, data.shown, TABLE_ROWS).map((g) => ({
      header: String(g),
      current: g === data.shown,
      cells: data.series.map((s) => {
        const v = s.summaries[g];
        if (v === undefined) return 'computing';
        const starved = s.starved.includes(g) ? ' (a chain starved)' : '';
        if (v === null) return `no number${starved}`;
        return rangeCell(v.median, v.q25, v.q75);
      }),
    })),
  };
}
