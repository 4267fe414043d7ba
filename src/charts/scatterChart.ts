// One chain's points in 2-D (canvas: thousands of dots), under an SVG overlay with the real
// density's contours and, for a mixture, each fitted component's 1σ and 2σ ellipses.
import { contours } from 'd3-contour';
import { scaleLinear } from 'd3-scale';
import type { GmmModel } from '../core/mixture';
import { type ChartTable, cell } from './chartTable';
import type { Chart } from './frame';
import { createFrame, drawAxes, frameChart } from './frame';
import { mixtureSpread, spreadNote, spreadState } from './spread';

export interface ScatterChartData {
  /** A fitted mixture whose ellipses are drawn (null: points only). */
  model: GmmModel | null;
  /** n×2 row-major. */
  samples: Float32Array;
  synthetic: Uint8Array;
  /** The real density, for contours. */
  density: (x: [number, number]) => number;
  /** Square plotting extent [lo, hi] on both axes. */
  extent: [number, number];
  /** Real-density levels to draw. */
  levels: number[];
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 40 };
const GRID = 90;

/** Semi-axes and rotation (degrees) of the 1σ ellipse of a 2×2 covariance [[a, b], [b, c]]. */
export function ellipseOf(
  a: number,
  b: number,
  c: number,
): { rx: number; ry: number; angle: number } {
  const mid = (a + c) / 2;
  // hypot, not sqrt of squares: a spread that grew without bound (λ > 1) would overflow to ∞.
  const rad = Math.hypot((a - c) / 2, b);
  const l1 = mid + rad;
  const l2 = Math.max(0, mid - rad);
  return {
    rx: Math.sqrt(l1),
    ry: Math.sqrt(l2),
    angle: (Math.atan2(2 * b, a - c) / 2) * (180 / Math.PI),
  };
}

export function scatterChart(
  element: SVGSVGElement,
  canvas: HTMLCanvasElement,
): Chart<ScatterChartData> {
  const frame = createFrame(element, MARGIN, { x: 'x₁', y: 'x₂' });
  const contourLayer = frame.plot.append('g').attr('class', 'real-contours');
  const ellipses = frame.plot.append('g').attr('class', 'component-ellipses');
  const note = frame.plot.append('text').attr('class', 'chart-note').attr('text-anchor', 'middle');
  let contourKey = '';

  const render = (data: ScatterChartData) => {
    const { model, samples, synthetic, extent } = data;
    // Equal units on both axes (a square plot, centred) so ellipses keep their true shape.
    const side = Math.min(frame.innerWidth, frame.innerHeight);
    const offset = (frame.innerWidth - side) / 2;
    const x = scaleLinear()
      .domain(extent)
      .range([offset, offset + side]);
    const y = scaleLinear().domain(extent).range([side, 0]);
    drawAxes(frame, x, y);
    frame.yAxis.attr('transform', `translate(${offset},0)`);

    // Contours are recomputed only when the distribution or the size changes.
    const key = `${extent}:${data.levels}:${side}`;
    if (key !== contourKey) {
      contourKey = key;
      const values = new Float64Array(GRID * GRID);
      for (let j = 0; j < GRID; j++) {
        for (let i = 0; i < GRID; i++) {
          const px = extent[0] + ((i + 0.5) / GRID) * (extent[1] - extent[0]);
          const py = extent[1] - ((j + 0.5) / GRID) * (extent[1] - extent[0]);
          values[j * GRID + i] = data.density([px, py]);
        }
      }
      const sx = side / GRID;
      const sy = side / GRID;
      // Contour rings are in grid units: scale them to the plot and write them as SVG paths.
      const ringsToPath = (rings: number[][][][]) =>
        rings
          .flatMap((polygon) =>
            polygon.map(
              (ring) =>
                `M${ring.map(([gx, gy]) => `${(offset + gx * sx).toFixed(1)},${(gy * sy).toFixed(1)}`).join('L')}Z`,
            ),
          )
          .join('');
      contourLayer
        .selectAll('path')
        .data(contours().size([GRID, GRID]).thresholds(data.levels)(Array.from(values)))
        .join('path')
        .attr('d', (c) => ringsToPath(c.coordinates));
    }

    // Points on the canvas, synthetic and real in their own colours.
    const dpr = globalThis.devicePixelRatio || 1;
    canvas.width = Math.round(frame.innerWidth * dpr);
    canvas.height = Math.round(frame.innerHeight * dpr);
    canvas.style.width = `${frame.innerWidth}px`;
    canvas.style.height = `${frame.innerHeight}px`;
    canvas.style.left = `${frame.margin.left}px`;
    canvas.style.top = `${frame.margin.top}px`;
    const ctx = canvas.getContext('2d');
    if (ctx) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, frame.innerWidth, frame.innerHeight);
      const style = getComputedStyle(element);
      const colours = [
        style.getPropertyValue('--realbar') || '#7c8a9e',
        style.getPropertyValue('--synthetic') || '#c97a04',
      ];
      // Opaque: a translucent point would fall under 3:1 against the panel (WCAG 1.4.11). Where
      // points pile up, the fitted components' ellipses and the table say how tightly.
      for (const flag of [0, 1]) {
        ctx.fillStyle = colours[flag];
        for (let i = 0; i < synthetic.length; i++) {
          if (synthetic[i] !== flag) continue;
          ctx.fillRect(x(samples[2 * i]) - 1.2, y(samples[2 * i + 1]) - 1.2, 2.4, 2.4);
        }
      }
    }

    // A mixture collapsed to a point or spread far off the axes is said in words.
    const spread = model ? mixtureSpread(model) : null;
    const words = spread
      ? spreadNote(spreadState(spread.center, spread.std, extent), spread.std)
      : null;
    note
      .attr('x', offset + side / 2)
      .attr('y', side / 2)
      .text(words ? `The model has ${words}` : '');

    const comps = Array.from({ length: model?.k ?? 0 }, (_, k) => k).flatMap((k) => {
      if (!model) return [];
      const e = ellipseOf(
        model.covariances[k * 4],
        model.covariances[k * 4 + 1],
        model.covariances[k * 4 + 3],
      );
      return [1, 2].map((s) => ({
        k,
        s,
        e,
        w: model.weights[k],
        cx: model.means[k * 2],
        cy: model.means[k * 2 + 1],
      }));
    });
    const px = (v: number) => Math.abs(x(v) - x(0));
    // Screen coordinates far off the chart are pinned (an exploding spread reaches 1e300 in data
    // units); a component with no finite position or size is not drawn.
    const pin = (v: number) => Math.max(-1e5, Math.min(1e5, v));
    const drawn = comps.filter((c) =>
      [x(c.cx), y(c.cy), c.e.rx, c.e.ry, c.e.angle].every((v) => Number.isFinite(v)),
    );
    ellipses
      .selectAll('ellipse')
      .data(drawn)
      .join('ellipse')
      .attr('class', (c) => `component sigma-${c.s}`)
      .attr('transform', (c) => `translate(${pin(x(c.cx))},${pin(y(c.cy))}) rotate(${-c.e.angle})`)
      .attr('rx', (c) => pin(Math.max(0.5, c.s * px(c.e.rx))))
      .attr('ry', (c) => pin(Math.max(0.5, c.s * px(c.e.ry))))
      .attr('stroke-width', (c) => 1 + 2.5 * c.w);
  };

  return frameChart(frame, render, {
    onResize: (width, height) => {
      frame.resize(width, height);
      contourKey = '';
    },
  });
}

