// The y scale of a metric over generations, shared by the metric and comparison charts: log
// scales span the finite positive values; linear ones start at 0 for counts and probabilities
// and reach below it for log-likelihoods. Clamped, so a collapsed chain's ±∞ sits at the axis's
// end instead of becoming NaN; `at` also lifts values under a log scale's floor onto it.
import { max, min } from 'd3-array';
import { type ScaleContinuousNumeric, scaleLinear, scaleLog } from 'd3-scale';

export interface ValueScale {
  y: ScaleContinuousNumeric<number, number>;
  at(v: number): number;
}

export function valueScale(values: number[], kind: 'log' | 'linear', height: number): ValueScale {
  const finite = values.filter((v) => Number.isFinite(v) && (kind === 'linear' || v > 0));
  let y: ScaleContinuousNumeric<number, number>;
  if (kind === 'log') {
    const lo = min(finite) ?? 0.1;
    const hi = max(finite) ?? 1;
    y = scaleLog()
      .domain([Math.max(lo / 1.3, 1e-300), hi * 1.3])
      .range([height, 0]);
  } else {
    const lo = Math.min(0, min(finite) ?? 0);
    const hi = Math.max(0, max(finite) ?? 1);
    const pad = (hi - lo || 1) * 0.08;
    y = scaleLinear()
      .domain([lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0])
      .nice()
      .range([height, 0]);
  }
  y.clamp(true);
  return { y, at: (v) => y(kind === 'log' ? Math.max(v, y.domain()[0]) : v) };
}
