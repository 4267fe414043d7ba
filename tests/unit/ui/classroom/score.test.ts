import { describe, expect, it } from 'vitest';
import { axisPosition, axisValue, guessAxis, guessScore } from '../../../../src/ui/classroom/score';

describe('the classroom guess axis and score', () => {
  const log = guessAxis(1, 'log');
  const linear = guessAxis(2, 'linear');

  it('spans 1/100 to twice the start on a log axis, 0 to twice it on a linear one', () => {
    expect(log).toEqual({ scale: 'log', min: 0.01, max: 2 });
    expect(linear).toEqual({ scale: 'linear', min: 0, max: 4 });
  });

  it('maps values to positions and back', () => {
    for (const t of [0, 0.25, 0.5, 1]) {
      expect(axisPosition(log, axisValue(log, t))).toBeCloseTo(t, 12);
      expect(axisPosition(linear, axisValue(linear, t))).toBeCloseTo(t, 12);
    }
    expect(axisPosition(log, 1e-9)).toBe(0);
    expect(axisPosition(log, Number.NaN)).toBe(0);
  });

  it('scores 100 on the result, 0 half the axis away, and the same for the same factor anywhere on a log axis', () => {
    expect(guessScore(log, 0.3, 0.3)).toBe(100);
    expect(guessScore(linear, 0, 2)).toBe(0);
    expect(guessScore(log, 0.5, 1)).toBe(guessScore(log, 0.05, 0.1));
    expect(guessScore(log, 0.5, 1)).toBeGreaterThan(guessScore(log, 0.25, 1));
  });

  it('falls back to a unit start when the start is not a positive number', () => {
    expect(guessAxis(Number.NaN, 'log')).toEqual({ scale: 'log', min: 0.01, max: 2 });
    expect(guessAxis(0, 'linear')).toEqual({ scale: 'linear', min: 0, max: 2 });
  });
});
