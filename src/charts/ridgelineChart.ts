// 1-D mixtures: chain 1's fitted density at selected generations as a ridgeline, the real
// density first, later generations below — modes thin out and merge as you read down.
import { scaleLinear } from 'd3-scale';
import { area } from 'd3-shape';
import type { GmmModel } from '../core/mixture';
import { type ChartTable, cell } from './chartTable';
import { selectedGenerations } from './densityChart';
import type { Chart } from './frame';
import { createFrame, frameChart, normalPdf } from './frame';

export interface RidgelineChartData {
  /** Chain 1's model per computed generation (null where it was not finite: not drawn). */
  models: (GmmModel | null)[];
  real: GmmModel;
  shown: number;
  extent: [number, number];
}

const MARGIN = { top: 10, right: 14, bottom: 30, left: 64 };

export function mixturePdf(m: GmmModel, x: number): number {
  let p = 0;
  for (let k = 0; k < m.k; k++)
    p += m.weights[k] * normalPdf(x, m.means[k], Math.sqrt(m.covariances[k]));
  return p;
}

export function ridgelineChart(element: SVGSVGElement): Chart<RidgelineChartData> {
  const frame = createFrame(element, MARGIN, { x: 'x', y: '' });
  const ridges = frame.plot.append('g');
  const labels = frame.svg.append('g').attr('class', 'ridge-labels');

  const render = (data: RidgelineChartData) => {
    const { models, real, shown, extent } = data;
    const x = scaleLinear().domain(extent).range([0, frame.innerWidth]);
    frame.xAxis.call((g) => g.selectAll('*').remove());
    const gens = selectedGenerations(shown).filter((g) => g < models.length && models[g] !== null);
    const rows = [
      { key: 'real', label: 'real', model: real },
      ...gens.map((g) => ({ key: `g${g}`, label: `gen ${g}`, model: models[g] as GmmModel })),
    ];
    const step = frame.innerHeight / (rows.length + 1);
    const xs = Array.from(
      { length: 241 },
      (_, i) => extent[0] + ((extent[1] - extent[0]) * i) / 240,
    );
    const realPeak = Math.max(...xs.map((v) => mixturePdf(real, v)));
    // One real peak fills 1.6 row spacings; taller (collapsed) peaks are clipped at 3.
    const h = (p: number) => Math.min(3 * step, (p / realPeak) * 1.6 * step);
    ridges
      .selectAll('path')
      .data(rows, (r) => (r as { key: string }).key)
      .join('path')
      .attr('class', (r) =>
        r.key === 'real' ? 'ridge real-ridge' : r.key === `g${shown}` ? 'ridge current' : 'ridge',
      )
      .attr('d', (r, i) => {
        const base = step * (i + 1.6);
        return (
          area<number>()
            .x((v) => x(v))
            .y0(base)
            .y1((v) => base - h(mixturePdf(r.model, v)))(xs) ?? ''
        );
      });
    labels
      .selectAll('text')
      .data(rows, (r) => (r as { key: string }).key)
      .join('text')
      .attr('x', frame.margin.left - 6)
      .attr('y', (_, i) => frame.margin.top + step * (i + 1.6))
      .attr('text-anchor', 'end')
      .text((r) => r.label);
    const ticks = x.ticks(6);
    frame.xAxis
      .selectAll('text')
      .data(ticks)
      .join('text')
      .attr('x', (t) => x(t))
      .attr('y', 16)
      .attr('text-anchor', 'middle')
      .text((t) => String(t));
  };

  return frameChart(frame, render);
}

/** Points of the x axis where the ridgeline's table reads each density. */
const TABLE_POINTS = 7;

/** The chart's numbers: per ridge (the real density, then each drawn generation) its density at a few x. */
export function ridgelineTable(data: RidgelineChartData): ChartTable {
  const { models, real, shown, extent } = data;
  const xs = Array.from(
    { length: TABLE_POINTS },
    (_, i) => extent[0] + ((extent[1] - extent[0]) * i) / (TABLE_POINTS - 1),
  );
  const gens = selectedGenerations(shown).filter((g) => g < models.length);
  const row = (header: string, m: GmmModel | null, current?: boolean) => ({
    header,
    current,
    cells: [m ? m.k : 'not finite', ...xs.map((x) => (m ? cell(mixturePdf(m, x)) : 'not finite'))],
  });
  return {
    caption: `The real density and chain 1's fitted mixture at generations up to ${shown}`,
    columns: ['density', 'components', ...xs.map((x) => `at x = ${Number(x.toPrecision(3))}`)],
    rows: [row('real', real), ...gens.map((g) => row(`generation ${g}`, models[g], g === shown))],
  };
}
