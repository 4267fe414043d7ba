// Property-based tests of the recipe parser with hostile input (tests/unit/fuzz/hostile.ts): every
// input is accepted (clamped values each named in a warning) or rejected with one line naming the
// field; nothing throws, nothing outside the field table gets through, nothing is polluted.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRecipe } from '../../../src/core/recipe';
import { checkParsed } from '../fuzz/checks';
import {
  assertNoPollution,
  hostileRecipe,
  hostileValue,
  nearlyGoodRecipe,
  runs,
} from '../fuzz/hostile';

afterEach(assertNoPollution);

describe('parseRecipe under fuzzing', { timeout: 120_000 }, () => {
  it('accepts or rejects any object-ish input with the field named, and never throws', () => {
    let accepted = 0;
    fc.assert(
      fc.property(hostileRecipe, (input) => {
        if (checkParsed(input, parseRecipe(input))) accepted++;
        assertNoPollution();
      }),
      { numRuns: runs(4000) },
    );
    // Some inputs must get through, or the property checked only the rejection path.
    expect(accepted).toBeGreaterThan(0);
  });

  it('rejects any non-object with field "recipe"', () => {
    fc.assert(
      fc.property(
        hostileValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
        (input) => {
          const r = parseRecipe(input);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.field).toBe('recipe');
        },
      ),
      { numRuns: runs(1000) },
    );
  });

  it('names every number it changed in a warning (clamped, rounded or capped)', () => {
    let clamped = 0;
    fc.assert(
      fc.property(nearlyGoodRecipe, (input) => {
        const r = parseRecipe(input);
        if (!checkParsed(input, r) || !r.ok) return;
        const recipe = r.recipe as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(input)) {
          if (typeof v !== 'number' || recipe[k] === v) continue;
          clamped++;
          expect(r.warnings.some((w) => w.startsWith(`${k}:`))).toBe(true);
        }
      }),
      { numRuns: runs(3000) },
    );
    expect(clamped).toBeGreaterThan(0);
  });

  it('gives the same answer for the same input, and a parsed recipe parses to itself', () => {
    fc.assert(
      fc.property(nearlyGoodRecipe, (input) => {
        const a = parseRecipe(structuredClone(input));
        expect(parseRecipe(structuredClone(input))).toEqual(a);
        if (a.ok) {
          const again = parseRecipe(structuredClone(a.recipe));
          expect(again).toEqual({ ok: true, recipe: a.recipe, warnings: [] });
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('treats __proto__ and constructor keys as unknown fields, top-level and in groups', () => {
    for (const text of [
      '{"__proto__": {"generations": 3}}',
      '{"constructor": {"prototype": {"polluted": 1}}}',
      '{"filter": {"__proto__": {"polluted": 1}}}',
      '{"curation": {"constructor": 1}}',
      '{"model": "__proto__"}',
      '{"model": "constructor"}',
    ]) {
      const r = parseRecipe(JSON.parse(text));
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^(__proto__|constructor|filter|curation|model)/);
      assertNoPollution();
    }
  });
});
