// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  decimate,
  type MetricChartData,
  type MetricChartOptions,
  metricChart,
  type TheoryPoint,
} from '../../../src/charts/metricChart';
import type { Summary } from '../../../src/core/summary';
import { nonFinite, serializeSvg, svgElement } from './render';

/** A summary across chains whose quantiles sit at fixed ratios around the median. */
const spread = (median: number, width: number): Summary => ({
  mean: median,
  median,
  q05: median - 2 * width,
  q25: median - width,
  q75: median + width,
  q95: median + 2 * width,
});
const ratio = (median: number, r: number): Summary => ({
  mean: median,
  median,
  q05: median / r ** 2,
  q25: median / r,
  q75: median * r,
  q95: median * r ** 2,
});

/** σ of a 1-D Gaussian chain over eight generations, shrinking towards 0. */
const SIGMA = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.42, 0.35].map((s) => ratio(s, 1.1));
const SIGMA_THEORY: TheoryPoint[] = SIGMA.map((_, g) => ({
  generation: g,
  value: 0.95 ** g,
  lo: 0.8 * 0.95 ** g,
  hi: 1.2 * 0.95 ** g,
}));
/** The same chains where some collapsed at generation 6: σ = 0 in the lower quantiles, then all. */
const SIGMA_COLLAPSED: Summary[] = [
  ...SIGMA.slice(0, 6),
  { mean: 0.2, median: 0.3, q05: 0, q25: 0, q75: 0.35, q95: 0.4 },
  { mean: 0, median: 0, q05: 0, q25: 0, q75: 0, q95: 0 },
];
/** KL to the real distribution: finite while σ > 0, then ∞ once chains collapse. */
const KL_COLLAPSED: Summary[] = [
  ratio(0.01, 1.5),
  ratio(0.05, 1.5),
  ratio(0.2, 1.5),
  ratio(0.6, 1.5),
  { mean: Infinity, median: 1.4, q05: 0.8, q25: 1, q75: 3, q95: Infinity },
  { mean: Infinity, median: Infinity, q05: Infinity, q25: Infinity, q75: Infinity, q95: Infinity },
];
/** Log-likelihood of real data: −∞ under a collapsed model. */
const LOGLIK_COLLAPSED: Summary[] = [
  spread(-1.42, 0.02),
  spread(-1.5, 0.05),
  spread(-1.8, 0.2),
  { mean: -Infinity, median: -2.6, q05: -Infinity, q25: -3.4, q75: -2.2, q95: -2 },
  {
    mean: -Infinity,
    median: -Infinity,
    q05: -Infinity,
    q25: -Infinity,
    q75: -Infinity,
    q95: -Infinity,
  },
];

function draw(options: MetricChartOptions, data: MetricChartData) {
  const svg = svgElement();
  const chart = metricChart(svg, options);
  chart.resize(360, 240);
  chart.update(data);
  return svg;
}

const sigmaOptions: MetricChartOptions = {
  yLabel: 'σ (log scale)',
  scale: 'log',
  reference: { value: 1, label: 'real σ = 1' },
};

