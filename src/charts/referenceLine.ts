// A horizontal reference line with its label at the right end (the real distribution's value),
// shared by the metric and comparison charts; hidden when there is none.
import type { Selection } from 'd3-selection';

type G = Selection<SVGGElement, unknown, null, undefined>;

export function referenceLine(plot: G) {
  const line = plot.append('line').attr('class', 'reference-line');
  const label = plot.append('text').attr('class', 'reference-label').attr('text-anchor', 'end');
  return (reference: { value: number; label: string } | undefined, y: number, width: number) => {
    if (!reference) {
      line.attr('visibility', 'hidden');
      label.text('');
      return;
    }
    line.attr('x1', 0).attr('x2', width).attr('y1', y).attr('y2', y).attr('visibility', 'visible');
    label
      .attr('x', width - 4)
      .attr('y', y - 4)
      .text(reference.label);
  };
}
