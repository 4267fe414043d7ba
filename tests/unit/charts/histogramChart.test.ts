// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { histogramChart } from '../../../src/charts/histogramChart';
import type { Gaussian1d } from '../../../src/core/models/gaussian1d/gaussian';
import { nonFinite, serializeSvg, svgElement } from './render';

/** n fixed points spread like N(mean, std²) (evenly spaced quantiles, no randomness). */
function quantilesOf(n: number, mean: number, std: number): Float32Array {
  // The logistic quantile function with a normal's scale: close enough for a picture.
  return Float32Array.from({ length: n }, (_, i) => {
    const p = (i + 0.5) / n;
    return mean + std * 0.5513 * Math.log(p / (1 - p));
  });
}

function draw(model: Gaussian1d, syntheticSamples: Float32Array, realSamples: Float32Array) {
  const svg = svgElement();
  const chart = histogramChart(svg);
  chart.resize(360, 240);
  chart.update({ model, syntheticSamples, realSamples });
  return svg;
}

describe('histogramChart', () => {
  it('stacks synthetic and real points in bins under the model and real densities', async () => {
    const svg = draw({ mean: 0.1, std: 0.8 }, quantilesOf(80, 0.1, 0.8), quantilesOf(20, 0, 1));
    expect(svg.querySelectorAll('rect.bar.synthetic').length).toBeGreaterThan(5);
    expect(svg.querySelectorAll('rect.bar.real').length).toBeGreaterThan(3);
    expect(svg.querySelector('path.model-curve')?.getAttribute('d')).toMatch(/^M/);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'histogramChart: 80 synthetic and 20 real points, σ = 0.8'),
    ).toMatchFileSnapshot('__snapshots__/histogramChart.mixed.svg');
  });

  it('draws a chain collapsed to σ = 0 (every point equal) as one bar and a spike', async () => {
    const svg = draw({ mean: 0.31, std: 0 }, new Float32Array(100).fill(0.31), new Float32Array(0));
    expect(svg.querySelectorAll('rect.bar')).toHaveLength(1);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'histogramChart: a chain collapsed to σ = 0, all points at 0.31'),
    ).toMatchFileSnapshot('__snapshots__/histogramChart.collapsed.svg');
  });

  it('widens its x axis to hold points far out in the tails', () => {
    const svg = draw({ mean: 0, std: 3 }, Float32Array.of(-7.5, 0, 9.2), new Float32Array(0));
    const ticks = [...svg.querySelectorAll('.axis-x .tick text')].map((t) => t.textContent);
    expect(ticks).toEqual(['−5', '0', '5', '10']);
  });
});
