// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { heatmapChart, viridis } from '../../../src/charts/heatmapChart';
import { nonFinite, serializeSvg, svgElement } from './render';

/** σ after n generations at share s: collapsing faster with more synthetic data (a toy table). */
const columns = [0, 0.5, 1];
const rows = [1, 10, 100];
const values = columns.map((s) => rows.map((n) => Math.exp((-s * n) / 40)));

describe('heatmapChart', () => {
  it('colours each cell by its value, leaves pending cells neutral, draws the boundary and the key', async () => {
    const svg = svgElement();
    const onCell = vi.fn();
    const chart = heatmapChart(svg, {
      xLabel: 'synthetic share',
      yLabel: 'generation',
      scale: 'log',
      onCell,
    });
    chart.resize(360, 240);
    const partial = values.map((col, c) => col.map((v, r) => (c === 2 && r === 2 ? null : v)));
    chart.update({ columns, rows, values: partial, boundary: [null, 2.4, 1.5], selected: [1, 2] });
    const cells = [...svg.querySelectorAll('rect.heat-cell')];
    expect(cells).toHaveLength(9);
    expect(svg.querySelectorAll('rect.heat-cell.pending')).toHaveLength(1);
    // The largest value (σ = 1 at share 0) is the ramp's top; the smallest shown its bottom.
    const fillOf = (c: number, r: number) =>
      svg.querySelector(`rect[data-column="${c}"][data-row="${r}"]`)?.getAttribute('fill');
    expect(fillOf(0, 0)).toBe(viridis(1));
    expect(fillOf(1, 2)).toBe(viridis(0));
    expect(svg.querySelector('path.phase-boundary')?.getAttribute('d')).toMatch(/^M.*L/);
    expect(svg.querySelector('rect.heat-selected')?.getAttribute('visibility')).toBe('visible');
    (svg.querySelector('rect[data-column="2"][data-row="0"]') as SVGRectElement).dispatchEvent(
      new MouseEvent('click', { bubbles: true }),
    );
    expect(onCell).toHaveBeenCalledWith(2, 0);
    expect(nonFinite(svg)).toEqual([]);
    await expect(
      serializeSvg(svg, 'heatmapChart: σ over synthetic share × generations, one cell pending'),
    ).toMatchFileSnapshot('__snapshots__/heatmapChart.phase.svg');
  });

  it('draws a grid of nothing yet, or of zeros on a log scale, without NaN', () => {
    const svg = svgElement();
    const chart = heatmapChart(svg, { xLabel: 'x', yLabel: 'y', scale: 'log' });
    chart.resize(300, 200);
    chart.update({
      columns,
      rows,
      values: values.map((c) => c.map(() => null)),
      boundary: null,
      selected: null,
    });
    expect(nonFinite(svg)).toEqual([]);
    chart.update({
      columns,
      rows,
      values: values.map((c) => c.map(() => 0)),
      boundary: null,
      selected: null,
    });
    expect(nonFinite(svg)).toEqual([]);
  });
});
