// Classroom mode's arithmetic: the guess axis (its range from where the run starts) and the score
// of a guess against the result, both in the axis's own scale (a factor on a log axis counts the
// same anywhere on it).

export interface GuessAxis {
  scale: 'log' | 'linear';
  min: number;
  max: number;
}

/** The axis a class guesses on: from 1/100 to twice the start (log), or 0 to twice it (linear). */
export function guessAxis(start: number, scale: 'log' | 'linear'): GuessAxis {
  const s = Number.isFinite(start) && start > 0 ? start : 1;
  return scale === 'log' ? { scale, min: s / 100, max: s * 2 } : { scale, min: 0, max: s * 2 };
}

/** Position of `v` on the axis, 0 (bottom) to 1 (top), clamped. */
export function axisPosition(axis: GuessAxis, v: number): number {
  const t =
    axis.scale === 'log'
      ? Math.log(v / axis.min) / Math.log(axis.max / axis.min)
      : (v - axis.min) / (axis.max - axis.min);
  return Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
}

/** The value at position `t` (0–1) on the axis. */
export function axisValue(axis: GuessAxis, t: number): number {
  const c = Math.min(1, Math.max(0, t));
  return axis.scale === 'log'
    ? axis.min * (axis.max / axis.min) ** c
    : axis.min + c * (axis.max - axis.min);
}

/**
 * 100 for a guess on the result, falling linearly to 0 at half the axis away: the distance is
 * measured along the axis, so on a log axis being off by a factor 2 costs the same at σ 1 or 0.1.
 */
export function guessScore(axis: GuessAxis, guess: number, result: number): number {
  const d = Math.abs(axisPosition(axis, guess) - axisPosition(axis, result));
  return Math.round(100 * Math.max(0, 1 - 2 * d));
}
