// Each chart's data table (the pure functions beside the chart factories) on the data of seeded
// runs, checked against numbers computed here independently from the same runs: the fitted
// models, the training samples, the class shares, the word frequencies. No NaN or ∞ may reach a
// table: what a chart cannot draw is said in words.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cell, ChartTable } from '../../../src/charts/chartTable';
import { tableGenerations } from '../../../src/charts/chartTable';
import { classHistogramTable } from '../../../src/charts/classHistogramChart';
import { comparisonTable } from '../../../src/charts/comparisonChart';
import { densityTable } from '../../../src/charts/densityChart';
import { filmstripTable } from '../../../src/charts/filmstripChart';
import { heatmapTable } from '../../../src/charts/heatmapChart';
import { histogramTable } from '../../../src/charts/histogramChart';
import { latentTable } from '../../../src/charts/latentChart';
import { perplexityTable } from '../../../src/charts/perplexityHistogramChart';
import { drawnGenerations, rankFrequencyTable } from '../../../src/charts/rankFrequencyChart';
import { ridgelineTable } from '../../../src/charts/ridgelineChart';
import { scatterTables, TABLE_POINTS } from '../../../src/charts/scatterChart';
import { scatterStripTable } from '../../../src/charts/scatterStripChart';
import type { GenerationResult } from '../../../src/core/generation/types';
import type { GmmModel } from '../../../src/core/mixture';
import type { Gaussian1d } from '../../../src/core/models/gaussian1d/gaussian';
import type { NgramShown } from '../../../src/core/models/ngram/family';
import type { VaeShown } from '../../../src/core/models/vae/shown';
import { realDistribution } from '../../../src/core/realDistributions';
import type { Summary } from '../../../src/core/summary';
import { EXTENTS } from '../../../src/ui/realDensity';
import { splitByOrigin, syntheticFlags } from '../../../src/ui/trainingSample';
import { seededRun } from './seededRuns';

type Run<S> = GenerationResult<string, S>[];

/** Every cell of a table that is not words, as a number (a range gives its three). */
function numbersOf(t: ChartTable): number[] {
  return t.rows.flatMap((r) =>
    r.cells.flatMap((c: Cell) =>
      typeof c === 'number' ? [c] : typeof c === 'string' ? [] : [c.value, c.low, c.high],
    ),
  );
}
const allFinite = (t: ChartTable) => numbersOf(t).every(Number.isFinite);
const num = (c: Cell) => {
  if (typeof c !== 'number') throw new Error(`not a number: ${JSON.stringify(c)}`);
  return c;
};
const pdf = (x: number, m: number, s: number) =>
  Math.exp(-(((x - m) / s) ** 2) / 2) / (s * Math.sqrt(2 * Math.PI));

describe('tableGenerations', () => {
  it('lists every generation of a short run, and a bounded, evenly spaced set of a long one', () => {
    expect(tableGenerations(5, 2, 12)).toEqual([0, 1, 2, 3, 4]);
    const long = tableGenerations(1001, 333, 12);
    expect(long.length).toBeLessThanOrEqual(14);
    expect(long).toContain(0);
    expect(long).toContain(333);
    expect(long).toContain(1000);
  });
});

