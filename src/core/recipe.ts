// Recipe schema v1: the one table behind validation, defaults, clamping, the URL codec, the CLI
// and export. Add a field here and every surface knows it.
import { z } from 'zod';

export const MODELS = ['gaussian1d'] as const;
export const REGIMES = ['replace', 'accumulate', 'accumulate-subsample'] as const;
export const REAL_DATA = ['fresh', 'fixed'] as const;
export const ESTIMATORS = ['mle', 'unbiased'] as const;

export type Model = (typeof MODELS)[number];
export type Regime = (typeof REGIMES)[number];
export type RealData = (typeof REAL_DATA)[number];
export type Estimator = (typeof ESTIMATORS)[number];

interface NumberField {
  kind: 'int' | 'number';
  min: number;
  max: number;
  default: number;
  /** Short name used in share links. */
  short: string;
  label: string;
}
interface EnumField<T extends string = string> {
  kind: 'enum';
  values: readonly T[];
  default: T;
  short: string;
  label: string;
}
export type Field = NumberField | EnumField;

export const RECIPE_FIELDS = {
  model: {
    kind: 'enum',
    values: MODELS,
    default: 'gaussian1d',
    short: 'model',
    label: 'Model',
  } as EnumField<Model>,
  samplesPerGeneration: {
    kind: 'int',
    min: 10,
    max: 10_000,
    default: 100,
    short: 'M',
    label: 'Samples per generation',
  } as NumberField,
  generations: {
    kind: 'int',
    min: 1,
    max: 1000,
    default: 200,
    short: 'gens',
    label: 'Generations',
  } as NumberField,
  replicates: {
    kind: 'int',
    min: 1,
    max: 1000,
    default: 500,
    short: 'reps',
    label: 'Replicate chains',
  } as NumberField,
  seed: {
    kind: 'int',
    min: 0,
    max: 4_294_967_295,
    default: 1,
    short: 'seed',
    label: 'Seed',
  } as NumberField,
  estimator: {
    kind: 'enum',
    values: ESTIMATORS,
    default: 'mle',
    short: 'est',
    label: 'Variance estimator',
  } as EnumField<Estimator>,
  syntheticFraction: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 1,
    short: 'synth',
    label: 'Synthetic share',
  } as NumberField,
  regime: {
    kind: 'enum',
    values: REGIMES,
    default: 'replace',
    short: 'regime',
    label: 'Data regime',
  } as EnumField<Regime>,
  realData: {
    kind: 'enum',
    values: REAL_DATA,
    default: 'fresh',
    short: 'real',
    label: 'Real data',
  } as EnumField<RealData>,
  temperature: {
    kind: 'number',
    min: 0.1,
    max: 2,
    default: 1,
    short: 'temp',
    label: 'Sampling temperature λ',
  } as NumberField,
} as const;

export type FieldName = keyof typeof RECIPE_FIELDS;
export const FIELD_NAMES = Object.keys(RECIPE_FIELDS) as FieldName[];

export interface Recipe {
  version: 1;
  model: Model;
  samplesPerGeneration: number;
  generations: number;
  replicates: number;
  seed: number;
  estimator: Estimator;
  syntheticFraction: number;
  regime: Regime;
  realData: RealData;
  temperature: number;
}

export const DEFAULT_RECIPE: Recipe = Object.freeze({
  version: 1,
  ...(Object.fromEntries(FIELD_NAMES.map((k) => [k, RECIPE_FIELDS[k].default])) as Omit<
    Recipe,
    'version'
  >),
});

/**
 * Points an accumulate-subsample run keeps in memory (replicates × pool size). Past it the
 * replicate count is reduced, with a message, so a browser tab never runs out of memory.
 */
export const MAX_POOL_POINTS = 1 << 24;

function fieldSchema(f: Field) {
  if (f.kind === 'enum') return z.enum(f.values as [string, ...string[]]);
  return z.number();
}

const recipeSchema = z
  .object({
    version: z.literal(1).optional(),
    ...(Object.fromEntries(
      FIELD_NAMES.map((k) => [k, fieldSchema(RECIPE_FIELDS[k]).optional()]),
    ) as unknown as Record<FieldName, z.ZodOptional<z.ZodType>>),
  })
  .strict();

export type ParseResult =
  | { ok: true; recipe: Recipe; warnings: string[] }
  | { ok: false; error: string };

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

function formatIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  if (issue.code === 'unrecognized_keys') {
    return `${issue.keys[0]}: unknown field (known fields: version, ${FIELD_NAMES.join(', ')})`;
  }
  const name = String(issue.path[0] ?? 'recipe');
  const got = describe(input[name]);
  if (name === 'version') return `version: unsupported recipe version ${got} (expected 1)`;
  const f = RECIPE_FIELDS[name as FieldName];
  if (f?.kind === 'enum') return `${name}: ${got} is not one of ${f.values.join(', ')}`;
  return `${name}: expected a number, got ${got}`;
}

/**
 * Validates and normalises untrusted input into a Recipe. Missing fields take defaults; numbers
 * out of range are clamped and non-integers rounded, each with a warning naming the field;
 * unknown fields, wrong types and unknown enum values are rejected with a one-line error.
 */
export function parseRecipe(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, error: `recipe: expected a JSON object, got ${describe(input)}` };
  }
  const raw = input as Record<string, unknown>;
  const parsed = recipeSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: formatIssue(parsed.error.issues[0], raw) };

  const warnings: string[] = [];
  const out: Record<string, unknown> = { version: 1 };
  const data = parsed.data as Record<string, unknown>;
  for (const name of FIELD_NAMES) {
    const f = RECIPE_FIELDS[name];
    const v = data[name];
    if (v === undefined) {
      out[name] = f.default;
      continue;
    }
    if (f.kind === 'enum') {
      out[name] = v;
      continue;
    }
    let n = v as number;
    if (!Number.isFinite(n))
      return { ok: false, error: `${name}: expected a finite number, got ${n}` };
    if (f.kind === 'int' && !Number.isInteger(n)) {
      const r = Math.round(n);
      warnings.push(`${name}: ${n} is not a whole number; rounded to ${r}`);
      n = r;
    }
    if (n < f.min || n > f.max) {
      const c = Math.min(f.max, Math.max(f.min, n));
      warnings.push(`${name}: ${n} is outside ${f.min}–${f.max}; clamped to ${c}`);
      n = c;
    }
    out[name] = n;
  }
  const recipe = out as unknown as Recipe;

  if (recipe.regime === 'accumulate-subsample') {
    const perChain = (recipe.generations + 1) * recipe.samplesPerGeneration;
    const maxReps = Math.max(1, Math.floor(MAX_POOL_POINTS / perChain));
    if (recipe.replicates > maxReps) {
      warnings.push(
        `replicates: ${recipe.replicates} chains of accumulate-subsample would keep ` +
          `${(recipe.replicates * perChain).toExponential(1)} points in memory; reduced to ${maxReps}`,
      );
      recipe.replicates = maxReps;
    }
  }
  return { ok: true, recipe, warnings };
}

/** Number of points each generation takes from the previous model: round(M × share). */
export function syntheticCount(recipe: Pick<Recipe, 'samplesPerGeneration' | 'syntheticFraction'>) {
  return Math.round(recipe.samplesPerGeneration * recipe.syntheticFraction);
}
