// A metric over generations: the replicate median, the 25–75 % and 5–95 % bands, the theory
// curve (and theory band where there is one), a reference line, and the shown generation.
import { format } from 'd3-format';
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import type { Summary } from '../core/summary';
import { type Chart, createFrame, drawAxes, frameChart } from './frame';
import { referenceLine } from './referenceLine';
import { drawStarved } from './starvedMarks';
import { valueScale } from './valueScale';

export interface TheoryPoint {
  generation: number;
  value: number;
  lo?: number;
  hi?: number;
}

export interface MetricChartData {
  /**
   * Per generation, the metric's summary across replicates (only generations computed so far);
   * null where no chain gave a number — a gap in the lines and bands.
   */
  summaries: (Summary | null)[];
  /** Last generation of the experiment (fixes the x axis while results stream in). */
  generations: number;
  /** Generation on screen; data past it stay hidden until playback reaches them. */
  shown: number;
  theory: TheoryPoint[] | null;
  /** A reference line (overrides the option's), e.g. the real distribution's value. */
  reference?: { value: number; label: string };
  /** Generations to mark on the x axis: some chain starved there (kept its previous model). */
  starved?: number[];
}

export interface MetricChartOptions {
  yLabel: string;
  scale: 'log' | 'linear';
  reference?: { value: number; label: string };
}

const MARGIN = { top: 18, right: 14, bottom: 30, left: 48 };

/** A point the chart draws: a generation and its summary (null: a gap). */
export interface DrawnPoint {
  generation: number;
  s: Summary | null;
}

/**
 * At most `most` points for a run of any length: consecutive generations are grouped in equal
 * buckets, each drawn at its last generation (so the newest is exact) with the bucket's envelope
 * for the bands (lowest lows, highest highs) and its last median. Runs that fit are drawn whole.
 */
export function decimate(summaries: readonly (Summary | null)[], most: number): DrawnPoint[] {
  const n = summaries.length;
  if (n <= most) return summaries.map((s, generation) => ({ generation, s }));
  const size = Math.ceil(n / most);
  const out: DrawnPoint[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let env: Summary | null = null;
    for (let g = start; g < end; g++) {
      const s = summaries[g];
      if (!s) continue;
      const e: Summary = env ?? { ...s };
      env = {
        ...e,
        q05: Math.min(e.q05, s.q05),
        q25: Math.min(e.q25, s.q25),
        q75: Math.max(e.q75, s.q75),
        q95: Math.max(e.q95, s.q95),
        median: s.median,
        mean: s.mean,
      };
    }
    out.push({ generation: end - 1, s: env });
  }
  return out;
}

export function metricChart(
  element: SVGSVGElement,
  options: MetricChartOptions,
): Chart<MetricChartData> {
  const frame = createFrame(element, MARGIN, { x: 'generation', y: options.yLabel });
  const outer = frame.plot.append('path').attr('class', 'band band-outer');
  const inner = frame.plot.append('path').attr('class', 'band band-inner');
  const theoryBand = frame.plot.append('path').attr('class', 'theory-band');
  const theoryLine = frame.plot.append('path').attr('class', 'theory-line');
  const drawReference = referenceLine(frame.plot);
  const medianLine = frame.plot.append('path').attr('class', 'median-line');
  const starved = frame.plot.append('g').attr('class', 'starved-marks');
  const cursor = frame.plot.append('line').attr('class', 'cursor-line');
  const cursorDot = frame.plot.append('circle').attr('class', 'cursor-dot').attr('r', 3.5);

  const render = (data: MetricChartData) => {
    const { summaries, generations, shown, theory } = data;
    const reference = data.reference ?? options.reference;
    const visible = summaries.slice(0, shown + 1);
    const x = scaleLinear()
      .domain([0, Math.max(1, generations)])
      .range([0, frame.innerWidth]);

    const values: number[] = [];
    for (const s of visible) if (s) values.push(s.q05, s.q95);
    for (const t of theory ?? []) values.push(t.lo ?? t.value, t.hi ?? t.value);
    if (reference) values.push(reference.value);
    const { y, at: yv } = valueScale(values, options.scale, frame.innerHeight);
    drawAxes(frame, x, y, {
      y: (a) => {
        if (options.scale === 'log') a.ticks(4, format('.2~g'));
      },
    });

    type Field = 'q05' | 'q25' | 'median' | 'q75' | 'q95';
    // Every generation is kept; at most about two points per pixel are drawn (decimate).
    const drawn = decimate(visible, Math.max(2, Math.round(frame.innerWidth * 2)));
    const band = (lo: Field, hi: Field) =>
      area<DrawnPoint>()
        .defined((p) => p.s !== null)
        .x((p) => x(p.generation))
        .y0((p) => yv((p.s as Summary)[lo]))
        .y1((p) => yv((p.s as Summary)[hi]))(drawn) ?? '';
    outer.attr('d', band('q05', 'q95'));
    inner.attr('d', band('q25', 'q75'));
    medianLine.attr(
      'd',
      line<DrawnPoint>()
        .defined((p) => p.s !== null)
        .x((p) => x(p.generation))
        .y((p) => yv((p.s as Summary).median))(drawn) ?? '',
    );
    const t = theory ?? [];
    theoryLine.attr(
      'd',
      line<TheoryPoint>()
        .x((p) => x(p.generation))
        .y((p) => yv(p.value))(t) ?? '',
    );
    const withBand = t.filter((p) => p.lo !== undefined && p.hi !== undefined);
    theoryBand.attr(
      'd',
      withBand.length
        ? (area<TheoryPoint>()
            .x((p) => x(p.generation))
            .y0((p) => yv(p.lo as number))
            .y1((p) => yv(p.hi as number))(withBand) ?? '')
        : '',
    );
    drawReference(reference, reference ? yv(reference.value) : 0, frame.innerWidth);
    drawStarved(
      starved,
      (data.starved ?? []).filter((g) => g <= shown),
      x,
      frame.innerHeight,
    );
    const cx = x(shown);
    cursor.attr('x1', cx).attr('x2', cx).attr('y1', 0).attr('y2', frame.innerHeight);
    const current = visible[shown];
    cursorDot
      .attr('cx', cx)
      .attr('cy', current ? yv(current.median) : -10)
      .attr('visibility', current ? 'visible' : 'hidden');
  };

  return frameChart(frame, render);
}
