// A filmstrip of small 2-D scatters, one panel per generation, left to right: each panel draws a
// model's samples as dots over rings marking the real modes (radius 2 mode stds), so the reader
// sees modes empty, blur or drift from one generation to the next. SVG (a few hundred dots a
// panel); the panel of the generation the scrubber shows is outlined.
import { scaleLinear } from 'd3-scale';
import { type Selection, select } from 'd3-selection';
import { type ChartTable, cell } from './chartTable';
import type { Chart } from './frame';

export interface ScatterStripPanel {
  generation: number;
  /** n × 2 row-major; non-finite points are not drawn. */
  points: ArrayLike<number>;
}

export interface ScatterStripData {
  panels: ScatterStripPanel[];
  /** Real mode centres, m × 2. */
  modes: ArrayLike<number>;
  /** Ring radius around each mode, in data units. */
  modeRadius: number;
  /** Square extent [lo, hi] on both axes. */
  extent: [number, number];
  /** The generation outlined (the scrubber's), if it has a panel. */
  shown?: number;
  /** Dots drawn per panel at most (the first ones). */
  maxPoints?: number;
}

const GAP = 8;
const LABEL = 16;
const MAX_PANEL = 150;
const DEFAULT_POINTS = 250;

export function scatterStripChart(element: SVGSVGElement): Chart<ScatterStripData> {
  const svg = select(element);
  svg.selectAll('*').remove();
  const root = svg.append('g').attr('class', 'scatter-strip');
  let width = 0;
  let height = 0;
  let last: ScatterStripData | null = null;

  const render = (data: ScatterStripData) => {
    const n = data.panels.length;
    const side = Math.max(
      20,
      Math.min(MAX_PANEL, height - LABEL, n > 0 ? (width - GAP * (n - 1)) / n : MAX_PANEL),
    );
    const x = scaleLinear().domain(data.extent).range([0, side]);
    const y = scaleLinear().domain(data.extent).range([side, 0]);
    const r = Math.max(1, Math.abs(x(data.modeRadius) - x(0)));
    const cap = data.maxPoints ?? DEFAULT_POINTS;
    const modes: [number, number][] = [];
    for (let j = 0; j + 1 < data.modes.length; j += 2)
      modes.push([data.modes[j], data.modes[j + 1]]);
    const panels = root
      .selectAll<SVGGElement, ScatterStripPanel>('g.strip-panel')
      .data(data.panels, (p) => String(p.generation))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'strip-panel');
        g.append('rect').attr('class', 'strip-frame');
        g.append('g').attr('class', 'strip-modes');
        g.append('g').attr('class', 'strip-points');
        g.append('text').attr('class', 'strip-label').attr('text-anchor', 'middle');
        return g;
      })
      .attr('transform', (_p, i) => `translate(${(i * (side + GAP)).toFixed(1)},0)`)
      .classed('shown', (p) => p.generation === data.shown);
    panels.select('rect.strip-frame').attr('width', side).attr('height', side);
    panels
      .select('text.strip-label')
      .attr('x', side / 2)
      .attr('y', side + LABEL - 3)
      .text((p) => `gen ${p.generation}`);
    panels.each(function (p) {
      const panel = select(this as SVGGElement);
      (panel.select('g.strip-modes') as Selection<SVGGElement, unknown, null, undefined>)
        .selectAll('circle')
        .data(modes)
        .join('circle')
        .attr('cx', (m) => x(m[0]).toFixed(1))
        .attr('cy', (m) => y(m[1]).toFixed(1))
        .attr('r', r.toFixed(1));
      const dots: [number, number][] = [];
      const count = Math.min(cap, Math.floor(p.points.length / 2));
      for (let i = 0; i < count; i++) {
        const px = x(p.points[2 * i]);
        const py = y(p.points[2 * i + 1]);
        // Off the panel (or not finite): not drawn.
        if (px >= 0 && px <= side && py >= 0 && py <= side) dots.push([px, py]);
      }
      (panel.select('g.strip-points') as Selection<SVGGElement, unknown, null, undefined>)
        .selectAll('circle')
        .data(dots)
        .join('circle')
        .attr('cx', (d) => d[0].toFixed(1))
        .attr('cy', (d) => d[1].toFixed(1))
        .attr('r', 1.2);
    });
  };

  const draw = () => {
    if (last && width > 0) render(last);
  };
  return {
    update(data) {
      last = data;
      draw();
    },
    resize(w, h) {
      width = w;
      height = h;
      svg.attr('viewBox', `0 0 ${w} ${h}`).attr('width', w).attr('height', h);
      draw();
    },
    destroy() {
      last = null;
      svg.selectAll('*').remove();
    },
  };
}

/**
 * The chart's numbers: per panel (generation), the points it draws, how many of the real modes
 * hold one inside their ring, the share of points inside a ring, and the points beyond the panel.
 */
export function scatterStripTable(data: ScatterStripData): ChartTable {
  const cap = data.maxPoints ?? DEFAULT_POINTS;
  const [lo, hi] = data.extent;
  const modes = Math.floor(data.modes.length / 2);
  const r2 = data.modeRadius * data.modeRadius;
  return {
    caption: `Chain 1's samples per generation against the ${modes} real modes (rings of radius ${Number(data.modeRadius.toPrecision(3))})`,
    columns: [
      'generation',
      'points',
      'modes holding a point',
      'points in a ring (%)',
      'beyond the chart',
    ],
    rows: data.panels.map((p) => {
      const count = Math.min(cap, Math.floor(p.points.length / 2));
      const held = new Set<number>();
      let near = 0;
      let beyond = 0;
      for (let i = 0; i < count; i++) {
        const [x, y] = [p.points[2 * i], p.points[2 * i + 1]];
        if (!(x >= lo && x <= hi && y >= lo && y <= hi)) beyond++;
        let inRing = false;
        for (let m = 0; m < modes; m++) {
          if ((x - data.modes[2 * m]) ** 2 + (y - data.modes[2 * m + 1]) ** 2 <= r2) {
            held.add(m);
            inRing = true;
          }
        }
        if (inRing) near++;
      }
      return {
        header: String(p.generation),
        current: p.generation === data.shown,
        cells: [count, held.size, cell(count ? (100 * near) / count : null, '–'), beyond],
      };
    }),
  };
}
