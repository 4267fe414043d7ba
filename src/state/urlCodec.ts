// URL state: the recipe (and the generation being viewed) in the location hash, so a copied link
// reopens the exact experiment. Driven by the recipe schema's field tables; nothing in a hash is
// trusted: bad fields are dropped (falling back to their defaults) with a message naming them.
// A group field (a mitigation) is written as its sub-fields under their own short names (only
// when the group is on) and read back as the group when any of them is present; a bad sub-value
// drops that sub-field alone. A link of an older version is first brought up to today's format
// (core/versions.ts).
import { type Comparison, comparisonSpec, parseComparison } from '../core/comparison';
import { presetLabels } from '../core/comparisonPresets';
import {
  type AnyRecipe,
  DEFAULT_RECIPES,
  fieldsOf,
  groupsOf,
  MODELS,
  type Model,
  parseRecipe,
} from '../core/recipe';
import { migrateLink } from '../core/versions';

export interface UrlState {
  recipe: AnyRecipe;
  /** Generation the reader was looking at, or null for "the last one". */
  generation: number | null;
  /** A lockstep comparison (`cmp=field=v1,v2,…` in the link), or null. */
  comparison: Comparison | null;
  /** Messages about fields that were clamped or dropped. */
  messages: string[];
}

/** A link's key as a message names it: as is when plain, else quoted (and cut short when huge). */
function keyName(key: string): string {
  if (/^[\w.]{1,40}$/.test(key)) return key;
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

/** A link's value as a message quotes it (cut short when huge). */
function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

export function serializeState(
  recipe: AnyRecipe,
  generation: number | null,
  comparison: Comparison | null = null,
): string {
  const params = new URLSearchParams();
  params.set('v', String(recipe.version));
  const fields = fieldsOf(recipe.model);
  for (const name of Object.keys(fields)) {
    const v = (recipe as unknown as Record<string, number | string>)[name];
    params.set(fields[name].short, typeof v === 'number' ? formatNumber(v) : v);
  }
  for (const [name, g] of Object.entries(groupsOf(recipe.model))) {
    const group = (recipe as unknown as Record<string, Record<string, number | string>>)[name];
    if (!group) continue;
    for (const [sub, f] of Object.entries(g.fields)) {
      const v = group[sub];
      params.set(f.short, typeof v === 'number' ? formatNumber(v) : v);
    }
  }
  if (comparison) params.set('cmp', comparisonSpec(comparison));
  if (generation !== null) params.set('g', String(generation));
  // `,` `:` `=` need no escaping in a fragment; left plain, a comparison stays readable.
  return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%3D/g, '=');
}

export function deserializeState(hash: string): UrlState {
  // A link of an older format (its `v=`) is read through the migration steps first.
  const migrated = migrateLink([...new URLSearchParams(hash.replace(/^#/, ''))]);
  const params = new URLSearchParams(migrated.params as [string, string][]);
  const messages: string[] = [...migrated.notes];
  const raw: Record<string, unknown> = {};
  let generation: number | null = null;
  let compare: string | null = null;

  let model: Model = 'gaussian1d';
  const asked = params.get('model');
  if (asked !== null) {
    if ((MODELS as readonly string[]).includes(asked)) model = asked as Model;
    else
      messages.push(`model: ${quoted(asked)} is not one of ${MODELS.join(', ')}; using gaussian1d`);
  }
  raw.model = model;
  const fields = fieldsOf(model);
  const byShort = new Map(Object.entries(fields).map(([name, f]) => [f.short, name]));
  // A group's sub-fields, by short name and by `group.sub`.
  const groups = groupsOf(model);
  const subByKey = new Map<string, [string, string]>();
  for (const [name, g] of Object.entries(groups)) {
    for (const [sub, f] of Object.entries(g.fields)) {
      subByKey.set(f.short, [name, sub]);
      subByKey.set(`${name}.${sub}`, [name, sub]);
    }
  }

  for (const [key, value] of params) {
    if (key === 'model') continue;
    if (key === 'cmp') {
      compare = value;
      continue;
    }
    if (key === 'g') {
      const g = Number(value);
      if (value.trim() !== '' && Number.isInteger(g) && g >= 0) generation = g;
      else messages.push(`g: ${quoted(value)} is not a generation number; showing the last one`);
      continue;
    }
    const sub = subByKey.get(key);
    if (sub) {
      const [name, subName] = sub;
      const f = groups[name].fields[subName];
      const n = Number(value);
      raw[name] ??= {};
      (raw[name] as Record<string, unknown>)[subName] =
        f.kind === 'enum' || value.trim() === '' || Number.isNaN(n) ? value : n;
      continue;
    }
    const field = byShort.get(key) ?? (Object.hasOwn(fields, key) ? key : undefined);
    if (!field) {
      messages.push(`${keyName(key)}: unknown setting for the ${model} model in the link; ignored`);
      continue;
    }
    // Numbers stay strings when they do not parse, so the message quotes what the link said.
    const n = Number(value);
    raw[field] =
      fields[field].kind === 'enum' || value.trim() === '' || Number.isNaN(n) ? value : n;
  }
  // Drop each offending field (or sub-field) in turn so one bad value never loses the rest.
  const most = Object.keys(fields).length + subByKey.size;
  for (let attempt = 0; attempt <= most; attempt++) {
    const parsed = parseRecipe(raw);
    if (parsed.ok) {
      const recipe = parsed.recipe;
      if (generation !== null && generation > recipe.generations) {
        messages.push(
          `g: generation ${generation} is past the last (${recipe.generations}); showing the last`,
        );
        generation = recipe.generations;
      }
      let comparison: Comparison | null = null;
      const notes = [...messages, ...parsed.warnings];
      if (compare !== null) {
        const c = parseComparison(recipe, compare, presetLabels(model, compare));
        if (c.ok) {
          comparison = c.comparison;
          for (const v of c.comparison.variants) notes.push(...v.warnings);
        } else notes.push(`cmp: ${c.error}; showing the recipe alone`);
      }
      return { recipe, generation, comparison, messages: notes };
    }
    const field = parsed.field;
    messages.push(`${parsed.error}; using the default`);
    if (!(field in raw) || field === 'model') break;
    const group = raw[field] as Record<string, unknown> | undefined;
    if (parsed.subField !== undefined && typeof group === 'object' && group !== null) {
      if (!Object.hasOwn(group, parsed.subField)) break;
      delete group[parsed.subField];
    } else delete raw[field];
  }
  return { recipe: { ...DEFAULT_RECIPES[model] }, generation: null, comparison: null, messages };
}
