// URL state: the recipe (and the generation being viewed) in the location hash, so a copied link
// reopens the exact experiment. Driven by the recipe schema's field table; nothing in a hash is
// trusted: bad fields are dropped (falling back to their defaults) with a message naming them.
import {
  DEFAULT_RECIPE,
  FIELD_NAMES,
  type FieldName,
  parseRecipe,
  RECIPE_FIELDS,
  type Recipe,
} from '../core/recipe';

export interface UrlState {
  recipe: Recipe;
  /** Generation the reader was looking at, or null for "the last one". */
  generation: number | null;
  /** Messages about fields that were clamped or dropped. */
  messages: string[];
}

const BY_SHORT = new Map<string, FieldName>(FIELD_NAMES.map((f) => [RECIPE_FIELDS[f].short, f]));

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

export function serializeState(recipe: Recipe, generation: number | null): string {
  const params = new URLSearchParams();
  params.set('v', String(recipe.version));
  for (const f of FIELD_NAMES) {
    const v = recipe[f];
    params.set(RECIPE_FIELDS[f].short, typeof v === 'number' ? formatNumber(v) : v);
  }
  if (generation !== null) params.set('g', String(generation));
  return params.toString();
}

export function deserializeState(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const messages: string[] = [];
  const raw: Record<string, unknown> = {};
  let generation: number | null = null;
  for (const [key, value] of params) {
    if (key === 'g') {
      const g = Number(value);
      if (value.trim() !== '' && Number.isInteger(g) && g >= 0) generation = g;
      else
        messages.push(
          `g: ${JSON.stringify(value)} is not a generation number; showing the last one`,
        );
      continue;
    }
    if (key === 'v') {
      if (value !== '1')
        messages.push(`v: link version ${JSON.stringify(value)} is unknown; read as version 1`);
      continue;
    }
    const field =
      BY_SHORT.get(key) ??
      (FIELD_NAMES.includes(key as FieldName) ? (key as FieldName) : undefined);
    if (!field) {
      messages.push(`${key}: unknown setting in the link; ignored`);
      continue;
    }
    const spec = RECIPE_FIELDS[field];
    // Numbers stay strings when they do not parse, so the message quotes what the link said.
    const n = Number(value);
    raw[field] = spec.kind === 'enum' || value.trim() === '' || Number.isNaN(n) ? value : n;
  }
  // Drop each offending field in turn so one bad value never loses the rest of the link.
  for (let attempt = 0; attempt <= FIELD_NAMES.length; attempt++) {
    const parsed = parseRecipe(raw);
    if (parsed.ok) {
      const recipe = parsed.recipe;
      if (generation !== null && generation > recipe.generations) {
        messages.push(
          `g: generation ${generation} is past the last (${recipe.generations}); showing the last`,
        );
        generation = recipe.generations;
      }
      return { recipe, generation, messages: [...messages, ...parsed.warnings] };
    }
    const field = parsed.error.split(':')[0];
    messages.push(`${parsed.error}; using the default`);
    if (!(field in raw)) break;
    delete raw[field];
  }
  return { recipe: { ...DEFAULT_RECIPE }, generation: null, messages };
}
