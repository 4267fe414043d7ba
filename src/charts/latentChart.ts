// Where a 2-D VAE puts real test digits: each digit's encoder mean as a point (canvas), coloured
// by its true class and drawn in its class's marker shape (ten colours alone are not told apart
// by every reader), over the prior N(0, I)'s 1σ and 2σ circles (SVG). The extent is fixed by
// the caller (e.g. from generation 0) so that a latent space that shrinks is seen to shrink.
import { scaleLinear } from 'd3-scale';
import { symbol } from 'd3-shape';
import { type ChartTable, cell } from './chartTable';
import type { Chart } from './frame';
import { createFrame, drawAxes, frameChart } from './frame';
import { DIGIT_COLOURS, DIGIT_EDGE, DIGIT_SYMBOLS, digitMarkerLayers } from './palettes';

export interface LatentChartData {
  /** n × 2 encoder means. */
  points: Float32Array;
  /** n true labels, 0–9. */
  labels: Uint8Array;
  /** Half-width of the square plotted, in latent units (centred on 0). */
  extent: number;
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 40 };
/** A marker's area in px² (about a 5-px circle): big enough to tell the shapes apart. */
const MARKER_AREA = 22;
/** Line width of the shapes drawn as strokes (×, +, ✳), in px. */
const STROKE_WIDTH = 1.6;
/** The light theme's ink, where the page gives none (a chart drawn outside the app). */
const FALLBACK_INK = '#1f2328';

/** A half-width that holds nearly all of `points` (its 99th percentile of |coordinate|, ≥ 2.5). */
export function latentExtent(points: Float32Array): number {
  const abs = Array.from(points, (v) => Math.abs(v)).filter(Number.isFinite);
  if (abs.length === 0) return 3;
  abs.sort((a, b) => a - b);
  return Math.max(2.5, 1.1 * abs[Math.floor(0.99 * (abs.length - 1))]);
}

export function latentChart(
  element: SVGSVGElement,
  canvas: HTMLCanvasElement,
): Chart<LatentChartData> {
  const frame = createFrame(element, MARGIN, { x: 'z₁', y: 'z₂' });
  const prior = frame.plot.append('g').attr('class', 'prior-circles');

  const render = (data: LatentChartData) => {
    const { points, labels, extent } = data;
    const side = frame.innerWidth;
    const x = scaleLinear().domain([-extent, extent]).range([0, side]);
    const y = scaleLinear().domain([-extent, extent]).range([side, 0]);
    drawAxes(frame, x, y);
    const unit = x(1) - x(0);
    prior
      .selectAll('circle')
      .data([1, 2])
      .join('circle')
      .attr('class', (s) => `prior sigma-${s}`)
      .attr('cx', x(0))
      .attr('cy', y(0))
      .attr('r', (s) => s * unit);

    const dpr = globalThis.devicePixelRatio || 1;
    canvas.width = Math.round(side * dpr);
    canvas.height = Math.round(side * dpr);
    canvas.style.width = `${side}px`;
    canvas.style.height = `${side}px`;
    canvas.style.left = `${frame.margin.left}px`;
    canvas.style.top = `${frame.margin.top}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, side, side);
    ctx.globalAlpha = 0.85;
    // Every marker is edged in the page's ink (digitMarkerLayers), so pale and dark colours both
    // stand out from the panel on either theme.
    const ink = getComputedStyle(element).getPropertyValue(DIGIT_EDGE).trim() || FALLBACK_INK;
    const marker = symbol().size(MARKER_AREA).context(ctx);
    const n = Math.min(labels.length, points.length / 2);
    for (let i = 0; i < n; i++) {
      const px = x(points[2 * i]);
      const py = y(points[2 * i + 1]);
      if (!(px >= 0 && px <= side && py >= 0 && py <= side)) continue;
      const d = labels[i];
      const colour = DIGIT_COLOURS[d] ?? '#888';
      ctx.setTransform(dpr, 0, 0, dpr, dpr * px, dpr * py);
      ctx.beginPath();
      marker.type(DIGIT_SYMBOLS[d]?.type ?? DIGIT_SYMBOLS[0].type)();
      for (const layer of digitMarkerLayers(d, STROKE_WIDTH)) {
        const paint = layer.colour === 'edge' ? ink : colour;
        if (layer.paint === 'fill') {
          ctx.fillStyle = paint;
          ctx.fill();
        } else {
          ctx.strokeStyle = paint;
          ctx.lineWidth = layer.width;
          ctx.stroke();
        }
      }
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  };

  return frameChart(frame, render, {
    onResize: (width, height) => {
      // A square plot: the smaller of the two inner sides.
      const side = Math.max(
        10,
        Math.min(width - MARGIN.left - MARGIN.right, height - MARGIN.top - MARGIN.bottom),
      );
      frame.resize(side + MARGIN.left + MARGIN.right, side + MARGIN.top + MARGIN.bottom);
    },
    onDestroy: () => canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height),
  });
}

/**
 * The chart's numbers: per true digit, how many encoder means it has, their centre and spread
 * (root-mean-square distance from that centre), and how many fall beyond the plotted square.
 */
export function latentTable(data: LatentChartData): ChartTable {
  const { points, labels, extent } = data;
  const n = Math.min(labels.length, points.length / 2);
  const rows: ChartTable['rows'] = [];
  for (let d = 0; d < 10; d++) {
    let count = 0;
    let sx = 0;
    let sy = 0;
    let beyond = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== d) continue;
      const [x, y] = [points[2 * i], points[2 * i + 1]];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        beyond++;
        continue;
      }
      count++;
      sx += x;
      sy += y;
      if (Math.abs(x) > extent || Math.abs(y) > extent) beyond++;
    }
    if (count + beyond === 0) continue;
    const [mx, my] = [sx / count, sy / count];
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const [x, y] = [points[2 * i], points[2 * i + 1]];
      if (labels[i] === d && Number.isFinite(x) && Number.isFinite(y))
        ss += (x - mx) ** 2 + (y - my) ** 2;
    }
    rows.push({
      header: String(d),
      cells: [
        count + beyond,
        cell(count ? mx : null),
        cell(count ? my : null),
        cell(count ? Math.sqrt(ss / count) : null),
        beyond,
      ],
    });
  }
  return {
    caption: `Encoder means of ${n} real test digits, by true digit`,
    columns: ['digit', 'points', 'mean z₁', 'mean z₂', 'spread (rms)', 'beyond the chart'],
    rows,
  };
}