describe('the Gaussian’s charts (a seeded run: M = 50, 12 generations)', () => {
  let run: Run<{ model: Gaussian1d }>;
  beforeAll(async () => {
    run = await seededRun({ samplesPerGeneration: 50, generations: 12, replicates: 3, seed: 5 });
  });

  it('density: the real curve, then each drawn generation’s fitted mean, σ and density', () => {
    const models = run.map((r) => r.chain.shown?.model ?? null);
    const t = densityTable({ models, shown: 7 });
    expect(t.rows.map((r) => r.header)).toEqual([
      'real N(0, 1)',
      'generation 0',
      'generation 1',
      'generation 2',
      'generation 5',
      'generation 7',
    ]);
    expect(t.rows.filter((r) => r.current).map((r) => r.header)).toEqual(['generation 7']);
    expect(num(t.rows[0].cells[4])).toBeCloseTo(pdf(0, 0, 1), 14);
    for (const row of t.rows.slice(1)) {
      const m = models[Number(row.header.split(' ')[1])] as Gaussian1d;
      expect(row.cells[0]).toBe(m.mean);
      expect(row.cells[1]).toBe(m.std);
      // density at x = −2, −1, 0, 1, 2
      [-2, -1, 0, 1, 2].forEach((x, i) => {
        expect(num(row.cells[2 + i])).toBeCloseTo(pdf(x, m.mean, m.std), 12);
      });
    }
    expect(allFinite(t)).toBe(true);
  });

  it('density: a chain collapsed to a point or gone beyond the chart is said in words', () => {
    const models: (Gaussian1d | null)[] = run.map((r) => r.chain.shown?.model ?? null);
    models[1] = { mean: 0.3, std: 0 };
    models[2] = { mean: -3e145, std: Number.POSITIVE_INFINITY };
    models[5] = null;
    const t = densityTable({ models, shown: 5 });
    expect(t.rows[2].cells.slice(2)).toEqual(Array(5).fill('collapsed to a point'));
    expect(t.rows[3].cells.slice(1)).toEqual(['not finite', ...Array(5).fill('beyond the chart')]);
    expect(t.rows[4].cells).toEqual(Array(7).fill('not finite'));
    expect(allFinite(t)).toBe(true);
  });

  it('histogram: the bins hold chain 1’s training points, synthetic and real, as counted here', () => {
    const r = run[6];
    const sample = r.chain.sample;
    if (!sample || !r.chain.shown) throw new Error('no sample');
    const split = splitByOrigin(sample);
    const t = histogramTable({ model: r.chain.shown.model, ...split });
    const sum = (j: number) => t.rows.reduce((s, row) => s + num(row.cells[j]), 0);
    expect(sum(0)).toBe(r.chain.training.synthetic);
    expect(sum(1)).toBe(r.chain.training.real);
    // Each bin's count is the number of points in [from, to) (the last bin closed).
    const all = Array.from(sample.values);
    for (const row of t.rows) {
      const [from, to] = row.header.split(' to ').map(Number);
      const inBin = all.filter((v) => v >= from - 1e-9 && v < to - 1e-9).length;
      expect(num(row.cells[0]) + num(row.cells[1])).toBe(inBin);
    }
    // The fitted model's expected count in a bin: its density integrated over the bin
    // (Simpson's rule, 64 panels), times the points.
    const { mean, std } = r.chain.shown.model;
    for (const row of t.rows) {
      const [from, to] = row.header.split(' to ').map(Number);
      const h = (to - from) / 64;
      let integral = pdf(from, mean, std) + pdf(to, mean, std);
      for (let i = 1; i < 64; i++) integral += (i % 2 ? 4 : 2) * pdf(from + i * h, mean, std);
      // Headers are rounded to 3 digits: allow for the edges' rounding.
      expect(num(row.cells[2])).toBeCloseTo((all.length * integral * h) / 3, 0);
    }
    expect(allFinite(t)).toBe(true);
  });
});

