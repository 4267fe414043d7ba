// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createFrame, densityGrid, frameChart, normalPdf } from '../../../src/charts/frame';
import { svgElement } from './render';

describe('normalPdf', () => {
  it('is the normal density', () => {
    expect(normalPdf(0, 0, 1)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
    expect(normalPdf(3, 1, 2)).toBeCloseTo(Math.exp(-0.5) / (2 * Math.sqrt(2 * Math.PI)), 15);
  });

  it('is a point mass when σ = 0: infinite at the mean, 0 elsewhere, never NaN', () => {
    expect(normalPdf(0.3, 0.3, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(normalPdf(0.31, 0.3, 0)).toBe(0);
    expect(normalPdf(-5, 0.3, 0)).toBe(0);
  });
});

describe('densityGrid', () => {
  it('spaces n + 1 points evenly over the range', () => {
    expect(densityGrid(-1, 1, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('adds points around a narrow peak so that it draws, kept in order', () => {
    const grid = densityGrid(-4, 4, 10, 0.5, 0.01);
    expect(grid).toHaveLength(11 + 81);
    expect(grid).toContain(0.5);
    expect(grid).toEqual([...grid].sort((a, b) => a - b));
    expect(densityGrid(-4, 4, 10, 0.5, 1)).toHaveLength(11); // wide: no extra points
  });
});

describe('frameChart', () => {
  it('draws the latest data once the frame has a size, and clears the svg when destroyed', () => {
    const svg = svgElement();
    const frame = createFrame(svg, { top: 1, right: 2, bottom: 3, left: 4 }, { x: 'x', y: 'y' });
    const drawn: number[] = [];
    const chart = frameChart<number>(frame, (d) => drawn.push(d));
    chart.update(1);
    expect(drawn).toEqual([]);
    chart.resize(100, 50);
    expect([frame.innerWidth, frame.innerHeight]).toEqual([94, 46]);
    expect(drawn).toEqual([1]);
    chart.update(2);
    expect(drawn).toEqual([1, 2]);
    chart.destroy();
    expect(svg.childElementCount).toBe(0);
    chart.resize(200, 100);
    expect(drawn).toEqual([1, 2]);
  });
});
