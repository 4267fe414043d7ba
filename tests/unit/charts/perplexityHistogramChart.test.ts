// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { perplexityHistogramChart } from '../../../src/charts/perplexityHistogramChart';
import { nonFinite, serializeSvg, svgElement } from './render';

/** n fixed perplexities log-spread around `center` (evenly spaced quantiles, no randomness). */
function spread(n: number, center: number, width: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => center * 10 ** (width * ((i + 0.5) / n - 0.5)));
}

function draw(generations: (Float64Array | null)[], shown: number) {
  const svg = svgElement();
  const chart = perplexityHistogramChart(svg);
  chart.resize(360, 240);
  chart.update({ generations, shown });
  return svg;
}

describe('perplexityHistogramChart', () => {
  it('outlines one histogram per generation, mass moving low while a tail grows', async () => {
    const later = Float64Array.from([...spread(100, 20, 0.6), ...spread(28, 3000, 0.5)]);
    const svg = draw([spread(128, 120, 0.8), null, later], 2);
    const paths = [...svg.querySelectorAll('path.perplexity-outline')];
    expect(paths.map((p) => p.getAttribute('data-generation'))).toEqual(['0', '2']);
    expect(
      svg.querySelector('path.perplexity-outline.shown')?.getAttribute('data-generation'),
    ).toBe('2');
    const ticks = [...svg.querySelectorAll('.axis-x .tick text')].map((t) => t.textContent);
    expect(ticks.length).toBeGreaterThan(2);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(
        svg,
        'perplexityHistogramChart: generation 0 around 120, generation 2 around 20 with a tail near 3,000',
      ),
    ).toMatchFileSnapshot('__snapshots__/perplexityHistogramChart.tail.svg');
  });

  it('draws identical passages (every perplexity equal) as one bar', () => {
    const svg = draw([new Float64Array(16).fill(1.5)], 0);
    expect(nonFinite(svg)).toEqual([]);
    const d = svg.querySelector('path.perplexity-outline')?.getAttribute('d') ?? '';
    expect(d).toMatch(/^M/);
  });

  it('ignores non-finite perplexities instead of drawing them', () => {
    const svg = draw([Float64Array.of(10, Number.POSITIVE_INFINITY, Number.NaN, 20)], 0);
    expect(nonFinite(svg)).toEqual([]);
  });
});
