// Recipe schema v1: the one table behind validation, defaults, clamping, the URL codec, the CLI
// and export. Add a field here and every surface knows it.
import { z } from 'zod';
import { syntheticCount } from './mixing';

export const MODELS = ['gaussian1d', 'gmm', 'vae'] as const;
export const REGIMES = ['replace', 'accumulate', 'accumulate-subsample'] as const;
export const REAL_DATA = ['fresh', 'fixed'] as const;
export const ESTIMATORS = ['mle', 'unbiased'] as const;
export const REAL_DISTRIBUTIONS = ['gaussian2d', 'bimodal1d', 'ring8', 'grid25'] as const;
export const GMM_INITS = ['kmeans++', 'random'] as const;
export const ENGINES = ['auto', 'ts', 'tfjs'] as const;

export type Model = (typeof MODELS)[number];
export type Regime = (typeof REGIMES)[number];
export type RealData = (typeof REAL_DATA)[number];
export type Estimator = (typeof ESTIMATORS)[number];
export type RealDistribution = (typeof REAL_DISTRIBUTIONS)[number];
export type Engine = (typeof ENGINES)[number];

/** Dimension of each real distribution of the mixture model. */
export const REAL_DISTRIBUTION_DIMENSIONS: Record<RealDistribution, 1 | 2> = {
  gaussian2d: 2,
  bimodal1d: 1,
  ring8: 2,
  grid25: 2,
};

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

const int = (short: string, label: string, min: number, max: number, def: number): NumberField => ({
  kind: 'int',
  short,
  label,
  min,
  max,
  default: def,
});
const num = (short: string, label: string, min: number, max: number, def: number): NumberField => ({
  kind: 'number',
  short,
  label,
  min,
  max,
  default: def,
});
const choice = <T extends string>(
  short: string,
  label: string,
  values: readonly T[],
  def: T,
): EnumField<T> => ({
  kind: 'enum',
  short,
  label,
  values,
  default: def,
});

/** The loop's fields, shared by every model; each model sets its own defaults and limits. */
function loopFields(
  model: Model,
  o: { M: [number, number, number]; gens: [number, number]; reps: [number, number] },
) {
  return {
    model: choice('model', 'Model', MODELS, model),
    samplesPerGeneration: int('M', 'Samples per generation', o.M[0], o.M[1], o.M[2]),
    generations: int('gens', 'Generations', 1, o.gens[0], o.gens[1]),
    replicates: int('reps', 'Replicate chains', 1, o.reps[0], o.reps[1]),
    seed: int('seed', 'Seed', 0, 4_294_967_295, 1),
    syntheticFraction: num('synth', 'Synthetic share', 0, 1, 1),
    regime: choice('regime', 'Data regime', REGIMES, 'replace'),
    realData: choice('real', 'Real data', REAL_DATA, 'fresh'),
    temperature: num('temp', 'Sampling temperature λ', 0.1, 2, 1),
  };
}

/** Every model's fields: the one table behind validation, defaults, links, the CLI and export. */
export const MODEL_FIELDS = {
  gaussian1d: {
    ...loopFields('gaussian1d', { M: [10, 10_000, 100], gens: [1000, 200], reps: [1000, 500] }),
    estimator: choice('est', 'Variance estimator', ESTIMATORS, 'mle'),
  },
  gmm: {
    ...loopFields('gmm', { M: [10, 10_000, 1000], gens: [5000, 100], reps: [1000, 64] }),
    realDistribution: choice('dist', 'Real distribution', REAL_DISTRIBUTIONS, 'gaussian2d'),
    components: int('K', 'Mixture components', 1, 25, 2),
    tol: num('tol', 'EM tolerance', 1e-8, 1, 1e-3),
    maxIter: int('iter', 'EM iterations at most', 1, 10_000, 100),
    regCovar: num('reg', 'Covariance regularisation', 0, 1, 1e-6),
    init: choice('init', 'EM initialisation', GMM_INITS, 'kmeans++'),
    engine: choice('engine', 'Engine', ENGINES, 'auto'),
  },
  vae: {
    ...loopFields('vae', { M: [100, 8000, 2000], gens: [50, 5], reps: [4, 1] }),
    latentSize: int('z', 'Latent size', 2, 16, 8),
    hiddenSize: int('h', 'Hidden units', 16, 512, 128),
    epochs: int('ep', 'Epochs per generation', 1, 100, 10),
    batchSize: int('bs', 'Batch size', 8, 512, 64),
    learningRate: num('lr', 'Learning rate', 1e-5, 0.1, 1e-3),
  },
} as const satisfies Record<Model, Record<string, Field>>;