describe('the mixture’s charts (seeded runs on the TypeScript engine)', () => {
  let run2d: Run<{ model: GmmModel }>;
  let run1d: Run<{ model: GmmModel }>;
  beforeAll(async () => {
    run2d = await seededRun({
      model: 'gmm',
      engine: 'ts',
      samplesPerGeneration: 200,
      generations: 4,
      replicates: 2,
      components: 3,
      seed: 4,
    });
    run1d = await seededRun({
      model: 'gmm',
      engine: 'ts',
      realDistribution: 'bimodal1d',
      dimensions: 1,
      components: 2,
      samplesPerGeneration: 120,
      generations: 6,
      replicates: 2,
      seed: 4,
    });
  });

  it('scatter: each component’s weight and mean, and the first points as drawn', () => {
    const r = run2d[3];
    const model = r.chain.shown?.model as GmmModel;
    const sample = r.chain.sample;
    if (!sample) throw new Error('no sample');
    const real = realDistribution('gaussian2d');
    const [components, points] = scatterTables({
      model,
      samples: sample.values,
      synthetic: syntheticFlags(sample),
      density: (p) => real.density(p),
      extent: EXTENTS.gaussian2d,
      levels: [],
    });
    expect(components.rows).toHaveLength(model.k);
    components.rows.forEach((row, k) => {
      expect(row.cells.slice(0, 3)).toEqual([
        model.weights[k],
        model.means[2 * k],
        model.means[2 * k + 1],
      ]);
      // The 1σ semi-axes are the square roots of the covariance's eigenvalues.
      const [a, b, c] = [
        model.covariances[4 * k],
        model.covariances[4 * k + 1],
        model.covariances[4 * k + 3],
      ];
      const tr = a + c;
      const det = a * c - b * b;
      const l1 = tr / 2 + Math.sqrt((tr * tr) / 4 - det);
      expect(num(row.cells[3]) ** 2).toBeCloseTo(l1, 10);
      expect(num(row.cells[3]) ** 2 * num(row.cells[4]) ** 2).toBeCloseTo(det, 10);
    });
    const weights = components.rows.reduce((s, row) => s + num(row.cells[0]), 0);
    expect(weights).toBeCloseTo(1, 12);
    expect(points.rows).toHaveLength(TABLE_POINTS);
    points.rows.forEach((row, i) => {
      expect(row.cells[0]).toBe(sample.values[2 * i]);
      expect(row.cells[1]).toBe(sample.values[2 * i + 1]);
      expect(String(row.cells[2])).toMatch(
        r.chain.training.synthetic > 0 || i < 0 ? /synthetic|real/ : /real/,
      );
    });
    expect(points.note).toBe(
      `${sample.values.length / 2 - TABLE_POINTS} more points are drawn but not listed.`,
    );
    expect(allFinite(components) && allFinite(points)).toBe(true);
  });

  it('scatter: a mixture collapsed to a point says so', () => {
    const model = run2d[3].chain.shown?.model as GmmModel;
    const collapsed: GmmModel = {
      ...model,
      covariances: new Float64Array(model.covariances.length),
      means: new Float64Array(model.means.length),
    };
    const [components] = scatterTables({
      model: collapsed,
      samples: new Float32Array(0),
      synthetic: new Uint8Array(0),
      density: () => 0,
      extent: EXTENTS.gaussian2d,
      levels: [],
    });
    expect(components.note).toMatch(/^The model has collapsed to a point/);
  });

  it('ridgeline: the real density and each drawn generation’s mixture density at seven x', () => {
    const models = run1d.map((r) => r.chain.shown?.model ?? null);
    const real = realDistribution('bimodal1d').mixture;
    const extent = EXTENTS.bimodal1d;
    const t = ridgelineTable({ models, real, shown: 6, extent });
    expect(t.rows.map((r) => r.header)).toEqual([
      'real',
      ...[0, 1, 2, 5, 6].map((g) => `generation ${g}`),
    ]);
    const mix = (m: GmmModel, x: number) =>
      Array.from(m.weights).reduce(
        (s, w, k) => s + w * pdf(x, m.means[k], Math.sqrt(m.covariances[k])),
        0,
      );
    t.rows.forEach((row, i) => {
      const m = i === 0 ? real : (models[[0, 1, 2, 5, 6][i - 1]] as GmmModel);
      expect(row.cells[0]).toBe(m.k);
      for (let j = 0; j < 7; j++) {
        const x = extent[0] + ((extent[1] - extent[0]) * j) / 6;
        expect(num(row.cells[1 + j])).toBeCloseTo(mix(m, x), 12);
      }
    });
    expect(allFinite(t)).toBe(true);
  });
});

describe('the language model’s charts (a seeded run, 3 generations)', () => {
  let run: Run<NgramShown>;
  beforeAll(async () => {
    run = await seededRun({ model: 'ngram', generations: 3, replicates: 1, seed: 2 });
  });

  it('rank–frequency: the top ranks of each drawn curve, and where each tail ends', () => {
    const curves = run.map((r) => r.chain.shown?.rankFrequency ?? null);
    const real = run[0].chain.shown?.realRankFrequency ?? null;
    const t = rankFrequencyTable({ curves, real, shown: 3 });
    expect(t.columns).toEqual([
      'rank',
      'real text',
      ...drawnGenerations(3).map((g) => `generation ${g}`),
    ]);
    for (let rank = 1; rank <= 10; rank++) {
      expect(t.rows[rank - 1].cells[0]).toBe(real?.[rank - 1]);
      expect(t.rows[rank - 1].cells[4]).toBe(curves[3]?.[rank - 1]);
    }
    // The tail's length is the words chain 1 still emits (one chain: the median is its value).
    const last = t.rows[t.rows.length - 1];
    expect(last.header).toBe('words with any share');
    expect(last.cells[4]).toBe(run[3].stats.vocabAlive?.median);
    expect(num(last.cells[0])).toBeGreaterThan(num(last.cells[4]));
    expect(allFinite(t)).toBe(true);
  });

  it('perplexity: per drawn generation, its passages’ shares by bin add up to 100 %', () => {
    const generations = run.map((r) => r.chain.shown?.passagePerplexity ?? null);
    const t = perplexityTable({ generations, shown: 3 });
    drawnGenerations(3).forEach((g, i) => {
      const passages = generations[g] as Float64Array;
      expect(t.columns[1 + i]).toBe(`generation ${g} (${passages.length} passages)`);
      const total = t.rows.reduce((s, row) => s + num(row.cells[i]), 0);
      expect(total).toBeCloseTo(100, 9);
      // The first listed bin holds exactly the passages in its perplexity range.
      const share = (row: (typeof t.rows)[number]) => {
        const [lo, hi] = row.header.split(' to ').map(Number);
        return passages.filter((p) => p >= lo * 0.995 && p < hi * 0.995).length;
      };
      expect(t.rows.length).toBeGreaterThan(0);
      expect(
        Math.abs((num(t.rows[0].cells[i]) * passages.length) / 100 - share(t.rows[0])),
      ).toBeLessThanOrEqual(1);
    });
    expect(allFinite(t)).toBe(true);
  });
});