/** Points listed in a scatter's table: the first ones (chain 1's sample is in random order). */
export const TABLE_POINTS = 10;

/**
 * The chart's numbers: for a mixture, each component's weight, mean and 1σ ellipse (or the words
 * for a model collapsed or spread beyond the chart), then the first points drawn.
 */
export function scatterTables(data: ScatterChartData): ChartTable[] {
  const { model, samples, synthetic, extent } = data;
  const tables: ChartTable[] = [];
  if (model) {
    const spread = mixtureSpread(model);
    const state = spreadState(spread.center, spread.std, extent);
    const words = spreadNote(state, spread.std);
    tables.push({
      key: 'components',
      caption: `The fitted mixture's ${model.k} components`,
      columns: [
        'component',
        'weight',
        'mean x₁',
        'mean x₂',
        '1σ major semi-axis',
        '1σ minor semi-axis',
        'rotation (°)',
      ],
      rows: Array.from({ length: model.k }, (_, k) => {
        const e = ellipseOf(
          model.covariances[k * 4],
          model.covariances[k * 4 + 1],
          model.covariances[k * 4 + 3],
        );
        return {
          header: String(k + 1),
          cells: [
            cell(model.weights[k]),
            cell(model.means[k * 2]),
            cell(model.means[k * 2 + 1]),
            cell(e.rx),
            cell(e.ry),
            cell(e.angle),
          ],
        };
      }),
      ...(words ? { note: `The model has ${words}.` } : {}),
    });
  }
  const n = Math.min(synthetic.length, samples.length / 2);
  const inside = (v: number) => v >= extent[0] && v <= extent[1];
  const shown = Math.min(n, TABLE_POINTS);
  tables.push({
    key: 'points',
    caption: `The first ${shown} of the ${n} points drawn`,
    columns: ['point', 'x₁', 'x₂', 'origin'],
    rows: Array.from({ length: shown }, (_, i) => {
      const [px, py] = [samples[2 * i], samples[2 * i + 1]];
      const where = inside(px) && inside(py) ? '' : ' (beyond the chart)';
      return {
        header: String(i + 1),
        cells: [cell(px), cell(py), `${synthetic[i] ? 'synthetic' : 'real'}${where}`],
      };
    }),
    note: `${n - shown} more points are drawn but not listed.`,
  });
  return tables;
}
