// Recipe schema v1: validation, defaults, clamping and the memory caps, driven by the model specs'
// field tables (src/core/models/). Add a field to a spec and every surface knows it: links, the
// CLI, the controls, export.

import type { EnumField, Field, GroupField, NumberField, ScalarField, Values } from './fields';
import { choice } from './fields';
import { capRecipe, capWork } from './generation/caps';
import { MODEL_SPECS, MODELS, type Model } from './models/registry';
import type { ModelSpec } from './models/spec';
import { z } from './schema';
import { migrateRecipe } from './versions';

// The models' names are read with their recipes nearly everywhere: they are at hand here too.
export { MODELS, type Model } from './models/registry';

const modelField = (model: Model): EnumField<Model> => choice('model', 'Model', MODELS, model);

type Specs = typeof MODEL_SPECS;
type FieldsOf<S extends { fields: object }> = { model: EnumField<Model> } & S['fields'];
/** Values a spec derives from its fields (typed by its `derivedValues`, a type-only marker). */
type DerivedOf<S> = S extends { derivedValues?: infer D } ? NonNullable<D> : unknown;

/** Every model's fields (the model field first): the one table behind every surface. */
export const MODEL_FIELDS = Object.fromEntries(
  MODELS.map((m) => [m, { model: modelField(m), ...MODEL_SPECS[m].fields }]),
) as unknown as { [M in Model]: FieldsOf<Specs[M]> };

/** A model's recipe, typed from its spec's fields (nothing here is written per model). */
export type RecipeFor<M extends Model> = { version: 1; model: M } & Values<Specs[M]['fields']> &
  DerivedOf<Specs[M]>;
export type AnyRecipe = { [M in Model]: RecipeFor<M> }[Model];
export type GaussianRecipe = RecipeFor<'gaussian1d'>;
export type GmmRecipe = RecipeFor<'gmm'>;
export type VaeRecipe = RecipeFor<'vae'>;
export type DiffusionRecipe = RecipeFor<'diffusion'>;
/** A model's spec, its hooks typed to take that model's recipe (a union of specs for a union). */
export type SpecOf<M extends Model> = M extends Model
  ? ModelSpec<Specs[M]['fields'], RecipeFor<M>>
  : never;

/** The specs, each checked against the hooks' recipe type (its hooks take no more than it). */
const SPECS: { [M in Model]: SpecOf<M> } = MODEL_SPECS;

/** A model's spec: specOf('gmm').theoryNote takes a GmmRecipe and nothing else. */
export const specOf = <M extends Model>(model: M): SpecOf<M> => SPECS[model];

/**
 * The spec of a recipe's own model, its hooks typed to take that recipe: the one dispatch from a
 * recipe of any model to its hooks (`forRecipe(recipe).theoryNote?.(recipe)`). TypeScript does not
 * follow that `MODEL_SPECS[recipe.model]` is the spec of the very model `recipe` is of (the two
 * unions are not tied together), so the cast below says it once; every caller is then checked,
 * and a recipe of one model handed to another's hooks does not compile.
 */
export function forRecipe<R extends AnyRecipe>(
  recipe: R,
): ModelSpec<Specs[R['model']]['fields'], R> {
  return SPECS[recipe.model] as unknown as ModelSpec<Specs[R['model']]['fields'], R>;
}

/** The fields of the 1-D Gaussian, the default model. */
export const RECIPE_FIELDS = MODEL_FIELDS.gaussian1d;

const split = (model: Model) => {
  const scalar: Record<string, ScalarField> = {};
  const groups: Record<string, GroupField> = {};
  for (const [k, f] of Object.entries(MODEL_FIELDS[model] as Record<string, Field>)) {
    if (f.kind === 'group') groups[k] = f;
    else scalar[k] = f;
  }
  return { scalar, groups };
};
const SPLIT = Object.fromEntries(MODELS.map((m) => [m, split(m)])) as Record<
  Model,
  ReturnType<typeof split>
>;

/** A model's one-value fields (the model field first); its groups are in groupsOf. */
/** A number field's least value. */
function minOf(model: Model, name: string): number {
  const f = fieldsOf(model)[name];
  return f && f.kind !== 'enum' ? f.min : 1;
}

export function fieldsOf(model: Model): Record<string, ScalarField> {
  return SPLIT[model].scalar;
}