describe('the VAE’s charts (a seeded run: 100 digits, 1 epoch, latent size 2)', () => {
  let run: Run<VaeShown>;
  beforeAll(async () => {
    run = await seededRun({
      model: 'vae',
      generations: 1,
      replicates: 1,
      samplesPerGeneration: 100,
      epochs: 1,
      latentSize: 2,
      seed: 2,
    });
  }, 120_000);

  it('class shares: each generation’s shares of samples by digit, in %', () => {
    const histograms = run.map((r) => r.chain.shown?.classHistogram ?? []);
    const t = classHistogramTable({ histograms, generations: 1, shown: 1 });
    expect(t.rows.map((r) => r.header)).toEqual(['0', '1']);
    t.rows.forEach((row, g) => {
      row.cells.forEach((c, d) => {
        expect(num(c)).toBeCloseTo(100 * histograms[g][d], 12);
      });
      expect(row.cells.reduce((s: number, c) => s + num(c), 0)).toBeCloseTo(100, 9);
    });
    expect(t.rows[1].current).toBe(true);
  });

  it('latent scatter: per digit, the count and centre of its encoder means', () => {
    const shown = run[1].chain.shown as VaeShown;
    const points = shown.latent as Float32Array;
    const labels = shown.latentLabels as Uint8Array;
    const t = latentTable({ points, labels, extent: 3 });
    expect(t.rows.reduce((s, row) => s + num(row.cells[0]), 0)).toBe(labels.length);
    for (const row of t.rows) {
      const d = Number(row.header);
      const mine = Array.from(labels).flatMap((l, i) => (l === d ? [i] : []));
      expect(row.cells[0]).toBe(mine.length);
      const mx = mine.reduce((s, i) => s + points[2 * i], 0) / mine.length;
      expect(num(row.cells[1])).toBeCloseTo(mx, 10);
      const beyond = mine.filter(
        (i) => Math.abs(points[2 * i]) > 3 || Math.abs(points[2 * i + 1]) > 3,
      );
      expect(row.cells[4]).toBe(beyond.length);
    }
    expect(allFinite(t)).toBe(true);
  });

  it('digit grids: per row, how many digits and their mean ink', () => {
    const a = run[1].chain.shown?.samples as Uint8Array;
    const b = run[0].chain.shown?.samples as Uint8Array;
    const digits = new Uint8Array(a.length + b.length);
    digits.set(a);
    digits.set(b, a.length);
    const perRow = a.length / 784;
    const t = filmstripTable({
      digits,
      columns: perRow,
      rowLabels: ['generation 1', 'generation 0'],
    });
    expect(t.rows.map((r) => [r.header, r.cells[0]])).toEqual([
      ['generation 1', perRow],
      ['generation 0', perRow],
    ]);
    const ink = (u: Uint8Array) => (100 * u.reduce((s, v) => s + v, 0)) / 255 / u.length;
    expect(num(t.rows[0].cells[1])).toBeCloseTo(ink(a), 9);
    expect(num(t.rows[1].cells[1])).toBeCloseTo(ink(b), 9);
    // Identical digits have no variety.
    const same = filmstripTable({ digits: new Uint8Array(4 * 784).fill(200), columns: 4 });
    expect(same.rows[0].cells[2]).toBeCloseTo(0, 12);
    expect(allFinite(t)).toBe(true);
  });
});

