// When a model's spread cannot be drawn on a chart's fixed axis: collapsed to (nearly) a point, or
// grown (λ > 1) or drifted far beyond the axis. Charts then say so in words instead of drawing a
// spike of unbounded height or a flat line at zero that reads as "no model".
import type { GmmModel } from '../core/mixture';

export type SpreadState = 'collapsed' | 'beyond' | null;

/** Below this share of the axis's width a spread is a point on screen (under a pixel). */
const POINT = 1e-6;
/** Beyond this many axis widths the model's mass is all off the chart. */
const FAR = 20;

/** Whether a model spread `std` around `center` fits an axis spanning `range`. */
export function spreadState(center: number, std: number, range: [number, number]): SpreadState {
  const width = range[1] - range[0];
  if (Number.isNaN(std) || Number.isNaN(center)) return null; // the guard's business
  if (std > width * FAR || Math.abs(center - (range[0] + range[1]) / 2) > width * FAR)
    return 'beyond';
  if (std < width * POINT) return 'collapsed';
  return null;
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(2)).toString() : '∞');

/** The words a chart shows for a state (null: none). */
export function spreadNote(state: SpreadState, std: number): string | null {
  if (state === 'collapsed') return `collapsed to a point (σ = ${fmt(std)})`;
  if (state === 'beyond') return `spread beyond the chart (σ = ${fmt(std)})`;
  return null;
}

/** A 2-D mixture's overall mean and spread (√(trace of its covariance / 2)). */
export function mixtureSpread(m: GmmModel): { center: number; std: number } {
  let mx = 0;
  let my = 0;
  let second = 0;
  for (let k = 0; k < m.k; k++) {
    const w = m.weights[k];
    const [x, y] = [m.means[k * 2], m.means[k * 2 + 1]];
    mx += w * x;
    my += w * y;
    second += w * (m.covariances[k * 4] + m.covariances[k * 4 + 3] + x * x + y * y);
  }
  const variance = Math.max(0, second - mx * mx - my * my) / 2;
  // A single far-off centre counts as drift (beyond), not spread.
  return { center: Math.hypot(mx, my), std: Math.sqrt(variance) };
}