type Values<F> = { -readonly [K in keyof F]: F[K] extends EnumField<infer T> ? T : number };

export type GaussianRecipe = { version: 1 } & Values<(typeof MODEL_FIELDS)['gaussian1d']> & {
    model: 'gaussian1d';
  };
export type GmmRecipe = { version: 1 } & Values<(typeof MODEL_FIELDS)['gmm']> & {
    model: 'gmm';
    /** Derived from realDistribution. */
    dimensions: 1 | 2;
  };
export type VaeRecipe = { version: 1 } & Values<(typeof MODEL_FIELDS)['vae']> & { model: 'vae' };
export type AnyRecipe = GaussianRecipe | GmmRecipe | VaeRecipe;
/** The 1-D Gaussian's recipe, the app's first screen (kept as `Recipe` for its many users). */
export type Recipe = GaussianRecipe;

export function fieldsOf(model: Model): Record<string, Field> {
  return MODEL_FIELDS[model];
}
export function fieldNamesOf(model: Model): string[] {
  return Object.keys(MODEL_FIELDS[model]);
}

/** Every field name of the 1-D Gaussian, the default model. */
export const RECIPE_FIELDS = MODEL_FIELDS.gaussian1d;
export type FieldName = keyof typeof RECIPE_FIELDS;
export const FIELD_NAMES = Object.keys(RECIPE_FIELDS) as FieldName[];

function defaultsOf(model: Model): AnyRecipe {
  const out: Record<string, unknown> = { version: 1 };
  for (const [k, f] of Object.entries(MODEL_FIELDS[model])) out[k] = f.default;
  if (model === 'gmm')
    out.dimensions = REAL_DISTRIBUTION_DIMENSIONS[out.realDistribution as RealDistribution];
  return out as unknown as AnyRecipe;
}

export const DEFAULT_RECIPES = Object.freeze({
  gaussian1d: Object.freeze(defaultsOf('gaussian1d')) as GaussianRecipe,
  gmm: Object.freeze(defaultsOf('gmm')) as GmmRecipe,
  vae: Object.freeze(defaultsOf('vae')) as VaeRecipe,
});
export const DEFAULT_RECIPE: GaussianRecipe = DEFAULT_RECIPES.gaussian1d;

/**
 * Values a run may keep in its data pools (replicates × pool size × values per point). Past it
 * the replicate count is reduced, with a message, so a browser tab never runs out of memory.
 */
export const MAX_POOL_POINTS = 1 << 24;

function fieldSchema(f: Field) {
  if (f.kind === 'enum') return z.enum(f.values as [string, ...string[]]);
  return z.number();
}

const schemas = Object.fromEntries(
  MODELS.map((model) => [
    model,
    z
      .object({
        version: z.literal(1).optional(),
        ...Object.fromEntries(
          Object.entries(MODEL_FIELDS[model]).map(([k, f]) => [k, fieldSchema(f).optional()]),
        ),
        ...(model === 'gmm' ? { dimensions: z.number().optional() } : {}),
      })
      .strict(),
  ]),
) as unknown as Record<Model, z.ZodType>;

export type ParseResult<R = AnyRecipe> =
  | { ok: true; recipe: R; warnings: string[] }
  | { ok: false; error: string };

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

function formatIssue(
  issue: z.core.$ZodIssue,
  input: Record<string, unknown>,
  model: Model,
): string {
  const fields = MODEL_FIELDS[model] as Record<string, Field>;
  if (issue.code === 'unrecognized_keys') {
    const other = MODELS.find((m) => m !== model && Object.hasOwn(MODEL_FIELDS[m], issue.keys[0]));
    const why = other ? `not a field of model ${model} (it belongs to ${other})` : 'unknown field';
    return `${issue.keys[0]}: ${why} (known fields: version, ${Object.keys(fields).join(', ')})`;
  }
  const name = String(issue.path[0] ?? 'recipe');
  const got = describe(input[name]);
  if (name === 'version') return `version: unsupported recipe version ${got} (expected 1)`;
  const f = fields[name];
  if (f?.kind === 'enum') return `${name}: ${got} is not one of ${f.values.join(', ')}`;
  return `${name}: expected a number, got ${got}`;
}

