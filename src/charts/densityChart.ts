// The model's density at selected generations over the real N(0, 1): older generations fade, so
// the curve visibly narrows and drifts as the chain collapses.
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import type { Gaussian1d } from '../core/models/gaussian1d/gaussian';
import { type ChartTable, cell } from './chartTable';
import type { Chart } from './frame';
import { createFrame, densityGrid, drawAxes, frameChart, normalPdf } from './frame';
import { spreadNote, spreadState } from './spread';

/** The earliest generations' colour (the legend's "earlier" key, .key-old in styles.css). */
const EARLIER = '#b9c6d9';

export interface DensityChartData {
  /** Chain 1's fitted model per computed generation (null where it was not finite: not drawn). */
  models: (Gaussian1d | null)[];
  shown: number;
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 44 };
const MILESTONES = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const X_RANGE: [number, number] = [-4, 4];
/** The y axis grows with the peak up to this density; taller peaks are clipped and labelled. */
const Y_CAP = 2.5;

/** Generations drawn: the milestones up to the shown one, and the shown one itself. */
export function selectedGenerations(shown: number): number[] {
  const gens = MILESTONES.filter((g) => g < shown);
  gens.push(shown);
  return gens;
}

export function densityChart(element: SVGSVGElement): Chart<DensityChartData> {
  const frame = createFrame(element, MARGIN, { x: 'x', y: 'density' });
  const real = frame.plot.append('path').attr('class', 'real-density');
  const curves = frame.plot.append('g').attr('class', 'model-curves');
  const peakLabel = frame.svg
    .append('text')
    .attr('class', 'peak-label')
    .attr('text-anchor', 'middle');
  const realLabel = frame.plot.append('text').attr('class', 'real-label').text('real N(0, 1)');
  const note = frame.plot.append('text').attr('class', 'chart-note').attr('text-anchor', 'middle');
  // Earlier generations fade from the theme's accent (the shown one, as in the legend) to a pale
  // blue-grey: mixed by the browser from var(--accent), so the curves follow the page's theme.
  const strokeStyle = (t: number) =>
    `stroke: color-mix(in srgb, var(--accent) ${Math.round(t * 100)}%, ${EARLIER})`;

  const render = (data: DensityChartData) => {
    const { models, shown } = data;
    const x = scaleLinear().domain(X_RANGE).range([0, frame.innerWidth]);
    const current = models[shown];
    const peak = current ? normalPdf(current.mean, current.mean, current.std) : 0.4;
    const yMax = Math.min(Y_CAP, Math.max(0.5, peak * 1.08));
    const y = scaleLinear().domain([0, yMax]).range([frame.innerHeight, 0]).nice();
    drawAxes(frame, x, y);

    const xs = densityGrid(X_RANGE[0], X_RANGE[1], 200);
    real.attr(
      'd',
      area<number>()
        .x((v) => x(v))
        .y0(frame.innerHeight)
        .y1((v) => y(normalPdf(v, 0, 1)))(xs) ?? '',
    );
    realLabel.attr('x', x(0.9)).attr('y', y(0.3));

    // A curve beyond the axis would be a flat line at zero: not drawn, and the shown one named.
    const state = (m: Gaussian1d) => spreadState(m.mean, m.std, X_RANGE);
    const gens = selectedGenerations(shown).filter(
      (g) => g < models.length && models[g] !== null && state(models[g] as Gaussian1d) !== 'beyond',
    );
    const words = current ? spreadNote(state(current), current.std) : null;
    note
      .attr('x', frame.innerWidth / 2)
      .attr('y', frame.innerHeight / 2)
      .text(words ? `Generation ${shown}: ${words}` : '');
    const paths = curves
      .selectAll<SVGPathElement, number>('path')
      .data(gens, (g) => String(g))
      .join('path')
      .attr('class', (g) => (g === shown ? 'model-density current' : 'model-density'));
    paths
      .attr('style', (_, i) =>
        strokeStyle(gens.length === 1 ? 1 : 0.15 + (0.85 * i) / (gens.length - 1)),
      )
      .attr('stroke-opacity', (_, i) =>
        gens.length === 1 ? 1 : 0.35 + (0.65 * i) / (gens.length - 1),
      )
      .attr('d', (g) => {
        const m = models[g] as Gaussian1d;
        const grid = densityGrid(X_RANGE[0], X_RANGE[1], 200, m.mean, m.std);
        return (
          line<number>()
            .x((v) => x(v))
            .y((v) => y(Math.min(normalPdf(v, m.mean, m.std), yMax * 2)))(grid) ?? ''
        );
      });
    paths
      .selectAll('title')
      .data((g) => [g])
      .join('title')
      .text((g) => `generation ${g}`);

    if (current && peak > yMax) {
      peakLabel
        .attr('x', frame.margin.left + x(Math.max(-3.6, Math.min(3.6, current.mean))))
        .attr('y', frame.margin.top - 4)
        .text(`peak ${Number.isFinite(peak) ? peak.toPrecision(2) : '∞'} ↑`);
    } else {
      peakLabel.text('');
    }
  };

  return frameChart(frame, render);
}

/** Where the density table reads each curve. */
const TABLE_X = [-2, -1, 0, 1, 2];

/**
 * The chart's numbers: per drawn generation, chain 1's fitted mean and σ and its density at a few
 * x, under the real N(0, 1)'s; a curve the chart cannot draw says why.
 */
export function densityTable(data: DensityChartData): ChartTable {
  const { models, shown } = data;
  const rows: ChartTable['rows'] = [
    {
      header: 'real N(0, 1)',
      cells: [0, 1, ...TABLE_X.map((x) => normalPdf(x, 0, 1))],
    },
  ];
  for (const g of selectedGenerations(shown)) {
    if (g >= models.length) continue;
    const m = models[g];
    const state = m ? spreadState(m.mean, m.std, X_RANGE) : null;
    const words =
      m === null
        ? 'not finite'
        : state === 'collapsed'
          ? 'collapsed to a point'
          : 'beyond the chart';
    rows.push({
      header: `generation ${g}`,
      current: g === shown,
      cells: [
        cell(m?.mean),
        cell(m?.std),
        ...TABLE_X.map((x) => (m && state === null ? cell(normalPdf(x, m.mean, m.std)) : words)),
      ],
    });
  }
  return {
    caption: `Chain 1's fitted normal density at generations up to ${shown}, and the real N(0, 1)`,
    columns: ['curve', 'mean', 'σ', ...TABLE_X.map((x) => `density at x = ${x}`)],
    rows,
  };
}