describe('the diffusion model’s filmstrip (a seeded run: 100 points, 10 epochs)', () => {
  it('per panel, the points drawn and the real modes that hold one, counted here', async () => {
    const run = await seededRun<{ samples: Float32Array }>({
      model: 'diffusion',
      generations: 1,
      replicates: 1,
      samplesPerGeneration: 100,
      epochs: 10,
      steps: 50,
      seed: 2,
    });
    const real = realDistribution('ring8');
    const panels = run.map((r) => ({
      generation: r.generation,
      points: r.chain.shown?.samples as Float32Array,
    }));
    const t = scatterStripTable({
      panels,
      modes: real.modes,
      modeRadius: 2 * real.modeStd,
      extent: EXTENTS.ring8,
      shown: 1,
    });
    t.rows.forEach((row, i) => {
      const p = panels[i].points;
      const n = Math.min(250, p.length / 2);
      expect(row.cells[0]).toBe(n);
      const held = new Set<number>();
      for (let j = 0; j < n; j++)
        for (let m = 0; m < real.modes.length / 2; m++)
          if (
            Math.hypot(p[2 * j] - real.modes[2 * m], p[2 * j + 1] - real.modes[2 * m + 1]) <=
            2 * real.modeStd
          )
            held.add(m);
      expect(row.cells[1]).toBe(held.size);
    });
    expect(t.rows[1].current).toBe(true);
    expect(allFinite(t)).toBe(true);
    // The samples scatter lists its first points; a model-less scatter has no components table.
    const sample = panels[1].points;
    const tables = scatterTables({
      model: null,
      samples: sample,
      synthetic: new Uint8Array(sample.length / 2).fill(1),
      density: () => 0,
      extent: EXTENTS.ring8,
      levels: [],
    });
    expect(tables.map((x) => x.key)).toEqual(['points']);
    expect(tables[0].rows[0].cells.slice(0, 2)).toEqual([sample[0], sample[1]]);
  }, 120_000);
});

describe('comparisons and the phase diagram', () => {
  let runs: Run<unknown>[];
  beforeAll(async () => {
    runs = await Promise.all(
      [1, 0.5].map((synth) =>
        seededRun({
          samplesPerGeneration: 40,
          generations: 30,
          replicates: 20,
          syntheticFraction: synth,
          seed: 8,
        }),
      ),
    );
  });

  it('comparison: per listed generation, each variant’s median and 25–75 %', () => {
    const series = runs.map((r) => ({ summaries: r.map((g) => g.stats.std ?? null), starved: [] }));
    const t = comparisonTable({ series, generations: 30, shown: 20 }, ['all synthetic', 'half']);
    expect(t.columns).toEqual(['generation', 'all synthetic', 'half']);
    const gens = t.rows.map((r) => Number(r.header));
    expect(gens).toEqual(tableGenerations(21, 20, 12));
    for (const row of t.rows) {
      const g = Number(row.header);
      row.cells.forEach((c, v) => {
        const s = runs[v][g].stats.std as Summary;
        expect(c).toEqual({ value: s.median, low: s.q25, high: s.q75 });
      });
    }
    expect(t.rows.find((r) => r.current)?.header).toBe('20');
    // A variant with no number (every chain non-finite) is said in words.
    const empty = comparisonTable(
      { series: [{ summaries: [null], starved: [0] }], generations: 1, shown: 0 },
      ['v'],
    );
    expect(empty.rows[0].cells).toEqual(['no number (a chain starved)']);
  });

  it('heatmap: the grid of cells, top row first as drawn, pending cells in words', () => {
    const columns = [1, 0.5];
    const rows = [0, 10, 20, 30];
    const values: (number | null)[][] = runs.map((r) =>
      rows.map((g) => r[g].stats.std?.median ?? null),
    );
    values[1][3] = null;
    values[0][0] = Number.NaN;
    const t = heatmapTable(
      { columns, rows, values, boundary: null, selected: null },
      'generation',
      'std',
    );
    expect(t.rows.map((r) => r.header)).toEqual(['30', '20', '10', '0']);
    expect(t.columns).toEqual(['generation', '100 % synthetic', '50 % synthetic']);
    expect(t.rows[1].cells).toEqual([values[0][2], values[1][2]]);
    expect(t.rows[0].cells[1]).toBe('not yet computed');
    expect(t.rows[3].cells[0]).toBe('not finite');
    expect(allFinite(t)).toBe(true);
  });
});
