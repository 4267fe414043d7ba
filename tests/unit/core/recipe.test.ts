import { describe, expect, it } from 'vitest';
import type { ScalarField } from '../../../src/core/fields';
import { MAX_POOL_BYTES } from '../../../src/core/generation/caps';
import { syntheticCount } from '../../../src/core/mixing';
import {
  type AnyRecipe,
  DEFAULT_RECIPES,
  fieldsOf,
  groupsOf,
  MODELS,
  type Model,
  parseRecipe,
  RECIPE_FIELDS,
} from '../../../src/core/recipe';
import { deserializeState, serializeState } from '../../../src/state/urlCodec';

// The recipe contract, written out by hand: each model's fields with their defaults, limits (or
// allowed values) and short names in share links. It does not read the field table it checks,
// so moving that table, or changing a default or a limit by mistake, fails here. Changing the
// contract on purpose means changing this table too (old links and saved recipes depend on it).
type PinnedField =
  | { short: string; kind: 'int' | 'number'; min: number; max: number; default: number }
  | { short: string; kind: 'enum'; values: string[]; default: string };

const int = (short: string, min: number, max: number, def: number): PinnedField => ({
  short,
  kind: 'int',
  min,
  max,
  default: def,
});
const num = (short: string, min: number, max: number, def: number): PinnedField => ({
  short,
  kind: 'number',
  min,
  max,
  default: def,
});
const oneOf = (short: string, values: string[], def: string): PinnedField => ({
  short,
  kind: 'enum',
  values,
  default: def,
});

const REGIME_VALUES = ['replace', 'accumulate', 'accumulate-subsample'];
const PINNED: Record<'gaussian1d' | 'gmm' | 'vae', Record<string, PinnedField>> = {
  gaussian1d: {
    samplesPerGeneration: int('M', 10, 10_000, 100),
    generations: int('gens', 1, 1000, 200),
    replicates: int('reps', 1, 1000, 500),
    seed: int('seed', 0, 4_294_967_295, 1),
    syntheticFraction: num('synth', 0, 1, 1),
    regime: oneOf('regime', REGIME_VALUES, 'replace'),
    realData: oneOf('real', ['fresh', 'fixed'], 'fresh'),
    temperature: num('temp', 0.1, 2, 1),
    estimator: oneOf('est', ['mle', 'unbiased'], 'mle'),
  },
  gmm: {
    samplesPerGeneration: int('M', 10, 10_000, 1000),
    generations: int('gens', 1, 5000, 100),
    replicates: int('reps', 1, 1000, 64),
    seed: int('seed', 0, 4_294_967_295, 1),
    syntheticFraction: num('synth', 0, 1, 1),
    regime: oneOf('regime', REGIME_VALUES, 'replace'),
    realData: oneOf('real', ['fresh', 'fixed'], 'fresh'),
    temperature: num('temp', 0.1, 2, 1),
    realDistribution: oneOf('dist', ['gaussian2d', 'bimodal1d', 'ring8', 'grid25'], 'gaussian2d'),
    components: int('K', 1, 25, 2),
    tol: num('tol', 1e-8, 1, 1e-3),
    maxIter: int('iter', 1, 10_000, 100),
    regCovar: num('reg', 0, 1, 1e-6),
    init: oneOf('init', ['kmeans++', 'random'], 'kmeans++'),
    engine: oneOf('engine', ['auto', 'ts', 'tfjs'], 'auto'),
  },
  vae: {
    samplesPerGeneration: int('M', 100, 8000, 2000),
    generations: int('gens', 1, 50, 5),
    replicates: int('reps', 1, 4, 1),
    seed: int('seed', 0, 4_294_967_295, 1),
    syntheticFraction: num('synth', 0, 1, 1),
    regime: oneOf('regime', REGIME_VALUES, 'replace'),
    realData: oneOf('real', ['fresh', 'fixed'], 'fresh'),
    temperature: num('temp', 0.1, 2, 1),
    latentSize: int('z', 2, 16, 8),
    hiddenSize: int('h', 16, 512, 128),
    epochs: int('ep', 1, 100, 10),
    batchSize: int('bs', 8, 512, 64),
    learningRate: num('lr', 1e-5, 0.1, 1e-3),
  },
};
/** Fields a recipe has beyond its table: gmm's dimension follows its real distribution. */
const DERIVED_DEFAULTS: Record<keyof typeof PINNED, Record<string, unknown>> = {
  gaussian1d: {},
  gmm: { dimensions: 2 },
  vae: {},
};

