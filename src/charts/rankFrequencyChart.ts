// Word frequency against rank on log–log axes (Zipf's plot), one curve per generation: the real
// text's, and chain 1's at selected generations up to the shown one, so the tail visibly
// shortens as words die and the curve's end moves left.
import { max } from 'd3-array';
import { format } from 'd3-format';
import { scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { type ChartTable, cell } from './chartTable';
import { type Chart, createFrame, drawAxes, frameChart } from './frame';

export interface RankFrequencyChartData {
  /** Per generation computed so far, its frequencies largest first (null: not available). */
  curves: (Float64Array | null)[];
  /** The real text's frequencies, largest first. */
  real: Float64Array | null;
  /** Generation on screen: curves up to it are drawn, it in full colour. */
  shown: number;
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 52 };
/** Curves drawn besides the shown one, at most: evenly spaced generations before it. */
const EARLIER = 4;

/** Generations drawn: up to EARLIER evenly spaced ones before `shown`, then `shown`. */
export function drawnGenerations(shown: number): number[] {
  if (shown <= 0) return [0];
  const step = Math.max(1, Math.ceil(shown / EARLIER));
  const out: number[] = [];
  for (let g = 0; g < shown; g += step) out.push(g);
  out.push(shown);
  return out;
}

/** A curve's points as [rank, frequency], thinned on a log scale past rank 200. */
function points(values: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  let next = 1;
  for (let i = 0; i < values.length; i++) {
    const rank = i + 1;
    if (rank < next && i !== values.length - 1) continue;
    if (values[i] > 0 && Number.isFinite(values[i])) out.push([rank, values[i]]);
    next = rank < 200 ? rank + 1 : Math.ceil(rank * 1.02);
  }
  return out;
}

export function rankFrequencyChart(element: SVGSVGElement): Chart<RankFrequencyChartData> {
  const frame = createFrame(element, MARGIN, { x: 'rank of the word', y: 'share of tokens' });
  const realPath = frame.plot.append('path').attr('class', 'real-curve zipf-real');
  const curves = frame.plot.append('g').attr('class', 'zipf-curves');

  const render = (data: RankFrequencyChartData) => {
    const gens = drawnGenerations(data.shown).filter((g) => data.curves[g]);
    const drawn = gens.map((g) => ({ g, pts: points(data.curves[g] as Float64Array) }));
    const real = data.real ? points(data.real) : [];
    const all = [...real, ...drawn.flatMap((d) => d.pts)];
    const maxRank = Math.max(10, max(all, (p) => p[0]) ?? 10);
    const yMax = Math.max(1e-3, max(all, (p) => p[1]) ?? 0.1);
    const yMin = Math.min(yMax / 10, ...all.map((p) => p[1]));
    const x = scaleLog().domain([1, maxRank]).range([0, frame.innerWidth]).nice();
    const y = scaleLog()
      .domain([yMin / 1.5, yMax * 1.5])
      .range([frame.innerHeight, 0])
      .nice();
    const tick = format('~g');
    drawAxes(frame, x, y, {
      x: (a) => a.ticks(4, tick),
      y: (a) => a.ticks(4, '~e'),
    });
    const path = line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]));
    realPath.attr('d', path(real) ?? '');
    curves
      .selectAll('path')
      .data(drawn, (d) => String((d as { g: number }).g))
      .join('path')
      .attr('class', (d) => (d.g === data.shown ? 'zipf-curve shown' : 'zipf-curve earlier'))
      .attr('data-generation', (d) => d.g)
      .attr('opacity', (d) =>
        d.g === data.shown ? 1 : 0.25 + (0.5 * (d.g + 1)) / (data.shown + 1),
      )
      .attr('d', (d) => path(d.pts) ?? '');
  };

  return frameChart(frame, render);
}

/** Ranks a rank–frequency table lists (the head of the curve; the tail is summed up by its length). */
const TABLE_RANKS = 10;

/**
 * The chart's numbers: the share of tokens of the top ranks for the real text and each drawn
 * generation, and each curve's length (the words with any share: where its tail ends).
 */
export function rankFrequencyTable(data: RankFrequencyChartData): ChartTable {
  const gens = drawnGenerations(data.shown).filter((g) => data.curves[g]);
  const curves = [
    { name: 'real text', values: data.real },
    ...gens.map((g) => ({ name: `generation ${g}`, values: data.curves[g] })),
  ].filter((c): c is { name: string; values: Float64Array } => c.values !== null);
  const length = (v: Float64Array) => v.filter((f) => f > 0 && Number.isFinite(f)).length;
  return {
    caption: `Share of tokens of the ${TABLE_RANKS} most frequent words, and how many words have any share`,
    columns: ['rank', ...curves.map((c) => c.name)],
    rows: [
      ...Array.from({ length: TABLE_RANKS }, (_, i) => ({
        header: String(i + 1),
        cells: curves.map((c) => (i < c.values.length ? cell(c.values[i]) : 'no word')),
      })),
      { header: 'words with any share', cells: curves.map((c) => length(c.values)) },
    ],
  };
}
