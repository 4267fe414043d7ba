// One chain's training set at the shown generation: synthetic and real points stacked in bins,
// with the fitted model's density and the real N(0, 1) scaled to counts.
import { bin, max } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { Gaussian1d } from '../core/models/gaussian1d/gaussian';
import { normalCdf } from '../core/special';
import { type ChartTable, cell } from './chartTable';
import type { Chart } from './frame';
import { createFrame, densityGrid, drawAxes, frameChart, normalPdf } from './frame';

export interface HistogramChartData {
  model: Gaussian1d;
  syntheticSamples: Float32Array;
  realSamples: Float32Array;
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 44 };
const BINS = 48;

export interface HistogramBin {
  x0: number;
  x1: number;
  syn: number;
  real: number;
}

/** The chart's bins: BINS equal bins over whole numbers covering [−4, 4] and every point. */
export function histogramBins(data: HistogramChartData): {
  lo: number;
  hi: number;
  stacks: HistogramBin[];
  n: number;
} {
  const { syntheticSamples, realSamples } = data;
  const all = [...syntheticSamples, ...realSamples].filter(Number.isFinite);
  let lo = -4;
  let hi = 4;
  for (const v of all) {
    lo = Math.min(lo, Math.floor(v));
    hi = Math.max(hi, Math.ceil(v));
  }
  const thresholds = Array.from({ length: BINS - 1 }, (_, i) => lo + ((hi - lo) * (i + 1)) / BINS);
  const binner = bin<number, number>().domain([lo, hi]).thresholds(thresholds);
  const syn = binner(Array.from(syntheticSamples));
  const real = binner(Array.from(realSamples));
  const stacks = syn.map((b, i) => ({
    x0: b.x0 ?? lo,
    x1: b.x1 ?? hi,
    syn: b.length,
    real: real[i].length,
  }));
  return { lo, hi, stacks, n: all.length };
}

/**
 * The chart's numbers: each non-empty bin's synthetic and real points, and the count the fitted
 * model expects there.
 */
export function histogramTable(data: HistogramChartData): ChartTable {
  const { lo, hi, stacks, n } = histogramBins(data);
  const { model } = data;
  const width = (hi - lo) / BINS;
  const expected = (b: HistogramBin) => {
    // The model's mass in the bin (its CDF difference), in points.
    const c = (x: number) => normalCdf((x - model.mean) / model.std);
    return model.std > 0 ? n * (c(b.x1) - c(b.x0)) : Number.NaN;
  };
  const rows = stacks
    .filter((b) => b.syn + b.real > 0)
    .map((b) => ({
      header: `${fmtEdge(b.x0)} to ${fmtEdge(b.x1)}`,
      cells: [b.syn, b.real, cell(expected(b), 'collapsed to a point')],
    }));
  return {
    caption: `Chain 1's ${n} training points in ${BINS} bins of width ${fmtEdge(width)}, and the fitted model's expected counts`,
    columns: ['bin (x)', 'synthetic points', 'real points', 'fitted model expects'],
    rows,
    note: `${BINS - rows.length} empty bins left out.`,
  };
}

/** A bin edge, short (edges are multiples of a width like 0.1667). */
const fmtEdge = (v: number) => String(Math.abs(v) < 1e-9 ? 0 : Number(v.toPrecision(3)));

export function histogramChart(element: SVGSVGElement): Chart<HistogramChartData> {
  const frame = createFrame(element, MARGIN, { x: 'x', y: 'points' });
  const bars = frame.plot.append('g').attr('class', 'bars');
  const realCurve = frame.plot.append('path').attr('class', 'real-curve');
  const modelCurve = frame.plot.append('path').attr('class', 'model-curve');

  const render = (data: HistogramChartData) => {
    const { model } = data;
    const { lo, hi, stacks, n } = histogramBins(data);
    const x = scaleLinear().domain([lo, hi]).range([0, frame.innerWidth]);
    const width = (hi - lo) / BINS;
    const toCount = (d: number) => d * n * width;
    const yMax = Math.max(max(stacks, (s) => s.syn + s.real) ?? 1, toCount(normalPdf(0, 0, 1)), 1);
    const y = scaleLinear()
      .domain([0, yMax * 1.08])
      .range([frame.innerHeight, 0])
      .nice();
    drawAxes(frame, x, y);

    const rows = stacks.flatMap((s) => [
      { key: `s${s.x0}`, cls: 'bar synthetic', x0: s.x0, x1: s.x1, y0: 0, y1: s.syn },
      { key: `r${s.x0}`, cls: 'bar real', x0: s.x0, x1: s.x1, y0: s.syn, y1: s.syn + s.real },
    ]);
    bars
      .selectAll('rect')
      .data(rows.filter((r) => r.y1 > r.y0))
      .join('rect')
      .attr('class', (r) => r.cls)
      .attr('x', (r) => x(r.x0) + 0.5)
      .attr('width', (r) => Math.max(0.5, x(r.x1) - x(r.x0) - 1))
      .attr('y', (r) => y(r.y1))
      .attr('height', (r) => y(r.y0) - y(r.y1));

    const grid = densityGrid(lo, hi, 200);
    realCurve.attr(
      'd',
      line<number>()
        .x((v) => x(v))
        .y((v) => y(toCount(normalPdf(v, 0, 1))))(grid) ?? '',
    );
    const mgrid = densityGrid(lo, hi, 200, model.mean, model.std);
    modelCurve.attr(
      'd',
      line<number>()
        .x((v) => x(v))
        .y((v) => y(Math.min(toCount(normalPdf(v, model.mean, model.std)), yMax * 3)))(mgrid) ?? '',
    );
  };

  return frameChart(frame, render);
}
