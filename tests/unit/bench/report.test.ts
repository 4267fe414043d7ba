import { describe, expect, it } from 'vitest';
import type { FigureRow } from '../../../src/bench/figures';
import { formatJson, formatText, type Report, toFigure } from '../../../src/bench/report';

const row: FigureRow = {
  name: 'run.ringOf8.wholeMs',
  unit: 'ms',
  what: 'the "Ring of 8" preset',
  where: 'chromium (software)',
  group: 'runs',
  measure: async () => [],
};

const report = (value: number): Report => ({
  machine: { cores: 2, node: 'v20', webgpuAdapter: 'none', load: [1, 1, 1] },
  runs: 3,
  app: 'dist',
  figures: [toFigure(row, { value, backend: 'ts', workers: 2, note: 'the pool' }, 2)],
});

describe('the report', () => {
  it('names each reading by its row, with where it ran, its cores and its workers', () => {
    expect(report(12).figures[0]).toMatchObject({
      name: 'run.ringOf8.wholeMs',
      unit: 'ms',
      where: 'chromium (software)',
      cores: 2,
      workers: 2,
      what: 'the "Ring of 8" preset',
    });
  });

  it('writes a figure that could not be measured as null in JSON and a dash in text', () => {
    expect(JSON.parse(formatJson(report(Number.NaN))).figures[0].value).toBeNull();
    expect(formatText(report(Number.NaN))).toMatch(/run\.ringOf8\.wholeMs\s+— ms/);
  });
});
