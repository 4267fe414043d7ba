// The contract every parse of untrusted input is held to in the fuzz tests.
import { expect } from 'vitest';
import { fieldsOf, groupsOf, MODELS, type Model, type parseRecipe } from '../../../src/core/recipe';

/** Checks a parse result against the contract; returns whether it was accepted. */
export function checkParsed(input: unknown, r: ReturnType<typeof parseRecipe>): boolean {
  if (!r.ok) {
    expect(typeof r.error).toBe('string');
    expect(r.error).not.toMatch(/[\r\n]/);
    // Named as is, or quoted when odd (an empty or huge key, one with spaces or markup).
    const q = (k: string) =>
      /^[\w$]{1,40}$/.test(k) ? k : JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k);
    const named = r.subField === undefined ? q(r.field) : `${r.field}.${q(r.subField)}`;
    expect(
      r.error.startsWith(`${named}:`) || r.error.startsWith(`${r.field}:`),
      `${r.error} names ${named}`,
    ).toBe(true);
    // The field named is one the input holds (or the input as a whole, or its model).
    if (r.field !== 'recipe' && r.field !== 'model') {
      expect(Object.hasOwn(input as object, r.field)).toBe(true);
    }
    return false;
  }
  checkRecipe(r.recipe);
  for (const w of r.warnings) expect(w).toMatch(/^[\w.]+: /);
  return true;
}

/** A recipe holds only its model's fields, each within its limits (enums: one of its values). */
export function checkRecipe(value: unknown): void {
  const recipe = value as Record<string, unknown>;
  expect(Object.getPrototypeOf(recipe)).toBe(Object.prototype);
  expect(MODELS).toContain(recipe.model);
  const fields = fieldsOf(recipe.model as Model);
  const groups = groupsOf(recipe.model as Model);
  for (const key of Object.keys(recipe)) {
    const known =
      key === 'version' ||
      key === 'dimensions' ||
      Object.hasOwn(fields, key) ||
      Object.hasOwn(groups, key);
    expect(known, key).toBe(true);
  }
  for (const [k, f] of Object.entries(fields)) {
    const v = recipe[k];
    if (f.kind === 'enum') expect(f.values).toContain(v);
    else {
      expect(Number.isFinite(v)).toBe(true);
      expect(v as number).toBeGreaterThanOrEqual(f.min);
      expect(v as number).toBeLessThanOrEqual(f.max);
      if (f.kind === 'int') expect(Number.isInteger(v)).toBe(true);
    }
  }
  for (const [k, g] of Object.entries(groups)) {
    const v = recipe[k] as Record<string, unknown> | undefined;
    if (v === undefined) continue;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v).sort()).toEqual(Object.keys(g.fields).sort());
    for (const [s, f] of Object.entries(g.fields)) {
      if (f.kind === 'enum') expect(f.values).toContain(v[s]);
      else expect(Number.isFinite(v[s])).toBe(true);
    }
  }
}
