// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { mixturePdf, ridgelineChart } from '../../../src/charts/ridgelineChart';
import type { GmmModel } from '../../../src/core/mixture';
import { nonFinite, serializeSvg, svgElement } from './render';

const mixture = (weights: number[], means: number[], variances: number[]): GmmModel => ({
  k: weights.length,
  d: 1,
  weights: Float64Array.from(weights),
  means: Float64Array.from(means),
  covariances: Float64Array.from(variances),
});

const REAL = mixture([0.5, 0.5], [-2, 2], [0.25, 0.25]);
/** Chain 1 over six generations: one mode thins out and the two drift together. */
const MERGING: GmmModel[] = [
  mixture([0.5, 0.5], [-2, 2], [0.25, 0.25]),
  mixture([0.55, 0.45], [-1.9, 1.95], [0.22, 0.24]),
  mixture([0.62, 0.38], [-1.7, 1.8], [0.2, 0.2]),
  mixture([0.7, 0.3], [-1.4, 1.5], [0.16, 0.15]),
  mixture([0.8, 0.2], [-1, 1.1], [0.12, 0.1]),
  mixture([0.9, 0.1], [-0.6, 0.5], [0.08, 0.05]),
];
/** Run on until both components sit on one point with no spread (on a grid point: x = 0). */
const COLLAPSED: GmmModel[] = [...MERGING, mixture([0.5, 0.5], [0, 0], [0, 0])];

function draw(models: GmmModel[], shown: number) {
  const svg = svgElement();
  const chart = ridgelineChart(svg);
  chart.resize(360, 300);
  chart.update({ models, real: REAL, shown, extent: [-4, 4] });
  return svg;
}

describe('mixturePdf', () => {
  it('sums the weighted component densities', () => {
    const at0 = 0.5 * (Math.exp(-8) / Math.sqrt(2 * Math.PI * 0.25)) * 2;
    expect(mixturePdf(REAL, 0)).toBeCloseTo(at0, 12);
  });

  it('is a point mass for components with no spread', () => {
    const point = mixture([1], [0.5], [0]);
    expect(mixturePdf(point, 0.5)).toBe(Number.POSITIVE_INFINITY);
    expect(mixturePdf(point, 0.6)).toBe(0);
  });
});

describe('ridgelineChart', () => {
  it('draws the real density first, then the selected generations down to the shown one', async () => {
    const svg = draw(MERGING, 5);
    const labels = [...svg.querySelectorAll('.ridge-labels text')].map((t) => t.textContent);
    expect(labels).toEqual(['real', 'gen 0', 'gen 1', 'gen 2', 'gen 5']);
    expect(svg.querySelectorAll('path.ridge.current')).toHaveLength(1);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'ridgelineChart: two modes merging over five generations'),
    ).toMatchFileSnapshot('__snapshots__/ridgelineChart.merging.svg');
  });

  it('draws a mixture collapsed to one point as a clipped spike, without NaN or Infinity', async () => {
    const svg = draw(COLLAPSED, 6);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'ridgelineChart: a mixture collapsed to a point mass at 0'),
    ).toMatchFileSnapshot('__snapshots__/ridgelineChart.collapsed.svg');
  });
});