describe.each(Object.keys(PINNED) as (keyof typeof PINNED)[])(
  'the pinned contract of model %s',
  (model) => {
    const pinned = Object.entries(PINNED[model]);
    const numeric = pinned.filter(([, f]) => f.kind !== 'enum') as [
      string,
      Extract<PinnedField, { min: number }>,
    ][];
    const enums = pinned.filter(([, f]) => f.kind === 'enum') as [
      string,
      Extract<PinnedField, { kind: 'enum' }>,
    ][];
    const expected = {
      version: 1,
      model,
      ...Object.fromEntries(pinned.map(([name, f]) => [name, f.default])),
      ...DERIVED_DEFAULTS[model],
    };
    const parse = (input: Record<string, unknown>) => parseRecipe({ model, ...input });
    const parsedValue = (input: Record<string, unknown>, name: string) => {
      const r = parse(input);
      if (!r.ok) throw new Error(r.error);
      return {
        value: (r.recipe as unknown as Record<string, unknown>)[name],
        warnings: r.warnings,
      };
    };

    it('gives exactly these fields and defaults, without warnings', () => {
      const r = parse({});
      if (!r.ok) throw new Error(r.error);
      expect(r.recipe).toStrictEqual(expected);
      expect(r.warnings).toEqual([]);
      expect({ ...DEFAULT_RECIPES[model] }).toStrictEqual(expected);
    });

    it('accepts both ends of every numeric range unchanged', () => {
      for (const [name, f] of numeric) {
        for (const v of [f.min, f.max])
          expect(parsedValue({ [name]: v }, name)).toEqual({ value: v, warnings: [] });
      }
    });

    it('clamps a value below the minimum to the minimum, warning with the field name', () => {
      for (const [name, f] of numeric) {
        const { value, warnings } = parsedValue({ [name]: f.min - 1 }, name);
        expect(value, name).toBe(f.min);
        expect(warnings, name).toHaveLength(1);
        expect(warnings[0], name).toMatch(new RegExp(`^${name}: .*clamped to ${f.min}$`));
      }
    });

    it('clamps a value above the maximum to the maximum, warning with the field name', () => {
      for (const [name, f] of numeric) {
        const { value, warnings } = parsedValue({ [name]: f.max + 1 }, name);
        expect(value, name).toBe(f.max);
        expect(warnings, name).toHaveLength(1);
        expect(warnings[0], name).toMatch(new RegExp(`^${name}: .*clamped to ${f.max}$`));
      }
    });

    it('rounds the whole-number fields and keeps fractions in the others', () => {
      for (const [name, f] of numeric) {
        const v = f.min + (f.max - f.min) * 0.3141;
        const { value } = parsedValue({ [name]: v }, name);
        expect(value, name).toBe(f.kind === 'int' ? Math.round(v) : v);
      }
    });

    it('accepts each allowed value of an enum field and rejects any other, listing them', () => {
      for (const [name, f] of enums) {
        for (const v of f.values) expect(parsedValue({ [name]: v }, name).value).toBe(v);
        for (const bad of ['bogus', f.values[0].toUpperCase()]) {
          const r = parse({ [name]: bad });
          expect(r.ok, `${name} = ${bad}`).toBe(false);
          if (!r.ok) expect(r.error).toBe(`${name}: "${bad}" is not one of ${f.values.join(', ')}`);
        }
      }
    });

    it('writes every field into a share link under its short name, and reads it back', () => {
      const params = new URLSearchParams(serializeState(DEFAULT_RECIPES[model], null));
      expect([...params.keys()].sort()).toEqual(
        ['v', 'model', ...pinned.map(([, f]) => f.short)].sort(),
      );
      for (const [name, f] of pinned) {
        const value =
          f.kind === 'enum' ? f.values[f.values.length - 1] : f.kind === 'int' ? f.max : f.max / 2;
        const { recipe, messages } = deserializeState(
          `#model=${model}&${f.short}=${encodeURIComponent(value)}`,
        );
        expect(messages, name).toEqual([]);
        expect((recipe as unknown as Record<string, unknown>)[name], name).toBe(value);
      }
    });
  },
);