describe('metricChart', () => {
  it('draws the median, both bands, the theory band and the reference on a log axis', async () => {
    const svg = draw(sigmaOptions, {
      summaries: SIGMA,
      generations: 10,
      shown: 7,
      theory: SIGMA_THEORY,
    });
    for (const cls of ['median-line', 'band-outer', 'band-inner', 'theory-line', 'theory-band'])
      expect(svg.querySelector(`path.${cls}`)?.getAttribute('d'), cls).toMatch(/^M/);
    expect(svg.querySelector('.reference-label')?.textContent).toBe('real σ = 1');
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'metricChart: σ on a log axis, with theory band and reference'),
    ).toMatchFileSnapshot('__snapshots__/metricChart.sigma.svg');
  });

  it('draws only the generations up to the shown one, with the cursor on it', () => {
    const svg = draw(sigmaOptions, { summaries: SIGMA, generations: 10, shown: 3, theory: null });
    const median = svg.querySelector('path.median-line')?.getAttribute('d') ?? '';
    expect(median.match(/[ML]/g)).toHaveLength(4);
    expect(svg.querySelector('.cursor-dot')?.getAttribute('visibility')).toBe('visible');
    expect(svg.querySelector('path.theory-line')?.getAttribute('d')).toBe('');
  });

  it('draws chains collapsed to σ = 0 at the foot of a log axis, without NaN or Infinity', async () => {
    const svg = draw(sigmaOptions, {
      summaries: SIGMA_COLLAPSED,
      generations: 7,
      shown: 7,
      theory: SIGMA_THEORY,
    });
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'metricChart: chains collapsing to σ = 0 on a log axis'),
    ).toMatchFileSnapshot('__snapshots__/metricChart.sigma-collapsed.svg');
  });

  it('draws KL = ∞ at the top of a log axis, without NaN or Infinity', async () => {
    const svg = draw(
      { yLabel: 'KL(real ‖ model), nats', scale: 'log' },
      { summaries: KL_COLLAPSED, generations: 5, shown: 5, theory: null },
    );
    expect(nonFinite(svg)).toEqual([]);
    await expect(serializeSvg(svg, 'metricChart: KL reaching ∞ on a log axis')).toMatchFileSnapshot(
      '__snapshots__/metricChart.kl-infinite.svg',
    );
  });

  it('draws a log-likelihood of −∞ at the foot of a linear axis, without NaN or Infinity', async () => {
    const svg = draw(
      { yLabel: 'log-likelihood of real data', scale: 'linear' },
      { summaries: LOGLIK_COLLAPSED, generations: 4, shown: 4, theory: null },
    );
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'metricChart: log-likelihood reaching −∞ on a linear axis'),
    ).toMatchFileSnapshot('__snapshots__/metricChart.loglik-infinite.svg');
  });

  it('draws an empty frame before the first generation arrives', () => {
    const svg = draw(sigmaOptions, { summaries: [], generations: 10, shown: 0, theory: null });
    expect(svg.querySelector('.cursor-dot')?.getAttribute('visibility')).toBe('hidden');
    expect(nonFinite(svg)).toEqual([]);
  });
});

describe('decimate', () => {
  const run = (n: number) =>
    Array.from({ length: n }, (_, g) =>
      g % 97 === 13
        ? null
        : {
            mean: g,
            median: g,
            q05: g - 5 - (g % 7),
            q25: g - 1,
            q75: g + 1,
            q95: g + 5 + (g % 11),
          },
    );

  it('draws a run that fits whole', () => {
    const s = run(50);
    expect(decimate(s, 100)).toEqual(s.map((x, generation) => ({ generation, s: x })));
  });

  it('draws at most `most` points of a 5,000-generation run, the newest median exact, bands as envelopes', () => {
    const s = run(5001);
    const d = decimate(s, 800);
    expect(d.length).toBeLessThanOrEqual(800);
    expect(d.at(-1)?.generation).toBe(5000);
    expect(d.at(-1)?.s?.median).toBe(s[5000]?.median);
    // Each drawn band covers every generation of its bucket.
    let start = 0;
    for (const p of d) {
      for (let g = start; g <= p.generation; g++) {
        const x = s[g];
        if (!x || !p.s) continue;
        expect(p.s.q05).toBeLessThanOrEqual(x.q05);
        expect(p.s.q95).toBeGreaterThanOrEqual(x.q95);
      }
      start = p.generation + 1;
    }
  });

  it('keeps a chart of 5,000 generations to a path of at most ~2 points per pixel', () => {
    const svg = svgElement();
    const chart = metricChart(svg, { yLabel: 'σ', scale: 'log' });
    chart.resize(480, 240);
    const summaries = run(5001).map(
      (x) => x && { ...x, q05: 1 + x.q05 / 1e4, q25: 1, median: 1.5, q75: 2, q95: 3 },
    );
    chart.update({ summaries, generations: 5000, shown: 5000, theory: null });
    const d = svg.querySelector('path.median-line')?.getAttribute('d') ?? '';
    const points = d.split(/[ML]/).filter(Boolean).length;
    expect(points).toBeGreaterThan(100);
    expect(points).toBeLessThanOrEqual(2 * 480);
  });
});
