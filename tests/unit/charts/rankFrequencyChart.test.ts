// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { drawnGenerations, rankFrequencyChart } from '../../../src/charts/rankFrequencyChart';
import { nonFinite, serializeSvg, svgElement } from './render';

/** Zipf's law over `n` words: frequencies ∝ 1/rank, largest first. */
function zipf(n: number): Float64Array {
  let h = 0;
  for (let r = 1; r <= n; r++) h += 1 / r;
  return Float64Array.from({ length: n }, (_, i) => 1 / ((i + 1) * h));
}

function draw(curves: (Float64Array | null)[], shown: number) {
  const svg = svgElement();
  const chart = rankFrequencyChart(svg);
  chart.resize(360, 240);
  chart.update({ curves, real: zipf(2000), shown });
  return svg;
}

describe('rankFrequencyChart', () => {
  it('draws the real curve and earlier generations fainter, the tail shortening', async () => {
    const curves = [zipf(1500), zipf(900), zipf(500), zipf(250)];
    const svg = draw(curves, 3);
    const paths = [...svg.querySelectorAll('path.zipf-curve')];
    expect(paths.map((p) => p.getAttribute('data-generation'))).toEqual(['0', '1', '2', '3']);
    expect(svg.querySelector('path.zipf-curve.shown')?.getAttribute('data-generation')).toBe('3');
    expect(svg.querySelector('path.zipf-real')?.getAttribute('d')).toMatch(/^M/);
    // The shown generation's curve ends at a smaller rank (further left) than generation 0's.
    const lastX = (d: string) => Number(d.split('L').at(-1)?.split(',')[0]);
    expect(lastX(paths[3].getAttribute('d') ?? '')).toBeLessThan(
      lastX(paths[0].getAttribute('d') ?? ''),
    );
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'rankFrequencyChart: Zipf curves of 1,500, 900, 500 and 250 words'),
    ).toMatchFileSnapshot('__snapshots__/rankFrequencyChart.shortening.svg');
  });

  it('draws a chain collapsed to one word without a non-finite number', async () => {
    const svg = draw([zipf(100), Float64Array.of(1)], 1);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'rankFrequencyChart: a chain down to a single word'),
    ).toMatchFileSnapshot('__snapshots__/rankFrequencyChart.one-word.svg');
  });

  it('picks at most five generations, the shown one last', () => {
    expect(drawnGenerations(0)).toEqual([0]);
    expect(drawnGenerations(3)).toEqual([0, 1, 2, 3]);
    expect(drawnGenerations(9)).toEqual([0, 3, 6, 9]);
    expect(drawnGenerations(100)).toEqual([0, 25, 50, 75, 100]);
  });
});