describe('the mixture model contract (docs/architecture.md)', () => {
  it('fits EM as scikit-learn names it: tol 1e-3, maxIter 100, regCovar 1e-6, kmeans++, engine auto', () => {
    const r = parseRecipe({ model: 'gmm' });
    if (!r.ok) throw new Error(r.error);
    expect(r.recipe).toMatchObject({
      tol: 1e-3,
      maxIter: 100,
      regCovar: 1e-6,
      init: 'kmeans++',
      engine: 'auto',
    });
    const engines = parseRecipe({ model: 'gmm', engine: 'gpu' });
    expect(engines.ok || engines.error).toBe('engine: "gpu" is not one of auto, ts, tfjs');
  });
});

// Every table below is driven from the models' field tables, so a new field (or model) is
// covered without new tests. `model` itself picks the table and is tested on its own.
type NumberFieldName = {
  [K in keyof typeof RECIPE_FIELDS]: (typeof RECIPE_FIELDS)[K] extends { kind: 'enum' } ? never : K;
}[keyof typeof RECIPE_FIELDS];

/** Keys a parsed recipe of `model` has: version, the fields, and derived ones. */
const keysOf = (model: Model) =>
  ['version', ...Object.keys(fieldsOf(model)), ...(model === 'gmm' ? ['dimensions'] : [])].sort();

/** A value strictly inside a numeric field's range that is valid for its kind. */
function inside(f: { kind: string; min: number; max: number }): number {
  const mid = f.min + (f.max - f.min) / 3;
  return f.kind === 'int' ? Math.round(mid) : mid;
}

