// Lockstep comparisons: two to four variants of one recipe that differ in one field. Every variant
// keeps the recipe's seed, so every chain of every variant draws from the same streams (seed,
// chain, purpose): where the variants agree their early generations are identical, and the
// differences come from the field alone (common random numbers).
import { type AnyRecipe, fieldsOf, parseRecipe } from './recipe';

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 4;

export interface Comparison {
  field: string;
  variants: { value: number | string; recipe: AnyRecipe; warnings: string[] }[];
}

export type ComparisonResult =
  | { ok: true; comparison: Comparison }
  | { ok: false; field: string; error: string };

/**
 * Parses `field=v1,v2,…` (the CLI's --compare, a link's `cmp`) against `recipe`: the field must
 * be one of the recipe's model's fields (not the model or the seed, which would break the common
 * random numbers), with 2–4 values; each variant is validated and clamped like any recipe.
 */
export function parseComparison(recipe: AnyRecipe, spec: string): ComparisonResult {
  const eq = spec.indexOf('=');
  const field = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  const fail = (error: string): ComparisonResult => ({ ok: false, field: 'compare', error });
  if (eq < 0) return fail(`compare: expected field=value1,value2,… (got ${JSON.stringify(spec)})`);
  const fields = fieldsOf(recipe.model);
  const f = fields[field];
  if (!f || field === 'model' || field === 'seed') {
    const known = Object.keys(fields).filter((k) => k !== 'model' && k !== 'seed');
    return fail(
      `compare: ${JSON.stringify(field)} is not a field to compare for model ${recipe.model} (fields: ${known.join(', ')})`,
    );
  }
  const raw = spec
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (raw.length < MIN_VARIANTS || raw.length > MAX_VARIANTS)
    return fail(
      `compare: ${field} needs ${MIN_VARIANTS}–${MAX_VARIANTS} values, got ${raw.length}`,
    );
  const variants: Comparison['variants'] = [];
  for (const text of raw) {
    const value = f.kind === 'enum' ? text : Number(text);
    const parsed = parseRecipe({ ...recipe, [field]: value });
    if (!parsed.ok) return { ok: false, field: parsed.field, error: `compare: ${parsed.error}` };
    variants.push({
      value: (parsed.recipe as unknown as Record<string, number | string>)[field],
      recipe: parsed.recipe,
      warnings: parsed.warnings,
    });
  }
  return { ok: true, comparison: { field, variants } };
}
