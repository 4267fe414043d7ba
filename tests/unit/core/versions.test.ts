// The version mechanism: a link or recipe of an older format is read through the migration steps,
// in order, up to today's. Version 1 is still the only format (see the audit in versions.ts), so
// the steps are tried on a hypothetical version 2 and 3 that exist only here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type LinkParams,
  MIGRATIONS,
  type Migration,
  migrateLink,
  migrateRecipe,
  RECIPE_VERSION,
} from '../../../src/core/versions';

const TODAY: LinkParams = [
  ['v', '1'],
  ['model', 'gaussian1d'],
  ['M', '250'],
  ['est', 'unbiased'],
  ['temp', '0.3'],
  ['g', '12'],
];

/**
 * Hypothetical version 2: the estimator's short name `est` becomes `var` and its value `unbiased`
 * becomes `bessel` (a rename: no note); temperatures below 0.5 are no longer offered and are
 * raised to 0.5 (a change of meaning: a note says so).
 */
const V2: Migration = {
  from: 1,
  since: '0000000',
  link: (params) => {
    const notes: string[] = [];
    const out = params.map(([k, v]): [string, string] => {
      if (k === 'est') return ['var', v === 'unbiased' ? 'bessel' : v];
      if (k === 'temp' && Number(v) < 0.5) {
        notes.push(`temp: ${v} is below 0.5, the least this version runs; raised to 0.5`);
        return [k, '0.5'];
      }
      return [k, v];
    });
    return { params: out, notes };
  },
  recipe: (r) => {
    const { estimator, ...rest } = r;
    const out: Record<string, unknown> = { ...rest };
    if (estimator !== undefined)
      out.varianceEstimate = estimator === 'unbiased' ? 'bessel' : estimator;
    const notes: string[] = [];
    if (typeof r.temperature === 'number' && r.temperature < 0.5) {
      notes.push(`temp: ${r.temperature} is below 0.5, the least this version runs; raised to 0.5`);
      out.temperature = 0.5;
    }
    return { recipe: out, notes };
  },
};
/** Hypothetical version 3: `M` is written `n` in links (the recipe is unchanged). */
const V3: Migration = {
  from: 2,
  since: '0000001',
  link: (params) => ({ params: params.map(([k, v]) => (k === 'M' ? ['n', v] : [k, v])) }),
  recipe: (r) => ({ recipe: { ...r } }),
};

describe('the migration table', () => {
  it('has one step for each version before today, in order, each dated by its commit', () => {
    expect(MIGRATIONS.map((m) => m.from)).toEqual(
      Array.from({ length: RECIPE_VERSION - 1 }, (_, i) => i + 1),
    );
    for (const m of MIGRATIONS) expect(m.since).toMatch(/^[0-9a-f]{7,40}$/);
  });

  it("reads today's links and recipes unchanged and silently", () => {
    expect(migrateLink(TODAY)).toEqual({ params: TODAY.slice(1), notes: [] });
    expect(migrateLink(TODAY.slice(1))).toEqual({ params: TODAY.slice(1), notes: [] });
    const recipe = { version: 1, model: 'gaussian1d', estimator: 'mle' };
    expect(migrateRecipe(recipe)).toEqual({ ok: true, recipe, notes: [] });
    expect(migrateRecipe({ model: 'gmm' })).toEqual({
      ok: true,
      recipe: { model: 'gmm' },
      notes: [],
    });
  });

  it('reads a link of an unknown version as today’s, and says so', () => {
    for (const v of ['2', '0', 'abc', '1.0', '']) {
      const m = migrateLink([
        ['v', v],
        ['M', '5'],
      ]);
      expect(m.params).toEqual([['M', '5']]);
      expect(m.notes).toEqual([
        `v: link version ${JSON.stringify(v)} is unknown; read as version 1`,
      ]);
    }
  });

  it('refuses a recipe of a version it does not know, saying which it knows', () => {
    for (const v of [0, 2, 1.5, '1', null, true])
      expect(migrateRecipe({ version: v })).toEqual({ ok: false, expected: '1' });
    expect(migrateRecipe({ version: 4 }, [V2, V3], 3)).toEqual({ ok: false, expected: '1 to 3' });
  });
});

describe('a hypothetical version 2 (and 3)', () => {
  it('reads a v=1 link through the step, renaming silently and noting a change of meaning', () => {
    expect(migrateLink(TODAY, [V2], 2)).toEqual({
      params: [
        ['model', 'gaussian1d'],
        ['M', '250'],
        ['var', 'bessel'],
        ['temp', '0.5'],
        ['g', '12'],
      ],
      notes: ['temp: 0.3 is below 0.5, the least this version runs; raised to 0.5'],
    });
  });

  it('reads a version 1 recipe through the step, and writes it as version 2', () => {
    const m = migrateRecipe({ version: 1, estimator: 'unbiased', temperature: 0.8 }, [V2], 2);
    expect(m).toEqual({
      ok: true,
      recipe: { version: 2, varianceEstimate: 'bessel', temperature: 0.8 },
      notes: [],
    });
  });

  it('chains the steps from the link’s own version, and leaves a current one alone', () => {
    const table = [V3, V2]; // out of order on purpose: steps run by `from`
    const fromV1 = migrateLink(TODAY, table, 3).params;
    expect(fromV1).toContainEqual(['n', '250']);
    expect(fromV1).toContainEqual(['var', 'bessel']);
    const v2: LinkParams = [
      ['v', '2'],
      ['M', '7'],
      ['est', 'unbiased'],
    ];
    // A version 2 link has had its `est` renamed already: only the step to 3 runs.
    expect(migrateLink(v2, table, 3).params).toEqual([
      ['n', '7'],
      ['est', 'unbiased'],
    ]);
    const v3: LinkParams = [
      ['v', '3'],
      ['M', '7'],
    ];
    expect(migrateLink(v3, table, 3)).toEqual({ params: [['M', '7']], notes: [] });
  });

  it('brings a link and the same recipe as JSON to the same version 2 settings (property)', () => {
    const shortToField: Record<string, string> = {
      var: 'varianceEstimate',
      temp: 'temperature',
      M: 'samplesPerGeneration',
    };
    fc.assert(
      fc.property(
        fc.constantFrom('mle', 'unbiased'),
        fc.integer({ min: 10, max: 10_000 }),
        fc.integer({ min: 1, max: 40 }).map((t) => t / 20),
        (est, m, temp) => {
          const link = migrateLink(
            [
              ['v', '1'],
              ['M', String(m)],
              ['est', est],
              ['temp', String(temp)],
            ],
            [V2],
            2,
          );
          const recipe = migrateRecipe(
            { version: 1, samplesPerGeneration: m, estimator: est, temperature: temp },
            [V2],
            2,
          );
          if (!recipe.ok) throw new Error('refused');
          const fromLink = Object.fromEntries(
            link.params.map(([k, v]) => [shortToField[k], k === 'var' ? v : Number(v)]),
          );
          expect({ version: 2, ...fromLink }).toEqual(recipe.recipe);
          expect(link.notes).toEqual(recipe.notes);
        },
      ),
    );
  });
});