describe('the model field', () => {
  it('defaults to gaussian1d', () => {
    const r = parseRecipe({});
    expect(r.ok && r.recipe.model).toBe('gaussian1d');
  });
  it("picks each model's own defaults", () => {
    for (const model of MODELS) {
      const r = parseRecipe({ model });
      if (!r.ok) throw new Error(r.error);
      expect(r.recipe).toEqual(DEFAULT_RECIPES[model]);
      expect(r.warnings).toEqual([]);
    }
  });
  it('rejects an unknown model, listing the known ones', () => {
    for (const bad of ['bogus', 1, null, 'GMM']) {
      const r = parseRecipe({ model: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.startsWith('model:'), r.error).toBe(true);
        for (const m of MODELS) expect(r.error).toContain(m);
      }
    }
  });
  it('rejects a field of another model, naming the field and its model', () => {
    const r = parseRecipe({ model: 'gmm', estimator: 'mle' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatch(/^estimator: not a field of model gmm \(it belongs to gaussian1d\)/);
  });
  it('derives the mixture dimension from the real distribution, correcting a wrong one', () => {
    const r = parseRecipe({ model: 'gmm', realDistribution: 'bimodal1d', dimensions: 2 });
    if (!r.ok) throw new Error(r.error);
    expect(r.recipe.model === 'gmm' && r.recipe.dimensions).toBe(1);
    expect(r.warnings[0]).toMatch(/^dimensions: /);
  });
});

describe.each(MODELS)('recipes of model %s', (model) => {
  const DEFAULT = DEFAULT_RECIPES[model] as AnyRecipe;
  const table = fieldsOf(model);
  const names = Object.keys(table).filter((n) => n !== 'model');
  const fields = names.map((name) => [name, table[name] as ScalarField] as const);
  const numberFields = fields.filter(([, f]) => f.kind !== 'enum') as [
    string,
    Extract<ScalarField, { min: number }>,
  ][];
  const enumFields = fields.filter(([, f]) => f.kind === 'enum') as [
    string,
    Extract<ScalarField, { kind: 'enum' }>,
  ][];
  const intFields = numberFields.filter(([, f]) => f.kind === 'int');
  const realFields = numberFields.filter(([, f]) => f.kind === 'number');
  const get = (r: AnyRecipe, name: string) => (r as unknown as Record<string, unknown>)[name];

  function ok(input: Record<string, unknown>): { recipe: AnyRecipe; warnings: string[] } {
    const r = parseRecipe({ model, ...input });
    if (!r.ok) throw new Error(`expected a valid recipe, got error: ${r.error}`);
    return r;
  }

  function error(input: unknown): string {
    const r = parseRecipe(
      typeof input === 'object' && input !== null && !Array.isArray(input)
        ? { model, ...input }
        : input,
    );
    if (r.ok) throw new Error(`expected an error for ${JSON.stringify(input)}`);
    return r.error;
  }

  describe('the table', () => {
    it('has a known kind, a unique short name and a label for every field', () => {
      const shorts = new Set<string>();
      for (const [, f] of fields) {
        expect(['int', 'number', 'enum']).toContain(f.kind);
        expect(f.label.length).toBeGreaterThan(0);
        shorts.add(f.short);
      }
      expect(shorts.size).toBe(fields.length);
      expect(shorts.has('g') || shorts.has('v')).toBe(false); // reserved in links
    });

    it('gives every numeric field a valid range and a default inside it', () => {
      for (const [name, f] of numberFields) {
        expect(f.min, name).toBeLessThan(f.max);
        expect(f.default, name).toBeGreaterThanOrEqual(f.min);
        expect(f.default, name).toBeLessThanOrEqual(f.max);
        if (f.kind === 'int') {
          expect(Number.isInteger(f.min) && Number.isInteger(f.max), name).toBe(true);
          expect(Number.isInteger(f.default), name).toBe(true);
        }
      }
    });

    it('gives every enum field at least one value and a default among them', () => {
      for (const [name, f] of enumFields) {
        expect(f.values.length, name).toBeGreaterThan(0);
        expect(f.values, name).toContain(f.default);
      }
    });

    it('builds the default recipe from the defaults, at version 1', () => {
      expect(DEFAULT.version).toBe(1);
      expect(Object.keys(DEFAULT).sort()).toEqual(keysOf(model));
      for (const [name, f] of fields) expect(get(DEFAULT, name), name).toBe(f.default);
    });
  });

  describe('parseRecipe', () => {
    it('fills every missing field with its default, without warnings', () => {
      const { recipe, warnings } = ok({});
      expect(recipe).toEqual(DEFAULT);
      expect(warnings).toEqual([]);
      expect(ok({ version: 1 }).recipe).toEqual(DEFAULT);
    });

    it('fills the other fields with defaults when one is given', () => {
      for (const [name, f] of fields) {
        const value = f.kind === 'enum' ? f.values[f.values.length - 1] : inside(f);
        const { recipe, warnings } = ok({ [name]: value });
        expect(warnings, name).toEqual([]);
        expect(recipe, name).toEqual({ ...DEFAULT, [name]: value });
      }
    });

    it('treats a field set to undefined as missing', () => {
      for (const name of names) expect(ok({ [name]: undefined }).recipe).toEqual(DEFAULT);
    });

    it('returns exactly version and the known fields, and leaves its input alone', () => {
      const input = { model, seed: 3.7, generations: 9000, regime: 'accumulate' };
      const copy = structuredClone(input);
      const { recipe } = ok(input);
      expect(Object.keys(recipe).sort()).toEqual(keysOf(model));
      expect(input).toEqual(copy);
    });

    it('accepts in-range values of every numeric field unchanged, including both ends', () => {
      for (const [name, f] of numberFields) {
        for (const v of [f.min, f.max, inside(f)]) {
          const { recipe, warnings } = ok({ [name]: v });
          expect(get(recipe, name), name).toBe(v);
          expect(warnings, `${name} = ${v}`).toEqual([]);
        }
      }
    });

    it('clamps every numeric field below its minimum, with a warning naming the field', () => {
      for (const [name, f] of numberFields) {
        const below = f.min - Math.max(1, Math.abs(f.min));
        const { recipe, warnings } = ok({ [name]: below });
        expect(get(recipe, name), name).toBe(f.min);
        expect(warnings, name).toHaveLength(1);
        expect(warnings[0].startsWith(`${name}:`), warnings[0]).toBe(true);
        expect(warnings[0]).toContain('clamped');
      }
    });

    it('clamps every numeric field above its maximum, with a warning naming the field', () => {
      for (const [name, f] of numberFields) {
        for (const above of [f.max + 1, f.max * 10 + 1, Number.MAX_VALUE]) {
          const { recipe, warnings } = ok({ [name]: above });
          expect(get(recipe, name), name).toBe(f.max);
          expect(warnings, name).toHaveLength(1);
          expect(warnings[0].startsWith(`${name}:`), warnings[0]).toBe(true);
          expect(warnings[0]).toContain('clamped');
        }
      }
    });

    it('rounds every integer field to the nearest whole number, with a warning naming the field', () => {
      expect(intFields.length).toBeGreaterThan(0);
      for (const [name, f] of intFields) {
        const base = inside(f);
        for (const [value, want] of [
          [base + 0.4, base],
          [base - 0.3, base],
          [base + 0.6, base + 1],
        ]) {
          const { recipe, warnings } = ok({ [name]: value });
          expect(get(recipe, name), `${name} = ${value}`).toBe(want);
          expect(warnings, name).toHaveLength(1);
          expect(warnings[0].startsWith(`${name}:`), warnings[0]).toBe(true);
          expect(warnings[0]).toContain('rounded');
        }
      }
    });

    it('rounds before clamping, and warns about both when both apply', () => {
      for (const [name, f] of intFields) {
        // Rounds up into range: only the rounding warning. (Math.round(-0.4) is -0, which
        // JSON and the RNG read as 0, so compare with === rather than Object.is.)
        const justBelow = ok({ [name]: f.min - 0.4 });
        expect(get(justBelow.recipe, name) === f.min, name).toBe(true);
        expect(justBelow.warnings, name).toHaveLength(1);
        // Rounds to below the range: rounded, then clamped.
        const further = ok({ [name]: f.min - 0.6 });
        expect(get(further.recipe, name), name).toBe(f.min);
        expect(further.warnings, name).toHaveLength(2);
        for (const w of further.warnings) expect(w.startsWith(`${name}:`), w).toBe(true);
      }
    });

    it('keeps fractional values of real-valued fields', () => {
      expect(realFields.length).toBeGreaterThan(0);
      for (const [name, f] of realFields) {
        const v = f.min + (f.max - f.min) * 0.3141;
        const { recipe, warnings } = ok({ [name]: v });
        expect(get(recipe, name), name).toBe(v);
        expect(warnings).toEqual([]);
      }
    });

    it('collects one warning per offending field', () => {
      const input: Record<string, number> = {};
      for (const [name, f] of numberFields) input[name] = f.max + 1;
      const { warnings: all } = ok(input);
      // Every field at its maximum is also more work than the work cap allows (caps.ts capWork).
      const warnings = all.filter((w) => !w.includes('more work than a page can do'));
      expect(warnings).toHaveLength(numberFields.length);
      for (const [name] of numberFields) {
        expect(
          warnings.some((w) => w.startsWith(`${name}:`)),
          name,
        ).toBe(true);
      }
    });

    it('rejects NaN, infinities, strings, null, booleans, arrays and objects in every field', () => {
      const bad: unknown[] = [
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        '5',
        '',
        null,
        true,
        [1],
        [],
        {},
      ];
      for (const [name, f] of fields) {
        const values = f.kind === 'enum' ? [...bad, 1, 0] : bad;
        for (const v of values) {
          const e = error({ [name]: v });
          expect(e.startsWith(`${name}:`), `${name} = ${String(v)}: ${e}`).toBe(true);
        }
      }
    });

    it('rejects a wrong enum value, naming the field and listing the allowed values', () => {
      for (const [name, f] of enumFields) {
        for (const v of ['bogus', f.values[0].toUpperCase(), ` ${f.values[0]}`]) {
          const e = error({ [name]: v });
          expect(e.startsWith(`${name}:`), e).toBe(true);
          for (const allowed of f.values) expect(e, name).toContain(allowed);
        }
      }
    });

    it('accepts every allowed enum value', () => {
      for (const [name, f] of enumFields) {
        for (const v of f.values) expect(get(ok({ [name]: v }).recipe, name)).toBe(v);
      }
    });

    it('rejects unknown fields, naming the field', () => {
      for (const name of ['foo', 'sample', 'Seed', 'constructor', 'toString', '__proto__']) {
        const e = error(JSON.parse(`{"seed": 2, ${JSON.stringify(name)}: 1}`));
        expect(e.startsWith(`${name}:`), e).toBe(true);
        expect(e).toContain('unknown');
      }
    });

    it('rejects any version other than 1', () => {
      for (const v of [0, 2, 1.5, '1', null, true]) {
        const e = error({ version: v });
        expect(e.startsWith('version:'), e).toBe(true);
      }
    });

    it('rejects anything that is not a plain object', () => {
      for (const v of [null, undefined, 42, 'recipe', true, [], [{}]]) {
        const e = error(v);
        expect(e.startsWith('recipe:'), `${String(v)}: ${e}`).toBe(true);
      }
    });

    it('is idempotent: a parsed recipe parses to itself without warnings', () => {
      const first = ok({ samplesPerGeneration: 12.6, seed: -4, syntheticFraction: 2 }).recipe;
      const second = ok(first);
      expect(second.recipe).toEqual(first);
      expect(second.warnings).toEqual([]);
    });
  });
});

/** Parses a recipe of the default model (gaussian1d), which must be valid. */
function ok(input: Record<string, unknown>): { recipe: AnyRecipe; warnings: string[] } {
  const r = parseRecipe(input);
  if (!r.ok) throw new Error(`expected a valid recipe, got error: ${r.error}`);
  return r;
}

describe('the accumulate-subsample memory cap', () => {
  const M = 1000;
  const generations = 99;
  // Bytes per chain: (generations + 1) × M points of one float64 value and an int16 provenance.
  const perChain = (generations + 1) * M * (8 + 2);
  const maxReps = Math.floor(MAX_POOL_BYTES / perChain);

  it('keeps replicates that fit in MAX_POOL_BYTES', () => {
    const { recipe, warnings } = ok({
      regime: 'accumulate-subsample',
      samplesPerGeneration: M,
      generations,
      replicates: maxReps,
    });
    expect(recipe.replicates).toBe(maxReps);
    expect(warnings).toEqual([]);
  });

  it('reduces replicates past MAX_POOL_BYTES, with a warning naming replicates', () => {
    const { recipe, warnings } = ok({
      regime: 'accumulate-subsample',
      samplesPerGeneration: M,
      generations,
      replicates: maxReps + 1,
    });
    expect(recipe.replicates).toBe(maxReps);
    expect(recipe.replicates * perChain).toBeLessThanOrEqual(MAX_POOL_BYTES);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].startsWith('replicates:'), warnings[0]).toBe(true);
  });

  it('keeps at least one replicate even when one chain exceeds the cap', () => {
    const max = (name: NumberFieldName) => (RECIPE_FIELDS[name] as { max: number }).max;
    const { recipe, warnings } = ok({
      regime: 'accumulate-subsample',
      samplesPerGeneration: max('samplesPerGeneration'),
      generations: max('generations'),
      replicates: max('replicates'),
    });
    const bytes = (reps: number) =>
      reps * (recipe.generations + 1) * recipe.samplesPerGeneration * (8 + 2);
    expect(recipe.replicates).toBeGreaterThanOrEqual(1);
    expect(bytes(recipe.replicates)).toBeLessThanOrEqual(MAX_POOL_BYTES);
    expect(bytes(recipe.replicates + 1)).toBeGreaterThan(MAX_POOL_BYTES);
    expect(warnings.some((w) => w.startsWith('replicates:'))).toBe(true);
  });

  it('does not touch replicates under the other regimes', () => {
    for (const regime of ['replace', 'accumulate']) {
      const { recipe, warnings } = ok({
        regime,
        samplesPerGeneration: M,
        generations,
        replicates: maxReps + 1,
      });
      expect(recipe.replicates).toBe(maxReps + 1);
      expect(warnings).toEqual([]);
    }
  });
});