/** A model's group fields (the mitigations): optional objects of sub-fields, absent when off. */
export function groupsOf(model: Model): Record<string, GroupField> {
  return SPLIT[model].groups;
}

/** A group's sub-fields at their defaults (what turning the group on gives). */
export function groupDefaults(g: GroupField): Record<string, number | string> {
  return Object.fromEntries(Object.entries(g.fields).map(([k, f]) => [k, f.default]));
}

function defaultsOf(model: Model): AnyRecipe {
  const out: Record<string, unknown> = { version: 1 };
  for (const [k, f] of Object.entries(fieldsOf(model))) out[k] = f.default;
  // Every field is set: what is left for the spec is to derive its computed fields.
  const recipe = out as unknown as AnyRecipe;
  forRecipe(recipe).derive?.(recipe, {});
  return recipe;
}

export const DEFAULT_RECIPES = Object.freeze(
  Object.fromEntries(MODELS.map((m) => [m, Object.freeze(defaultsOf(m))])),
) as { readonly [M in Model]: RecipeFor<M> };
export const DEFAULT_RECIPE: GaussianRecipe = DEFAULT_RECIPES.gaussian1d;

function fieldSchema(f: Field): z.ZodMiniType {
  if (f.kind === 'enum') return z.enum(f.values as [string, ...string[]]);
  if (f.kind === 'group')
    return z.strictObject(
      Object.fromEntries(Object.entries(f.fields).map(([k, s]) => [k, z.optional(fieldSchema(s))])),
    );
  return z.number();
}

const schemas = Object.fromEntries(
  MODELS.map((model) => [
    model,
    z.strictObject({
      version: z.optional(z.literal(1)),
      ...Object.fromEntries(
        Object.entries(MODEL_FIELDS[model] as Record<string, Field>).map(([k, f]) => [
          k,
          z.optional(fieldSchema(f)),
        ]),
      ),
      ...Object.fromEntries(specOf(model).derived?.map((k) => [k, z.optional(z.number())]) ?? []),
    }),
  ]),
) as unknown as Record<Model, z.ZodMiniType>;

export type ParseResult<R = AnyRecipe> =
  | { ok: true; recipe: R; warnings: string[] }
  /**
   * `field` names the offending field ('recipe' when the input is not an object; a group's name
   * for its sub-fields, with `subField` naming the sub-field).
   */
  | { ok: false; error: string; field: string; subField?: string };

