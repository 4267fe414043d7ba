// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { scatterStripChart } from '../../../src/charts/scatterStripChart';
import { nonFinite, serializeSvg, svgElement } from './render';

/** Four modes on a ring of radius 2. */
const MODES = Float64Array.of(2, 0, 0, 2, -2, 0, 0, -2);

/** 12 points spread over the modes `use` (indices into MODES), jittered deterministically. */
function pointsOn(use: number[]): Float32Array {
  return Float32Array.from({ length: 24 }, (_, j) => {
    const i = j >> 1;
    const m = use[i % use.length];
    const jitter = 0.15 * Math.sin(3.7 * i + (j % 2));
    return MODES[2 * m + (j % 2)] + jitter;
  });
}

function draw(panels: { generation: number; points: ArrayLike<number> }[], shown?: number) {
  const svg = svgElement();
  const chart = scatterStripChart(svg);
  chart.resize(420, 130);
  chart.update({ panels, modes: MODES, modeRadius: 0.3, extent: [-3, 3], shown });
  return svg;
}

describe('scatterStripChart', () => {
  it('draws one square panel per generation with the modes’ rings and its dots', async () => {
    const svg = draw(
      [
        { generation: 0, points: pointsOn([0, 1, 2, 3]) },
        { generation: 1, points: pointsOn([0, 1, 2]) },
        { generation: 2, points: pointsOn([0]) },
      ],
      1,
    );
    const panels = svg.querySelectorAll('g.strip-panel');
    expect(panels).toHaveLength(3);
    for (const p of panels) {
      expect(p.querySelectorAll('.strip-modes circle')).toHaveLength(4);
      expect(p.querySelectorAll('.strip-points circle')).toHaveLength(12);
      const rect = p.querySelector('rect');
      expect(rect?.getAttribute('width')).toBe(rect?.getAttribute('height'));
    }
    expect([...panels].map((p) => p.classList.contains('shown'))).toEqual([false, true, false]);
    expect([...svg.querySelectorAll('text')].map((t) => t.textContent)).toEqual([
      'gen 0',
      'gen 1',
      'gen 2',
    ]);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'scatterStripChart: four modes, then three, then one'),
    ).toMatchFileSnapshot('__snapshots__/scatterStripChart.losing-modes.svg');
  });

  it('leaves out points that are not finite or off the panel, and draws no NaN', () => {
    const points = Float32Array.of(0, 0, Number.NaN, 1, 50, 0, 1, Number.POSITIVE_INFINITY, 1, 1);
    const svg = draw([{ generation: 4, points }]);
    expect(svg.querySelectorAll('.strip-points circle')).toHaveLength(2);
    expect(nonFinite(svg)).toEqual([]);
  });

  it('draws nothing for no panels, and empties when destroyed', () => {
    const svg = draw([]);
    expect(svg.querySelectorAll('g.strip-panel')).toHaveLength(0);
    const chart = scatterStripChart(svg);
    chart.resize(300, 100);
    chart.update({
      panels: [{ generation: 0, points: pointsOn([0]) }],
      modes: MODES,
      modeRadius: 0.3,
      extent: [-3, 3],
    });
    expect(svg.querySelectorAll('g.strip-panel')).toHaveLength(1);
    chart.destroy();
    expect(svg.childElementCount).toBe(0);
  });
});