describe('syntheticCount', () => {
  it('is round(M × share)', () => {
    expect(syntheticCount({ samplesPerGeneration: 100, syntheticFraction: 1 })).toBe(100);
    expect(syntheticCount({ samplesPerGeneration: 100, syntheticFraction: 0 })).toBe(0);
    expect(syntheticCount({ samplesPerGeneration: 10, syntheticFraction: 0.25 })).toBe(3);
    expect(syntheticCount({ samplesPerGeneration: 10, syntheticFraction: 0.24 })).toBe(2);
    expect(syntheticCount({ samplesPerGeneration: 37, syntheticFraction: 0.5 })).toBe(19);
  });
});

// The mitigations (docs/architecture.md, "Mitigations"): every model's optional groups.
describe('the mitigation groups', () => {
  const GROUPS = {
    syntheticSchedule: {
      from: { short: 'sf', min: 0, max: 1, default: 0 },
      to: { short: 'st', min: 0, max: 1, default: 1 },
    },
    filter: {
      truePositiveRate: { short: 'tpr', min: 0, max: 1, default: 0.9 },
      falsePositiveRate: { short: 'fpr', min: 0, max: 1, default: 0.05 },
    },
    curation: {
      keep: { short: 'ck', min: 0.1, max: 1, default: 0.5 },
      accuracy: { short: 'ca', min: 0, max: 1, default: 0.9 },
    },
  } as const;
  const OVER = {
    gaussian1d: [1000, 100],
    gmm: [5000, 50],
    vae: [50, 3],
    diffusion: [50, 3],
    ngram: [100, 5],
    transformer: [30, 5],
  } as const;

  it.each(MODELS)(
    'are in every model (%s), off by default, with their pinned sub-fields',
    (model) => {
      const groups = groupsOf(model);
      expect(Object.keys(groups).sort()).toEqual(['curation', 'filter', 'syntheticSchedule']);
      for (const [g, subs] of Object.entries(GROUPS)) {
        for (const [name, want] of Object.entries(subs))
          expect(groups[g].fields[name], `${g}.${name}`).toMatchObject(want);
      }
      expect(groups.syntheticSchedule.fields.over).toMatchObject({
        short: 'so',
        kind: 'int',
        min: 1,
        max: OVER[model][0],
        default: OVER[model][1],
      });
      expect(groups.curation.fields.by).toMatchObject({
        short: 'cb',
        values: ['model', 'verifier'],
        default: 'model',
      });
      for (const g of Object.keys(groups)) expect(g in DEFAULT_RECIPES[model]).toBe(false);
      // Short names stay unique across the model's fields and sub-fields.
      const shorts = [
        ...Object.values(fieldsOf(model)).map((f) => f.short),
        ...Object.values(groups).flatMap((g) => Object.values(g.fields).map((f) => f.short)),
      ];
      expect(new Set(shorts).size).toBe(shorts.length);
    },
  );

  it('fills a present group with its defaults, without warnings, and keeps an absent one absent', () => {
    const r = ok({ filter: {}, curation: { by: 'verifier' }, syntheticSchedule: undefined });
    expect(r.warnings).toEqual([]);
    const got = r.recipe as unknown as Record<string, unknown>;
    expect(got.filter).toEqual({ truePositiveRate: 0.9, falsePositiveRate: 0.05 });
    expect(got.curation).toEqual({ keep: 0.5, by: 'verifier', accuracy: 0.9 });
    expect('syntheticSchedule' in got).toBe(false);
    expect(ok(r.recipe).recipe).toEqual(r.recipe); // idempotent
    expect(ok(r.recipe).warnings).toEqual([]);
  });

  it('clamps and rounds sub-fields with warnings naming group.field', () => {
    const r = ok({
      filter: { truePositiveRate: 1.5, falsePositiveRate: -0.2 },
      syntheticSchedule: { from: 0.2, to: 0.8, over: 2.6 },
      curation: { keep: 0.01 },
    });
    const got = r.recipe as unknown as Record<string, Record<string, unknown>>;
    expect(got.filter).toEqual({ truePositiveRate: 1, falsePositiveRate: 0 });
    expect(got.syntheticSchedule.over).toBe(3);
    expect(got.curation.keep).toBe(0.1);
    expect(r.warnings).toEqual([
      'syntheticSchedule.over: 2.6 is not a whole number; rounded to 3',
      'filter.truePositiveRate: 1.5 is outside 0–1; clamped to 1',
      'filter.falsePositiveRate: -0.2 is outside 0–1; clamped to 0',
      'curation.keep: 0.01 is outside 0.1–1; clamped to 0.1',
    ]);
  });

  it('rejects bad sub-values, unknown sub-fields and groups that are not objects, naming them', () => {
    const fail = (input: Record<string, unknown>) => {
      const r = parseRecipe(input);
      if (r.ok) throw new Error(`expected an error for ${JSON.stringify(input)}`);
      return r;
    };
    expect(fail({ filter: { truePositiveRate: 'high' } })).toEqual({
      ok: false,
      field: 'filter',
      subField: 'truePositiveRate',
      error: 'filter.truePositiveRate: expected a number, got "high"',
    });
    expect(fail({ filter: { falsePositiveRate: Number.NaN } })).toMatchObject({
      field: 'filter',
      subField: 'falsePositiveRate',
      error: 'filter.falsePositiveRate: expected a number, got NaN',
    });
    expect(fail({ curation: { by: 'crowd' } })).toMatchObject({
      field: 'curation',
      subField: 'by',
      error: 'curation.by: "crowd" is not one of model, verifier',
    });
    expect(fail({ filter: { truePositiveRate: 0.5, tnr: 1 } })).toMatchObject({
      field: 'filter',
      subField: 'tnr',
      error: 'filter.tnr: unknown field of filter (known: truePositiveRate, falsePositiveRate)',
    });
    for (const bad of [0.5, 'on', null, true, [], [0.5]]) {
      const r = fail({ syntheticSchedule: bad });
      expect(r.field).toBe('syntheticSchedule');
      expect(r.error.startsWith('syntheticSchedule: expected an object of from, to, over')).toBe(
        true,
      );
    }
  });

  it('turns a verifier into the model’s own ranking for the VAE (no real density of digits), with a warning', () => {
    const r = parseRecipe({ model: 'vae', curation: { by: 'verifier', keep: 0.4 } });
    if (!r.ok) throw new Error(r.error);
    expect((r.recipe as unknown as Record<string, unknown>).curation).toEqual({
      keep: 0.4,
      by: 'model',
      accuracy: 0.9,
    });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].startsWith('curation.by:')).toBe(true);
    for (const model of ['gaussian1d', 'gmm'] as const) {
      const other = parseRecipe({ model, curation: { by: 'verifier' } });
      expect(other.ok && other.warnings).toEqual([]);
    }
  });
});
