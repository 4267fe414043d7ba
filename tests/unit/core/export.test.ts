// The export files: statistics CSV that reads back to the run's numbers exactly, a recipe JSON that
// the import (and the CLI) reads back to the same recipe, and bad files answered with a message.
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/cli/runExperiment';
import { comparisonCsv, parseRecipeFile, recipeJson, statsCsv } from '../../../src/core/export';
import { DEFAULT_RECIPES, MODELS, parseRecipe } from '../../../src/core/recipe';
import { SUMMARY_KEYS } from '../../../src/core/summary';

const parseCsv = (text: string) => {
  const [header, ...lines] = text.trimEnd().split('\n');
  return { header: header.split(','), rows: lines.map((l) => l.split(',')) };
};

describe('statsCsv', () => {
  it('has one row per generation whose cells read back to the run’s summaries bit for bit', async () => {
    const parsed = parseRecipe({
      generations: 6,
      replicates: 30,
      samplesPerGeneration: 40,
      seed: 9,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const run = await runExperiment(parsed.recipe);
    const { header, rows } = parseCsv(statsCsv('gaussian1d', run.generations));
    expect(rows).toHaveLength(7);
    expect(header.slice(0, 3)).toEqual(['generation', 'std_mean', 'std_median']);
    expect(header.slice(-3)).toEqual(['training_size', 'training_synthetic', 'training_real']);
    for (const [i, row] of rows.entries()) {
      expect(row).toHaveLength(header.length);
      const g = run.generations[i];
      expect(Number(row[0])).toBe(g.generation);
      for (const [metric, summary] of Object.entries(g.stats))
        for (const k of SUMMARY_KEYS)
          expect(Number(row[header.indexOf(`${metric}_${k}`)])).toBe(summary[k]);
      expect(Number(row[header.indexOf('training_size')])).toBe(g.training.size);
    }
  });

  it('names the columns after the model spec’s metrics, for every model', () => {
    for (const model of MODELS) {
      const { header } = parseCsv(statsCsv(model, []));
      expect(header[0]).toBe('generation');
      expect(header.length).toBeGreaterThan(4);
      expect(header.every((h) => /^[a-zA-Z0-9_]+$/.test(h))).toBe(true);
    }
  });

  it('leaves a metric with no number empty and spells out infinite values', () => {
    const inf = { mean: Infinity, median: Infinity, q05: 1, q25: 2, q75: Infinity, q95: -Infinity };
    const csv = statsCsv('gaussian1d', [{ generation: 3, stats: { std: null, kl: inf } }]);
    const { header, rows } = parseCsv(csv);
    expect(rows[0][header.indexOf('std_median')]).toBe('');
    expect(rows[0][header.indexOf('kl_median')]).toBe('Infinity');
    expect(rows[0][header.indexOf('kl_q95')]).toBe('-Infinity');
    expect(rows[0][header.indexOf('training_size')]).toBe('');
  });
});

describe('comparisonCsv', () => {
  it('writes every variant, named in a first column (quoted where the name has a comma)', () => {
    const a = { mean: 1, median: 1, q05: 1, q25: 1, q75: 1, q95: 1 };
    const b = { ...a, median: 0.5 };
    const csv = comparisonCsv('gaussian1d', [
      { label: 'Replace', rows: [{ generation: 0, stats: { std: a } }] },
      {
        label: 'Accumulate, subsample to M',
        rows: [
          { generation: 0, stats: { std: a } },
          { generation: 1, stats: { std: b } },
        ],
      },
    ]);
    const lines = csv.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].startsWith('variant,generation,std_mean')).toBe(true);
    expect(lines[1].startsWith('Replace,0,1,1')).toBe(true);
    expect(lines[3].startsWith('"Accumulate, subsample to M",1,1,0.5')).toBe(true);
    // Without a comparison the CSV has no variant column.
    expect(statsCsv('gaussian1d', []).startsWith('generation,')).toBe(true);
  });
});

describe('recipe JSON and its import', () => {
  it.each(MODELS)('a %s recipe reads back to the same recipe with no warning', (model) => {
    const recipe = { ...DEFAULT_RECIPES[model], seed: 12345 };
    const back = parseRecipeFile(recipeJson(recipe));
    expect(back).toEqual({ ok: true, recipe, warnings: [] });
  });

  it('reads the recipe out of the CLI’s output', async () => {
    const parsed = parseRecipe({ generations: 2, replicates: 3, seed: 4 });
    if (!parsed.ok) throw new Error(parsed.error);
    const out = JSON.stringify(await runExperiment(parsed.recipe));
    expect(parseRecipeFile(out)).toEqual({ ok: true, recipe: parsed.recipe, warnings: [] });
  });

  it.each([
    ['not JSON', '{"model": "gmm",', /not JSON/],
    ['an array', '[1, 2]', /expected a JSON object/],
    ['a string', '"<script>alert(1)</script>"', /expected a JSON object/],
    ['a prototype-polluting field', '{"__proto__": {"x": 1}}', /__proto__: unknown field/],
    ['an unknown field', '{"hack": 1}', /hack: unknown field/],
    ['a wrong type', '{"generations": "many"}', /generations: expected a number/],
    ['an unknown model', '{"model": "gpt"}', /model: "gpt" is not one of/],
    ['too large a file', `"${'x'.repeat(1_000_001)}"`, /too large/],
  ])('answers %s with a message naming what is wrong', (_, text, message) => {
    const r = parseRecipeFile(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('clamps out-of-range values with a warning, as a link does', () => {
    const r = parseRecipeFile('{"generations": 1e9}');
    expect(r.ok && r.recipe.generations).toBe(1000);
    expect(r.ok && r.warnings[0]).toMatch(/generations: 1000000000 is outside/);
  });
});
