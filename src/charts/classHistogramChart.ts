// Which digits a model draws, generation by generation: the shares of its samples by predicted
// class as a stacked area (d3 stack), one column per generation, so a class that dies out
// visibly thins to nothing. The shown generation's column is outlined, and each band wide enough
// to hold it is labelled with its digit there (ten colours are not told apart by colour alone).
import { format } from 'd3-format';
import { scaleLinear } from 'd3-scale';
import { area, curveStepAfter, type SeriesPoint, stack } from 'd3-shape';
import { type ChartTable, cell, tableGenerations } from './chartTable';
import type { Chart } from './frame';
import { createFrame, drawAxes, frameChart } from './frame';
import { DIGIT_COLOURS } from './palettes';

export interface ClassHistogramData {
  /** Per generation computed so far: the share of samples in each class (10 numbers, sum 1). */
  histograms: number[][];
  /** Last generation of the experiment (fixes the x axis while results stream in). */
  generations: number;
  /** Generation on screen; later columns stay hidden. */
  shown: number;
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 48 };
const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/** Shortest band (share of samples) that gets its digit written in it. */
const LABEL_SHARE = 0.06;

type Row = Record<number, number>;

export function classHistogramChart(element: SVGSVGElement): Chart<ClassHistogramData> {
  const frame = createFrame(element, MARGIN, { x: 'generation', y: 'share of samples' });
  const layers = frame.plot.append('g').attr('class', 'class-layers');
  const cursor = frame.plot.append('rect').attr('class', 'class-cursor');
  const labels = frame.plot.append('g').attr('class', 'class-labels');

  const render = (data: ClassHistogramData) => {
    const { histograms, generations, shown } = data;
    const visible = histograms.slice(0, shown + 1);
    // Generation g fills the column [g, g + 1): a step curve over the columns' left edges,
    // with the last column's shares repeated at its right edge.
    const x = scaleLinear()
      .domain([0, Math.max(1, generations + 1)])
      .range([0, frame.innerWidth]);
    const y = scaleLinear().domain([0, 1]).range([frame.innerHeight, 0]);
    const every = Math.max(1, Math.ceil((generations + 1) / Math.max(2, frame.innerWidth / 40)));
    const centres = Array.from({ length: generations + 1 }, (_, g) => g);
    drawAxes(frame, x, y, {
      x: (a) => {
        a.tickValues(centres.filter((g) => g % every === 0).map((g) => g + 0.5)).tickFormat((v) =>
          String(Math.round(Number(v) - 0.5)),
        );
      },
      y: (a) => {
        a.ticks(5, format('.0%'));
      },
    });

    const rows: Row[] = visible.map((h) => Object.fromEntries(DIGITS.map((d) => [d, h[d] ?? 0])));
    if (rows.length > 0) rows.push(rows[rows.length - 1]);
    const series = stack<Row, number>().keys(DIGITS)(rows);
    const shape = area<SeriesPoint<Row>>()
      .curve(curveStepAfter)
      .x((_, i) => x(i))
      .y0((p) => y(p[0]))
      .y1((p) => y(p[1]));
    layers
      .selectAll('path')
      .data(series)
      .join('path')
      .attr('class', (s) => `class-layer digit-${s.key}`)
      .attr('fill', (s) => DIGIT_COLOURS[s.key])
      .attr('d', (s) => shape(s) ?? '');

    const current = visible[shown];
    cursor
      .attr('x', x(shown))
      .attr('width', Math.max(1, x(shown + 1) - x(shown)))
      .attr('y', 0)
      .attr('height', frame.innerHeight)
      .attr('visibility', current ? 'visible' : 'hidden');

    // Direct labels at the shown column: the digit in the middle of its band, where the band is
    // at least LABEL_SHARE tall (a label in a sliver would overlap its neighbours).
    const column = series.map((s) => ({ key: s.key, point: current ? s[shown] : undefined }));
    const labelled = column.filter(
      (c) => c.point !== undefined && c.point[1] - c.point[0] >= LABEL_SHARE,
    );
    const cx = Math.min(frame.innerWidth - 6, (x(shown) + x(shown + 1)) / 2);
    labels
      .selectAll('text')
      .data(labelled, (c) => String((c as { key: number }).key))
      .join('text')
      .attr('class', (c) => `class-label digit-${c.key}`)
      .attr('text-anchor', 'middle')
      .attr('dominant-baseline', 'central')
      .attr('x', cx)
      .attr('y', (c) => {
        const [lo, hi] = c.point as SeriesPoint<Row>;
        return y((lo + hi) / 2);
      })
      .text((c) => String(c.key));
  };

  return frameChart(frame, render);
}

/** Generations a class-share table lists at most (evenly spaced, with the shown one). */
const TABLE_ROWS = 12;

/** The chart's numbers: per generation up to the shown one, the share of samples in each class (%). */
export function classHistogramTable(data: ClassHistogramData): ChartTable {
  const { histograms, shown } = data;
  const count = Math.min(histograms.length, shown + 1);
  return {
    caption: `Share of chain 1's samples read as each digit (%), generations 0 to ${count - 1}`,
    columns: ['generation', ...DIGITS.map((d) => `digit ${d}`)],
    rows: tableGenerations(count, shown, TABLE_ROWS).map((g) => ({
      header: String(g),
      current: g === shown,
      cells: DIGITS.map((d) => cell(100 * (histograms[g][d] ?? 0))),
    })),
  };
}
