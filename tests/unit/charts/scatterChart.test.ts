// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ellipseOf, scatterChart } from '../../../src/charts/scatterChart';
import type { GmmModel } from '../../../src/core/mixture';
import { nonFinite, recordCanvas, serializeSvg, svgElement } from './render';

const TWO_COMPONENTS: GmmModel = {
  k: 2,
  d: 2,
  weights: Float64Array.of(0.6, 0.4),
  means: Float64Array.of(-1, 0.5, 1.5, -1),
  covariances: Float64Array.of(1, 0.3, 0.3, 0.5, 0.4, -0.1, -0.1, 0.8),
};
/** Both components on one point with no spread. */
const COLLAPSED: GmmModel = {
  k: 2,
  d: 2,
  weights: Float64Array.of(0.5, 0.5),
  means: Float64Array.of(0.3, 0.3, 0.3, 0.3),
  covariances: new Float64Array(8),
};
/** 24 points on two spirals; every other one synthetic. */
const SAMPLES = Float32Array.from({ length: 48 }, (_, j) => {
  const i = j >> 1;
  const r = 0.3 + i * 0.12;
  return (j % 2 === 0 ? Math.cos : Math.sin)(i * 0.9) * r;
});
const SYNTHETIC = Uint8Array.from({ length: 24 }, (_, i) => i % 2);
const standardNormal = ([x, y]: [number, number]) => Math.exp(-(x * x + y * y) / 2) / (2 * Math.PI);

function draw(model: GmmModel, samples: Float32Array, synthetic: Uint8Array) {
  const calls = recordCanvas();
  const svg = svgElement();
  const canvas = document.createElement('canvas');
  const chart = scatterChart(svg, canvas);
  chart.resize(360, 300);
  chart.update({
    model,
    samples,
    synthetic,
    density: standardNormal,
    extent: [-4, 4],
    levels: [0.02, 0.08, 0.14],
  });
  return { svg, canvas, calls };
}

describe('ellipseOf', () => {
  it('gives the 1σ semi-axes and rotation of a 2×2 covariance', () => {
    expect(ellipseOf(4, 0, 1)).toEqual({ rx: 2, ry: 1, angle: 0 });
    const tilted = ellipseOf(2, 1, 2);
    expect(tilted.rx).toBeCloseTo(Math.sqrt(3), 12);
    expect(tilted.ry).toBeCloseTo(1, 12);
    expect(tilted.angle).toBeCloseTo(45, 12);
    expect(ellipseOf(0, 0, 0)).toEqual({ rx: 0, ry: 0, angle: 0 });
  });
});

describe('scatterChart', () => {
  it('draws contours and each component’s 1σ and 2σ ellipses, and the points on its canvas', async () => {
    const { svg, canvas, calls } = draw(TWO_COMPONENTS, SAMPLES, SYNTHETIC);
    expect(svg.querySelectorAll('.real-contours path')).toHaveLength(3);
    expect(svg.querySelectorAll('ellipse.component')).toHaveLength(4);
    expect([canvas.width, canvas.height]).toEqual([306, 252]);
    expect(calls.filter((c) => c.startsWith('fillRect('))).toHaveLength(24);
    // Opaque points: a translucent one would fall under 3:1 against the panel (contrast.test.ts).
    expect(calls.filter((c) => /^globalAlpha = 0\./.test(c))).toEqual([]);
    expect(calls.filter((c) => /NaN|Infinity/.test(c))).toEqual([]);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'scatterChart: two components over a standard normal’s contours'),
    ).toMatchFileSnapshot('__snapshots__/scatterChart.two-components.svg');
  });

  it('draws a mixture collapsed to one point with the smallest ellipses, without NaN', async () => {
    const samples = new Float32Array(48).fill(0.3);
    const { svg, calls } = draw(COLLAPSED, samples, new Uint8Array(24).fill(1));
    expect([...svg.querySelectorAll('ellipse')].map((e) => e.getAttribute('rx'))).toEqual([
      '0.5',
      '0.5',
      '0.5',
      '0.5',
    ]);
    expect(calls.filter((c) => /NaN|Infinity/.test(c))).toEqual([]);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'scatterChart: a mixture collapsed to the point (0.3, 0.3)'),
    ).toMatchFileSnapshot('__snapshots__/scatterChart.collapsed.svg');
  });
});

describe('scatterChart with a spread that grew without bound (λ = 2)', () => {
  it('draws no NaN or Infinity, however far off the chart the components are', () => {
    const EXPLODED: GmmModel = {
      k: 2,
      d: 2,
      weights: Float64Array.of(0.5, 0.5),
      means: Float64Array.of(-5.4e150, 3e149, 0.5, 2e-3),
      covariances: Float64Array.of(4e300, 1e300, 1e300, 9e299, 1e200, 0, 0, 1e200),
    };
    expect(Number.isFinite(ellipseOf(4e300, 1e300, 9e299).rx)).toBe(true);
    const { svg } = draw(EXPLODED, SAMPLES, SYNTHETIC);
    expect(nonFinite(svg)).toEqual([]);
    expect(svg.querySelectorAll('ellipse').length).toBe(4);
  });

  it('says in words when the mixture collapsed to a point or spread beyond the axes', () => {
    expect(draw(COLLAPSED, SAMPLES, SYNTHETIC).svg.querySelector('.chart-note')?.textContent).toBe(
      'The model has collapsed to a point (σ = 0)',
    );
    expect(
      draw(TWO_COMPONENTS, SAMPLES, SYNTHETIC).svg.querySelector('.chart-note')?.textContent,
    ).toBe('');
    // λ = 2 for long enough: covariances near 1e290, means thrown far off.
    const exploded: GmmModel = {
      ...TWO_COMPONENTS,
      means: Float64Array.of(-2e140, 1e140, 3e140, 0),
      covariances: Float64Array.of(1e290, 0, 0, 1e290, 4e289, 0, 0, 4e289),
    };
    const { svg } = draw(exploded, SAMPLES, SYNTHETIC);
    expect(nonFinite(svg)).toEqual([]);
    expect(svg.querySelector('.chart-note')?.textContent).toMatch(
      /^The model has spread beyond the chart \(σ = [\d.]+e\+1\d\d\)$/,
    );
  });
});