function describe(value: unknown): string {
  // A huge string from a mangled link is cut short: the message stays one readable line.
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** An input's key as a message names it: as is when plain, else quoted and cut short. */
function keyName(key: string): string {
  if (/^[\w$]{1,40}$/.test(key)) return key;
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

function formatIssue(
  issue: z.core.$ZodIssue,
  input: Record<string, unknown>,
  model: Model,
): { error: string; field: string; subField?: string } {
  const fields = MODEL_FIELDS[model] as Record<string, Field>;
  const groups = groupsOf(model);
  const groupName = issue.path.length > 0 ? String(issue.path[0]) : null;
  const g = groupName !== null && Object.hasOwn(groups, groupName) ? groups[groupName] : null;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    if (g && groupName) {
      return {
        field: groupName,
        subField: key,
        error: `${groupName}.${keyName(key)}: unknown field of ${groupName} (known: ${Object.keys(g.fields).join(', ')})`,
      };
    }
    const other = MODELS.find(
      (m) => m !== model && Object.hasOwn(MODEL_FIELDS[m] as Record<string, Field>, key),
    );
    const why = other ? `not a field of model ${model} (it belongs to ${other})` : 'unknown field';
    return {
      field: key,
      error: `${keyName(key)}: ${why} (known fields: version, ${Object.keys(fields).join(', ')})`,
    };
  }
  const name = String(issue.path[0] ?? 'recipe');
  const got = describe(input[name]);
  if (g) {
    if (issue.path.length < 2)
      return {
        field: name,
        error: `${name}: expected an object of ${Object.keys(g.fields).join(', ')} (or no ${name}), got ${got}`,
      };
    const sub = String(issue.path[1]);
    const subGot = describe((input[name] as Record<string, unknown>)[sub]);
    const sf = g.fields[sub];
    const error =
      sf?.kind === 'enum'
        ? `${name}.${sub}: ${subGot} is not one of ${sf.values.join(', ')}`
        : `${name}.${sub}: expected a number, got ${subGot}`;
    return { field: name, subField: sub, error };
  }
  const f = fields[name];
  if (f?.kind === 'enum')
    return { field: name, error: `${name}: ${got} is not one of ${f.values.join(', ')}` };
  return { field: name, error: `${name}: expected a number, got ${got}` };
}

/** A number field's value rounded (int) and clamped, with warnings naming `name`; null if not finite. */
function clampNumber(name: string, f: NumberField, v: number, warnings: string[]): number | null {
  let n = v;
  if (!Number.isFinite(n)) return null;
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
  return n;
}

/**
 * Validates and normalises untrusted input into a recipe. `model` picks the field table (default
 * gaussian1d). Missing fields take that model's defaults; numbers out of range are clamped and
 * non-integers rounded, each with a warning naming the field; unknown fields, wrong types and
 * unknown enum values are rejected with a one-line error naming the field. Recipes whose data
 * would not fit in memory are capped (generation/caps.ts), with a warning.
 */
export function parseRecipe(input: unknown): ParseResult<AnyRecipe> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      field: 'recipe',
      error: `recipe: expected a JSON object, got ${describe(input)}`,
    };
  }
  // An older format is brought up to today's first (versions.ts); its notes lead the warnings.
  const migrated = migrateRecipe(input as Record<string, unknown>);
  if (!migrated.ok) {
    const got = describe((input as Record<string, unknown>).version);
    const error = `version: unsupported recipe version ${got} (expected ${migrated.expected})`;
    return { ok: false, field: 'version', error };
  }
  const raw = migrated.recipe;
  const model = (raw.model ?? 'gaussian1d') as Model;
  if (!MODELS.includes(model)) {
    return {
      ok: false,
      field: 'model',
      error: `model: ${describe(raw.model)} is not one of ${MODELS.join(', ')}`,
    };
  }
  const parsed = schemas[model].safeParse(raw);
  if (!parsed.success) return { ok: false, ...formatIssue(parsed.error.issues[0], raw, model) };

  const warnings: string[] = [...migrated.notes];
  const out: Record<string, unknown> = { version: 1 };
  const data = parsed.data as Record<string, unknown>;
  for (const [name, f] of Object.entries(fieldsOf(model))) {
    const v = data[name];
    if (v === undefined) {
      out[name] = f.default;
      continue;
    }
    if (f.kind === 'enum') {
      out[name] = v;
      continue;
    }
    const n = clampNumber(name, f, v as number, warnings);
    if (n === null)
      return { ok: false, field: name, error: `${name}: expected a finite number, got ${v}` };
    out[name] = n;
  }
  // Groups: absent stays absent (off); a present one gets every sub-field, defaults filled in.
  for (const [name, g] of Object.entries(groupsOf(model))) {
    const v = data[name] as Record<string, unknown> | undefined;
    if (v === undefined) continue;
    const group: Record<string, unknown> = {};
    for (const [sub, f] of Object.entries(g.fields)) {
      const x = v[sub];
      if (x === undefined || f.kind === 'enum') {
        group[sub] = x ?? f.default;
        continue;
      }
      const path = `${name}.${sub}`;
      const n = clampNumber(path, f, x as number, warnings);
      if (n === null)
        return {
          ok: false,
          field: name,
          subField: sub,
          error: `${path}: expected a finite number, got ${x}`,
        };
      group[sub] = n;
    }
    out[name] = group;
  }
  // Every field is set and checked: what is left for the spec is to derive its computed fields.
  const recipe = out as unknown as AnyRecipe;
  const spec = forRecipe(recipe);
  const derivedWarning = spec.derive?.(recipe, data) ?? null;
  if (typeof derivedWarning === 'string') warnings.push(derivedWarning);
  else if (derivedWarning) warnings.push(...derivedWarning);
  for (const change of capRecipe(recipe, spec.storage(recipe))) warnings.push(change.message);
  const cost = spec.workPerPoint(recipe);
  for (const change of capWork(
    recipe,
    cost,
    spec.workMinutes,
    minOf(model, 'samplesPerGeneration'),
  ))
    warnings.push(change.message);
  return { ok: true, recipe, warnings };
}
