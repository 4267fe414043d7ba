// The perplexity of a generation's own passages under the generation-0 model, as in the seed
// paper's figure: one outlined histogram per generation on a log axis, so the reader sees mass
// move to low perplexity (likelier, more repetitive text) while a tail of high-perplexity
// passages (errors the first model would not make) grows.
import { bin, max } from 'd3-array';
import { format } from 'd3-format';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { type Cell, type ChartTable, cell } from './chartTable';
import { type Chart, createFrame, drawAxes, frameChart } from './frame';
import { drawnGenerations } from './rankFrequencyChart';

export interface PerplexityHistogramChartData {
  /** Per generation computed so far, chain 1's passage perplexities (null: not available). */
  generations: (Float64Array | null)[];
  shown: number;
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 44 };
const BINS = 28;

/**
 * The chart's histograms: per drawn generation, the share of its passages in each of BINS equal
 * bins of log₁₀ perplexity over [lo, hi] (whole tenths covering every finite positive value).
 */
export function perplexityBins(data: PerplexityHistogramChartData): {
  lo: number;
  hi: number;
  hists: { g: number; count: number; bins: { x0: number; x1: number; v: number }[] }[];
} {
  const gens = drawnGenerations(data.shown).filter((g) => data.generations[g]);
  const logs = gens.map((g) =>
    Array.from(data.generations[g] as Float64Array)
      .filter((v) => Number.isFinite(v) && v > 0)
      .map(Math.log10),
  );
  let min = 1;
  let max = Number.NEGATIVE_INFINITY;
  for (const l of logs)
    for (const v of l) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  const lo = Math.floor((min - 0.05) * 10) / 10;
  const hi = Math.ceil((Math.max(max, lo + 1) + 0.05) * 10) / 10;
  const thresholds = Array.from({ length: BINS - 1 }, (_, i) => lo + ((hi - lo) * (i + 1)) / BINS);
  const binner = bin<number, number>().domain([lo, hi]).thresholds(thresholds);
  const hists = gens.map((g, i) => {
    const n = Math.max(1, logs[i].length);
    return {
      g,
      count: logs[i].length,
      bins: binner(logs[i]).map((b) => ({ x0: b.x0 ?? lo, x1: b.x1 ?? hi, v: b.length / n })),
    };
  });
  return { lo, hi, hists };
}

/** A perplexity, short. */
const fmtPerplexity = (log10: number) => String(Number((10 ** log10).toPrecision(3)));

/**
 * The chart's numbers: per bin of perplexity that holds any passage, the share of each drawn
 * generation's passages in it (%).
 */
export function perplexityTable(data: PerplexityHistogramChartData): ChartTable {
  const { hists } = perplexityBins(data);
  const bins = hists[0]?.bins ?? [];
  const rows = bins
    .map((b, i) => ({
      header: `${fmtPerplexity(b.x0)} to ${fmtPerplexity(b.x1)}`,
      cells: hists.map((h) => cell(100 * h.bins[i].v)) as Cell[],
      any: hists.some((h) => h.bins[i].v > 0),
    }))
    .filter((r) => r.any)
    .map(({ header, cells }) => ({ header, cells }));
  return {
    caption: "Share of chain 1's passages (%) by perplexity under the generation-0 model",
    columns: ['perplexity', ...hists.map((h) => `generation ${h.g} (${h.count} passages)`)],
    rows,
    note: `${bins.length - rows.length} empty bins of ${bins.length} left out.`,
  };
}

export function perplexityHistogramChart(
  element: SVGSVGElement,
): Chart<PerplexityHistogramChartData> {
  const frame = createFrame(element, MARGIN, {
    x: 'perplexity under generation 0 (log)',
    y: 'share of passages',
  });
  const outlines = frame.plot.append('g').attr('class', 'perplexity-outlines');

  const render = (data: PerplexityHistogramChartData) => {
    const { lo, hi, hists } = perplexityBins(data);
    const x = scaleLog()
      .domain([10 ** lo, 10 ** hi])
      .range([0, frame.innerWidth]);
    const yMax = Math.max(
      0.05,
      max(
        hists.flatMap((h) => h.bins),
        (b) => b.v,
      ) ?? 0.05,
    );
    const y = scaleLinear()
      .domain([0, yMax * 1.1])
      .range([frame.innerHeight, 0])
      .nice();
    drawAxes(frame, x, y, { x: (a) => a.ticks(5, format('~s')), y: (a) => a.ticks(4, '.0%') });
    // A step outline per generation.
    const step = (bins: { x0: number; x1: number; v: number }[]): [number, number][] =>
      bins.flatMap((b) => [
        [x(10 ** b.x0), y(b.v)],
        [x(10 ** b.x1), y(b.v)],
      ]);
    outlines
      .selectAll('path')
      .data(hists, (d) => String((d as { g: number }).g))
      .join('path')
      .attr('class', (d) =>
        d.g === data.shown ? 'perplexity-outline shown' : 'perplexity-outline earlier',
      )
      .attr('data-generation', (d) => d.g)
      .attr('opacity', (d) =>
        d.g === data.shown ? 1 : 0.25 + (0.5 * (d.g + 1)) / (data.shown + 1),
      )
      .attr('d', (d) => line()(step(d.bins)) ?? '');
  };

  return frameChart(frame, render);
}