/**
 * Validates and normalises untrusted input into a recipe. `model` picks the field table (default
 * gaussian1d). Missing fields take that model's defaults; numbers out of range are clamped and
 * non-integers rounded, each with a warning naming the field; unknown fields, wrong types and
 * unknown enum values are rejected with a one-line error naming the field.
 */
export function parseRecipe(input: unknown): ParseResult<AnyRecipe> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, error: `recipe: expected a JSON object, got ${describe(input)}` };
  }
  const raw = input as Record<string, unknown>;
  const model = (raw.model ?? 'gaussian1d') as Model;
  if (!MODELS.includes(model)) {
    return { ok: false, error: `model: ${describe(raw.model)} is not one of ${MODELS.join(', ')}` };
  }
  const parsed = schemas[model].safeParse(raw);
  if (!parsed.success) return { ok: false, error: formatIssue(parsed.error.issues[0], raw, model) };

  const warnings: string[] = [];
  const out: Record<string, unknown> = { version: 1 };
  const data = parsed.data as Record<string, unknown>;
  for (const [name, f] of Object.entries(MODEL_FIELDS[model]) as [string, Field][]) {
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
  const recipe = out as unknown as AnyRecipe;

  if (recipe.model === 'gmm') {
    const dims = REAL_DISTRIBUTION_DIMENSIONS[recipe.realDistribution];
    if (data.dimensions !== undefined && data.dimensions !== dims) {
      warnings.push(
        `dimensions: ${describe(data.dimensions)} does not match realDistribution ${recipe.realDistribution}; set to ${dims}`,
      );
    }
    recipe.dimensions = dims;
  }
  capPools(recipe, warnings);
  return { ok: true, recipe, warnings };
}

/**
 * The VAE keeps one chain's pool at a time (chains train one after another), as bytes: the
 * accumulated training set must fit MAX_POOL_POINTS bytes, and under accumulate-subsample the
 * synthetic digits of every chain and generation 4 × that (see src/engine/vaeLoop.ts).
 */
function capVaePools(recipe: VaeRecipe, warnings: string[]): void {
  if (recipe.regime === 'replace') return;
  const accumulate = recipe.regime === 'accumulate';
  const per = accumulate
    ? recipe.samplesPerGeneration * 784
    : Math.max(1, syntheticCount(recipe)) * 784 * recipe.replicates;
  const budget = accumulate ? MAX_POOL_POINTS : 4 * MAX_POOL_POINTS;
  const maxGens = Math.max(1, Math.floor(budget / per) - (accumulate ? 1 : 0));
  if (recipe.generations > maxGens) {
    warnings.push(
      `generations: ${recipe.generations} generations of ${recipe.regime} with ${recipe.samplesPerGeneration} digits would not fit in memory; reduced to ${maxGens}`,
    );
    recipe.generations = maxGens;
  }
}

/** Values each chain keeps per point in its pool (the Gaussian and GMM keep coordinates). */
function pooledValuesPerPoint(recipe: AnyRecipe): number {
  if (recipe.model === 'gmm') return recipe.dimensions;
  return 1;
}

function capPools(recipe: AnyRecipe, warnings: string[]): void {
  if (recipe.model === 'vae') {
    capVaePools(recipe, warnings);
    return;
  }
  // The Gaussian keeps only moments under `accumulate`; the other models keep the points.
  const pools =
    recipe.regime === 'accumulate-subsample' ||
    (recipe.regime === 'accumulate' && recipe.model !== 'gaussian1d');
  if (!pools) return;
  const perChain =
    (recipe.generations + 1) * recipe.samplesPerGeneration * pooledValuesPerPoint(recipe);
  const maxReps = Math.max(1, Math.floor(MAX_POOL_POINTS / perChain));
  if (recipe.replicates > maxReps) {
    warnings.push(
      `replicates: ${recipe.replicates} chains of ${recipe.regime} would keep ` +
        `${(recipe.replicates * perChain).toExponential(1)} values in memory; reduced to ${maxReps}`,
    );
    recipe.replicates = maxReps;
  }
}

export { syntheticCount } from './mixing';
