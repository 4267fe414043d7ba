// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { classHistogramChart } from '../../../src/charts/classHistogramChart';
import { DIGIT_COLOURS } from '../../../src/charts/palettes';
import { nonFinite, serializeSvg, svgElement } from './render';

const EVEN = Array.from({ length: 10 }, () => 0.1);
/** Class shares over four generations: digit 1 takes over while 5 and 8 die out. */
const NARROWING = [
  EVEN,
  [0.08, 0.16, 0.1, 0.1, 0.1, 0.08, 0.1, 0.1, 0.08, 0.1],
  [0.06, 0.3, 0.1, 0.1, 0.1, 0.02, 0.1, 0.1, 0.02, 0.1],
  [0.04, 0.5, 0.08, 0.08, 0.08, 0, 0.08, 0.14, 0, 0],
];
/** Every sample read as an 8: the model collapsed to one class. */
const ONE_CLASS = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0];

function draw(histograms: number[][], generations: number, shown: number) {
  const svg = svgElement();
  const chart = classHistogramChart(svg);
  chart.resize(480, 240);
  chart.update({ histograms, generations, shown });
  return svg;
}

describe('classHistogramChart', () => {
  it('stacks one layer per digit, in its colour, with the shown column outlined', async () => {
    const svg = draw(NARROWING, 5, 3);
    const layers = [...svg.querySelectorAll('path.class-layer')];
    expect(layers.map((l) => l.getAttribute('fill'))).toEqual([...DIGIT_COLOURS]);
    expect(svg.querySelector('.class-cursor')?.getAttribute('visibility')).toBe('visible');
    // The digits wide enough at the shown generation are written in their bands (≥ 6 %).
    const labels = [...svg.querySelectorAll('text.class-label')].map((t) => t.textContent);
    expect(labels).toEqual(['1', '2', '3', '4', '6', '7']);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'classHistogramChart: digit 1 taking over in four generations of five'),
    ).toMatchFileSnapshot('__snapshots__/classHistogramChart.narrowing.svg');
  });

  it('draws a model collapsed to one class as a single full-height layer', async () => {
    const svg = draw([EVEN, ONE_CLASS, ONE_CLASS], 2, 2);
    const eight = svg.querySelector('path.digit-8')?.getAttribute('d') ?? '';
    expect(eight).toMatch(/^M/);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'classHistogramChart: every sample an 8 from generation 1'),
    ).toMatchFileSnapshot('__snapshots__/classHistogramChart.one-class.svg');
  });

  it('hides the cursor while the shown generation has no column yet', () => {
    const svg = draw([EVEN], 5, 3);
    expect(svg.querySelector('.class-cursor')?.getAttribute('visibility')).toBe('hidden');
    expect(nonFinite(svg)).toEqual([]);
  });
});
