// Marks under a chart's x axis at the generations where a chain starved: a filter left too few
// points to fit, so the chain kept its previous model (docs/architecture.md, "Mitigations").
import type { ScaleLinear } from 'd3-scale';
import type { Selection } from 'd3-selection';

export function drawStarved(
  g: Selection<SVGGElement, unknown, null, undefined>,
  generations: number[],
  x: ScaleLinear<number, number>,
  height: number,
  className = 'starved-mark',
): void {
  const marks = g
    .selectAll<SVGPathElement, number>('path')
    .data(generations)
    .join((enter) => {
      const path = enter.append('path');
      path.append('title');
      return path;
    })
    .attr('class', className)
    .attr('d', (gen) => `M${x(gen)},${height}l-3.5,-7h7z`);
  marks.select('title').text((gen) => `generation ${gen}: starved (kept its previous model)`);
}
