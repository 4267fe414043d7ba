// Lockstep comparisons: two to four variants of one recipe that differ in one field. Every variant
// keeps the recipe's seed, so every chain of every variant draws from the same streams (seed,
// chain, purpose): where the variants agree their early generations are identical, and the
// differences come from the field alone (common random numbers).
//
// Written `field=v1,v2,…` (the CLI's --compare; a link's `cmp`). A value of a plain field is the
// field's value; a value of a group field (a mitigation) is `off` or its sub-fields' values joined
// by `:` in the group's order (`filter=off,1:0,0.5:0`: no filter, a perfect watermark, one that
// half the synthetic data loses).

import type { GroupField, ScalarField } from './fields';
import { type AnyRecipe, fieldsOf, groupsOf, type Model, parseRecipe } from './recipe';

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 4;

/** Input as a message quotes it: cut short when huge. */
const quote = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** A variant's value: a plain field's number or name, or a group's sub-values (null: off). */
export type VariantValue = number | string | Record<string, number | string> | null;

export interface Variant {
  value: VariantValue;
  /** The value as written in `field=…` (canonical: re-parsing it gives the same recipe). */
  text: string;
  /** The legend's name for the variant. */
  label: string;
  recipe: AnyRecipe;
  warnings: string[];
}

export interface Comparison {
  field: string;
  /** The compared field's label (the legend's title). */
  fieldLabel: string;
  variants: Variant[];
}

export type ComparisonResult =
  | { ok: true; comparison: Comparison }
  | { ok: false; field: string; error: string };

/** Fields a comparison may vary: any of the model's, but the model and the seed (CRN needs it). */
export function comparableFields(model: Model): string[] {
  return [...Object.keys(fieldsOf(model)), ...Object.keys(groupsOf(model))].filter(
    (k) => k !== 'model' && k !== 'seed',
  );
}

/** How a control would print a number (percent fields as percents). */
function showNumber(f: ScalarField, v: number | string): string {
  if (typeof v !== 'number' || f.kind === 'enum') {
    return f.kind === 'enum' ? ((f.names as Record<string, string>)?.[v] ?? String(v)) : String(v);
  }
  if (f.display === 'percent') return `${Number((v * 100).toPrecision(4))} %`;
  return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4)));
}

function textOf(v: number | string): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(6))) : v;
}

/** The legend's name of a group value: `off`, or each sub-field's label and value. */
function groupLabel(g: GroupField, v: Record<string, number | string> | null): string {
  if (!v) return 'off';
  return Object.entries(g.fields)
    .filter(([, f]) => !f.shownWhen || v[f.shownWhen[0]] === f.shownWhen[1])
    .map(([k, f]) => `${f.label.toLowerCase()} ${showNumber(f, v[k])}`)
    .join(', ');
}

/**
 * Parses `field=v1,v2,…` against `recipe`: the field must be one of the recipe's model's fields or
 * groups (not the model or the seed, which would break the common random numbers), with 2–4
 * values; each variant is validated and clamped like any recipe. `labels` (a preset's names for
 * its variants) replace the generated ones when there is one per variant.
 */
export function parseComparison(
  recipe: AnyRecipe,
  spec: string,
  labels?: readonly string[],
): ComparisonResult {
  const eq = spec.indexOf('=');
  const field = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  const fail = (error: string): ComparisonResult => ({ ok: false, field: 'compare', error });
  if (eq < 0) return fail(`compare: expected field=value1,value2,… (got ${quote(spec)})`);
  const f = Object.hasOwn(fieldsOf(recipe.model), field) ? fieldsOf(recipe.model)[field] : null;
  const g = Object.hasOwn(groupsOf(recipe.model), field) ? groupsOf(recipe.model)[field] : null;
  if ((!f && !g) || field === 'model' || field === 'seed') {
    return fail(
      `compare: ${quote(field)} is not a field to compare for model ${recipe.model} (fields: ${comparableFields(recipe.model).join(', ')})`,
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
  const variants: Variant[] = [];
  for (const text of raw) {
    let input: unknown;
    if (g) {
      const subs = Object.entries(g.fields);
      const parts = text.split(':');
      if (text === 'off') input = undefined;
      else if (parts.length !== subs.length)
        return fail(
          `compare: ${field} takes off or ${subs.map(([k]) => k).join(':')} (got ${JSON.stringify(text)})`,
        );
      else
        input = Object.fromEntries(
          subs.map(([k, sf], i) => [k, sf.kind === 'enum' ? parts[i] : Number(parts[i])]),
        );
    } else input = f?.kind === 'enum' ? text : Number(text);
    const base: Record<string, unknown> = { ...recipe };
    if (input === undefined) delete base[field];
    else base[field] = input;
    const parsed = parseRecipe(base);
    if (!parsed.ok) return { ok: false, field: parsed.field, error: `compare: ${parsed.error}` };
    const value = ((parsed.recipe as unknown as Record<string, VariantValue>)[field] ??
      null) as VariantValue;
    let canonical: string;
    let label: string;
    if (g) {
      const v = value as Record<string, number | string> | null;
      canonical = v
        ? Object.keys(g.fields)
            .map((k) => textOf(v[k]))
            .join(':')
        : 'off';
      label = groupLabel(g, v);
    } else {
      canonical = textOf(value as number | string);
      label = showNumber(f as ScalarField, value as number | string);
    }
    variants.push({
      value,
      text: canonical,
      label,
      recipe: parsed.recipe,
      warnings: parsed.warnings,
    });
  }
  if (labels && labels.length === variants.length) {
    labels.forEach((l, i) => {
      variants[i].label = l;
    });
  }
  return {
    ok: true,
    comparison: { field, fieldLabel: (f ?? g)?.label ?? field, variants },
  };
}

/** `field=v1,v2,…` of a parsed comparison (what a link stores). */
export function comparisonSpec(c: Pick<Comparison, 'field' | 'variants'>): string {
  return `${c.field}=${c.variants.map((v) => v.text).join(',')}`;
}

/** The comparison with every variant's recipe rebuilt on `recipe` (the reader changed another field). */
export function rebase(c: Comparison, recipe: AnyRecipe): ComparisonResult {
  return parseComparison(
    recipe,
    comparisonSpec(c),
    c.variants.map((v) => v.label),
  );
}
