// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { densityChart, selectedGenerations } from '../../../src/charts/densityChart';
import type { Gaussian1d } from '../../../src/core/models/gaussian1d/gaussian';
import { nonFinite, serializeSvg, svgElement } from './render';

/** Chain 1's fitted models over six generations: narrowing and drifting. */
const NARROWING: Gaussian1d[] = [
  { mean: 0, std: 1 },
  { mean: 0.05, std: 0.92 },
  { mean: -0.1, std: 0.8 },
  { mean: 0.12, std: 0.66 },
  { mean: 0.2, std: 0.5 },
  { mean: 0.26, std: 0.41 },
];
/** The same chain run on until it collapsed to a point: σ = 0 at generation 6. */
const COLLAPSED: Gaussian1d[] = [...NARROWING, { mean: 0.31, std: 0 }];

function draw(models: Gaussian1d[], shown: number) {
  const svg = svgElement();
  const chart = densityChart(svg);
  chart.resize(480, 240);
  chart.update({ models, shown });
  return svg;
}

describe('selectedGenerations', () => {
  it('keeps the milestones before the shown generation, then the shown one', () => {
    expect(selectedGenerations(0)).toEqual([0]);
    expect(selectedGenerations(7)).toEqual([0, 1, 2, 5, 7]);
    expect(selectedGenerations(1000)).toEqual([0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
  });
});

describe('densityChart', () => {
  it('draws the real density and fading model curves up to the shown generation', async () => {
    const svg = draw(NARROWING, 5);
    expect(svg.querySelectorAll('path.model-density')).toHaveLength(4);
    expect(svg.querySelectorAll('path.model-density.current')).toHaveLength(1);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'densityChart: a chain narrowing over five generations'),
    ).toMatchFileSnapshot('__snapshots__/densityChart.narrowing.svg');
  });

  it('draws a chain collapsed to σ = 0 as a clipped spike with finite numbers only', async () => {
    const svg = draw(COLLAPSED, 6);
    expect(nonFinite(svg)).toEqual([]);
    expect(svg.querySelector('.peak-label')?.textContent).toMatch(/↑/);
    expect(svg.querySelector('.chart-note')?.textContent).toBe(
      'Generation 6: collapsed to a point (σ = 0)',
    );
    await expect(
      serializeSvg(svg, 'densityChart: a chain collapsed to σ = 0 at generation 6'),
    ).toMatchFileSnapshot('__snapshots__/densityChart.collapsed.svg');
  });

  it('says a spread that grew beyond the axis (λ = 2: σ ≈ 1e146) instead of drawing it', () => {
    const exploding: Gaussian1d[] = [...NARROWING, { mean: -3e145, std: 1.2e146 }];
    const svg = draw(exploding, 6);
    expect(nonFinite(svg)).toEqual([]);
    expect(svg.querySelector('.chart-note')?.textContent).toBe(
      'Generation 6: spread beyond the chart (σ = 1.2e+146)',
    );
    // The earlier, drawable generations stay; the one beyond the axis is not a flat line at 0.
    expect(svg.querySelectorAll('path.model-density')).toHaveLength(4);
    expect(svg.querySelectorAll('path.model-density.current')).toHaveLength(0);
  });

  it('says nothing for a model it can draw', () => {
    expect(draw(NARROWING, 5).querySelector('.chart-note')?.textContent).toBe('');
  });
});
