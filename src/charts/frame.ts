// Shared pieces for the D3 charts: an SVG frame with margins, axes that restyle cleanly, and the
// normal density used by several views.
import { type Axis, axisBottom, axisLeft } from 'd3-axis';
import type { NumberValue, ScaleContinuousNumeric } from 'd3-scale';
import { type Selection, select } from 'd3-selection';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Frame {
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /** The plot area, translated by the margins and clipped to it. */
  plot: Selection<SVGGElement, unknown, null, undefined>;
  xAxis: Selection<SVGGElement, unknown, null, undefined>;
  yAxis: Selection<SVGGElement, unknown, null, undefined>;
  width: number;
  height: number;
  innerWidth: number;
  innerHeight: number;
  margin: Margin;
  resize(width: number, height: number): void;
}

let clipCounter = 0;

export function createFrame(
  element: SVGSVGElement,
  margin: Margin,
  labels: { x: string; y: string },
): Frame {
  const svg = select(element);
  svg.selectAll('*').remove();
  const clipId = `clip-${++clipCounter}`;
  const clipRect = svg.append('defs').append('clipPath').attr('id', clipId).append('rect');
  const root = svg.append('g');
  const xAxis = root.append('g').attr('class', 'axis axis-x');
  const yAxis = root.append('g').attr('class', 'axis axis-y');
  const plot = root.append('g').attr('class', 'plot').attr('clip-path', `url(#${clipId})`);
  const xLabel = root
    .append('text')
    .attr('class', 'axis-label')
    .attr('text-anchor', 'end')
    .text(labels.x);
  const yLabel = root
    .append('text')
    .attr('class', 'axis-label')
    .attr('text-anchor', 'start')
    .text(labels.y);

  const frame: Frame = {
    svg,
    plot,
    xAxis,
    yAxis,
    width: 0,
    height: 0,
    innerWidth: 0,
    innerHeight: 0,
    margin,
    resize(width, height) {
      frame.width = width;
      frame.height = height;
      frame.innerWidth = Math.max(10, width - margin.left - margin.right);
      frame.innerHeight = Math.max(10, height - margin.top - margin.bottom);
      svg.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
      root.attr('transform', `translate(${margin.left},${margin.top})`);
      clipRect.attr('width', frame.innerWidth).attr('height', frame.innerHeight);
      xAxis.attr('transform', `translate(0,${frame.innerHeight})`);
      xLabel.attr('x', frame.innerWidth).attr('y', frame.innerHeight + margin.bottom - 4);
      yLabel.attr('x', -margin.left + 4).attr('y', -margin.top + 12);
    },
  };
  return frame;
}

type NumericScale = ScaleContinuousNumeric<number, number>;

/** What every chart factory returns: React's effect feeds it data and sizes, then destroys it. */
export interface Chart<D> {
  update(data: D): void;
  resize(width: number, height: number): void;
  destroy(): void;
}

/**
 * The Chart handle shared by the SVG charts: keeps the latest data and draws it whenever data or
 * size change (once the frame has a size). `onResize` may adjust the frame, e.g. to stay square.
 */
export function frameChart<D>(
  frame: Frame,
  render: (data: D) => void,
  options: { onResize?: (width: number, height: number) => void; onDestroy?: () => void } = {},
): Chart<D> {
  let last: D | null = null;
  const draw = () => {
    if (last !== null && frame.width > 0) render(last);
  };
  return {
    update(data) {
      last = data;
      draw();
    },
    resize(width, height) {
      if (options.onResize) options.onResize(width, height);
      else frame.resize(width, height);
      draw();
    },
    destroy() {
      last = null;
      frame.svg.selectAll('*').remove();
      options.onDestroy?.();
    },
  };
}

export function drawAxes(
  frame: Frame,
  x: NumericScale,
  y: NumericScale,
  configure?: { x?: (a: Axis<NumberValue>) => void; y?: (a: Axis<NumberValue>) => void },
): void {
  const ax = axisBottom(x).ticks(Math.max(2, Math.floor(frame.innerWidth / 80)));
  const ay = axisLeft(y).ticks(Math.max(2, Math.floor(frame.innerHeight / 40)));
  configure?.x?.(ax);
  configure?.y?.(ay);
  frame.xAxis.call(ax);
  frame.yAxis.call(ay);
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
export function normalPdf(x: number, mean: number, std: number): number {
  if (!(std > 0)) return x === mean ? Number.POSITIVE_INFINITY : 0; // collapsed: a point mass
  const z = (x - mean) / std;
  return Math.exp(-0.5 * z * z) / (std * SQRT_2PI);
}

/** Evenly spaced points over [lo, hi], plus extra points near `center` so narrow peaks draw. */
export function densityGrid(
  lo: number,
  hi: number,
  n: number,
  center?: number,
  std?: number,
): number[] {
  const xs: number[] = [];
  for (let i = 0; i <= n; i++) xs.push(lo + ((hi - lo) * i) / n);
  if (center !== undefined && std !== undefined && std < (hi - lo) / 20) {
    for (let i = -40; i <= 40; i++) xs.push(center + (std * i) / 8);
    xs.sort((a, b) => a - b);
  }
  return xs;
}
