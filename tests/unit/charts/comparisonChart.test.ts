// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { comparisonChart } from '../../../src/charts/comparisonChart';
import type { Summary } from '../../../src/core/summary';
import { nonFinite, serializeSvg, svgElement } from './render';

const ratio = (median: number, r: number): Summary => ({
  mean: median,
  median,
  q05: median / r ** 2,
  q25: median / r,
  q75: median * r,
  q95: median * r ** 2,
});
/** σ of a replace run collapsing, an accumulate run holding near 1, and one collapsing to 0. */
const REPLACE = [1, 0.9, 0.8, 0.7, 0.6, 0.5].map((s) => ratio(s, 1.1));
const ACCUMULATE = [1, 0.98, 0.97, 0.97, 0.96, 0.96].map((s) => ratio(s, 1.05));
const COLLAPSED: (Summary | null)[] = [
  ratio(1, 1.1),
  ratio(0.3, 2),
  null,
  ratio(0, 1),
  ratio(0, 1),
];

function draw(series: { summaries: (Summary | null)[]; starved: number[] }[], shown: number) {
  const svg = svgElement();
  const chart = comparisonChart(svg, { yLabel: 'σ (log scale)', scale: 'log' });
  chart.resize(360, 200);
  chart.update({ series, generations: 8, shown, reference: { value: 1, label: 'real σ = 1' } });
  return svg;
}

describe('comparisonChart', () => {
  it('draws one median line and band per variant, in its class, with starved marks', async () => {
    const svg = draw(
      [
        { summaries: REPLACE, starved: [] },
        { summaries: ACCUMULATE, starved: [2, 4] },
      ],
      5,
    );
    const lines = [...svg.querySelectorAll('path.variant-line')];
    expect(lines.map((l) => l.getAttribute('class'))).toEqual([
      'variant-line variant-0',
      'variant-line variant-1',
    ]);
    for (const l of lines) expect(l.getAttribute('d')?.match(/[ML]/g)).toHaveLength(6);
    expect(svg.querySelectorAll('.variant-1 path.starved-mark')).toHaveLength(2);
    expect(svg.querySelectorAll('.variant-0 path.starved-mark')).toHaveLength(0);
    expect(svg.querySelectorAll('circle.variant-dot[visibility="visible"]')).toHaveLength(2);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'comparisonChart: replace vs accumulate, σ on a log axis'),
    ).toMatchFileSnapshot('__snapshots__/comparisonChart.regimes.svg');
  });

  it('hides what is past the shown generation and leaves gaps, not NaN, for missing or zero σ', () => {
    const svg = draw(
      [
        { summaries: REPLACE, starved: [4] },
        { summaries: COLLAPSED, starved: [] },
      ],
      2,
    );
    const [a] = [...svg.querySelectorAll('path.variant-line')];
    expect(a.getAttribute('d')?.match(/[ML]/g)).toHaveLength(3);
    expect(svg.querySelectorAll('path.starved-mark')).toHaveLength(0);
    // Generation 2 of the second variant has no number: its dot is hidden.
    expect(svg.querySelectorAll('circle.variant-dot[visibility="hidden"]')).toHaveLength(1);
    const all = draw(
      [
        { summaries: REPLACE, starved: [] },
        { summaries: COLLAPSED, starved: [] },
      ],
      4,
    );
    expect(nonFinite(all)).toEqual([]);
  });
});
