// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { latentChart, latentExtent } from '../../../src/charts/latentChart';
import { DIGIT_COLOURS } from '../../../src/charts/palettes';
import { nonFinite, recordCanvas, serializeSvg, svgElement } from './render';

/** 40 encoder means spread over a disc, labelled 0–9 in turn. */
const POINTS = Float32Array.from({ length: 80 }, (_, j) => {
  const i = j >> 1;
  const r = 0.2 + (i % 7) * 0.35;
  return (j % 2 === 0 ? Math.cos : Math.sin)(i * 2.4) * r;
});
const LABELS = Uint8Array.from({ length: 40 }, (_, i) => i % 10);

function draw(points: Float32Array, labels: Uint8Array, extent: number) {
  const calls = recordCanvas();
  const svg = svgElement();
  const canvas = document.createElement('canvas');
  const chart = latentChart(svg, canvas);
  chart.resize(400, 300);
  chart.update({ points, labels, extent });
  return { svg, canvas, calls };
}

describe('latentExtent', () => {
  it('holds nearly all points, and never less than 2.5', () => {
    expect(latentExtent(new Float32Array(40))).toBe(2.5);
    expect(latentExtent(new Float32Array(0))).toBe(3);
    const tenths = Float32Array.from({ length: 101 }, (_, i) => (i % 2 ? -i : i) / 10);
    expect(latentExtent(tenths)).toBeCloseTo(1.1 * 9.9, 5);
    expect(latentExtent(Float32Array.of(Number.NaN, 4, -5))).toBeCloseTo(4.4, 6);
  });
});

describe('latentChart', () => {
  it('draws the prior’s 1σ and 2σ circles, square, and the points on its canvas', async () => {
    const { svg, canvas, calls } = draw(POINTS, LABELS, latentExtent(POINTS));
    const plot = svg.querySelector('clipPath rect');
    expect(plot?.getAttribute('width')).toBe(plot?.getAttribute('height'));
    expect(svg.querySelectorAll('circle.prior')).toHaveLength(2);
    expect(canvas.width).toBe(canvas.height);
    expect(calls.filter((c) => c === 'beginPath()')).toHaveLength(40);
    // Each digit in its colour and shape: seven filled shapes, three drawn as strokes.
    const fills = new Set(calls.filter((c) => c.startsWith('fillStyle = ')));
    expect([...fills].sort()).toEqual(
      DIGIT_COLOURS.slice(0, 7)
        .map((c) => `fillStyle = "${c}"`)
        .sort(),
    );
    expect(calls.filter((c) => c === 'fill()')).toHaveLength(28);
    // Each marker stroked once, the stroked shapes (4 each of 7, 8, 9) twice: over an ink casing.
    expect(calls.filter((c) => c === 'stroke()')).toHaveLength(52);
    expect(calls.filter((c) => /NaN|Infinity/.test(c))).toEqual([]);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'latentChart: 40 encoder means over the prior’s circles'),
    ).toMatchFileSnapshot('__snapshots__/latentChart.spread.svg');
  });

  it('edges every marker in the page’s ink: its widest stroke, drawn after any fill', () => {
    const calls = recordCanvas();
    const svg = svgElement();
    svg.style.setProperty('--ink', '#123456');
    const chart = latentChart(svg, document.createElement('canvas'));
    chart.resize(400, 300);
    chart.update({ points: POINTS, labels: LABELS, extent: latentExtent(POINTS) });
    const markers = calls
      .join('\n')
      .split('beginPath()')
      .slice(1)
      .map((m) => m.split('\n'));
    expect(markers).toHaveLength(40);
    for (const marker of markers) {
      let style = '';
      let width = 0;
      const strokes: { style: string; width: number; at: number }[] = [];
      marker.forEach((c, at) => {
        if (c.startsWith('strokeStyle = ')) style = c.slice(14);
        if (c.startsWith('lineWidth = ')) width = Number(c.slice(12));
        if (c === 'stroke()') strokes.push({ style, width, at });
      });
      const widest = strokes.reduce((a, b) => (b.width > a.width ? b : a));
      expect(widest.style).toBe('"#123456"');
      expect(widest.at).toBeGreaterThan(marker.indexOf('fill()'));
    }
  });

  it('draws a latent space collapsed to the origin without NaN', async () => {
    const points = new Float32Array(80);
    const { svg, calls } = draw(points, LABELS, latentExtent(points));
    expect(calls.filter((c) => c === 'beginPath()')).toHaveLength(40);
    expect(calls.filter((c) => /NaN|Infinity/.test(c))).toEqual([]);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'latentChart: every encoder mean at the origin'),
    ).toMatchFileSnapshot('__snapshots__/latentChart.collapsed.svg');
  });

  it('leaves out points that fall outside the plotted square, and NaN ones', () => {
    const { calls } = draw(Float32Array.of(0, 0, 9, 0, Number.NaN, 1), Uint8Array.of(1, 2, 3), 3);
    expect(calls.filter((c) => c === 'beginPath()')).toHaveLength(1);
  });
});
