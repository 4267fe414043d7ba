// Property-based tests of the link codec (the URL hash) with hostile links: random text, truncated
// real links, hostile values under real short names, polluting keys, markup. Every link loads a
// valid recipe (a bad value falls back to its default with a message naming it), nothing throws,
// nothing is polluted; a good recipe survives the round trip exactly.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRecipe } from '../../../src/core/recipe';
import { deserializeState, serializeState } from '../../../src/state/urlCodec';
import { checkRecipe } from '../fuzz/checks';
import {
  assertNoPollution,
  hostileKey,
  hostileString,
  hostileValue,
  nearlyGoodRecipe,
  runs,
} from '../fuzz/hostile';

afterEach(assertNoPollution);

/** Checks what a link loads to; returns the messages. */
function checkLoaded(hash: string): string[] {
  const s = deserializeState(hash);
  checkRecipe(s.recipe);
  if (s.generation !== null) {
    expect(Number.isInteger(s.generation)).toBe(true);
    expect(s.generation).toBeGreaterThanOrEqual(0);
    expect(s.generation).toBeLessThanOrEqual(s.recipe.generations);
  }
  for (const m of s.messages) {
    expect(typeof m).toBe('string');
    // Each message starts with what it is about: a key of the link (quoted when odd), or a field;
    // a huge key is cut short.
    expect(m).toMatch(/^([\w.]+|"[^\n]*"): /s);
    expect(m.length).toBeLessThan(600);
  }
  assertNoPollution();
  return s.messages;
}

/** A link written from entries (keys and values percent-encoded as a browser would). */
const linkOf = (entries: [string, unknown][]) =>
  `#${entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(text(v))}`).join('&')}`;
const text = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** A good recipe's link. */
const goodLink = nearlyGoodRecipe.chain((input) => {
  const p = parseRecipe(input);
  return p.ok ? fc.constant(serializeState(p.recipe, null)) : fc.constant('v=1');
});

const sixDigits = (r: object): unknown =>
  JSON.parse(JSON.stringify(r, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)));

describe('deserializeState under fuzzing', { timeout: 120_000 }, () => {
  it('loads any text as a valid recipe, without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), hostileString), (h) => void checkLoaded(h)),
      {
        numRuns: runs(1500),
      },
    );
  });

  it('loads links of hostile keys and values, naming each dropped one', () => {
    let withMessages = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 10 }), (entries) => {
        if (checkLoaded(linkOf(entries)).length > 0) withMessages++;
      }),
      { numRuns: runs(2000) },
    );
    expect(withMessages).toBeGreaterThan(0);
  });

  it('loads a truncated good link as a valid recipe', () => {
    fc.assert(
      fc.property(goodLink, fc.nat(), (link, cut) => {
        void checkLoaded(`#${link.slice(0, cut % (link.length + 1))}`);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reads a good recipe back (numbers to the 6 digits a link keeps), with no message', () => {
    fc.assert(
      fc.property(nearlyGoodRecipe, fc.option(fc.nat({ max: 5 })), (input, g) => {
        const p = parseRecipe(input);
        if (!p.ok) return;
        const shown = g === null ? null : Math.min(g, p.recipe.generations);
        const back = deserializeState(serializeState(p.recipe, shown));
        expect(back.messages).toEqual([]);
        expect(sixDigits(back.recipe)).toEqual(sixDigits(p.recipe));
        // …and a link read back writes the same link again.
        expect(serializeState(back.recipe, shown)).toBe(serializeState(p.recipe, shown));
        expect(back.generation).toBe(shown);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('keeps markup as text in its messages and the model as one of the known ones', () => {
    const s = deserializeState(
      '#model=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&__proto__=1&constructor=2',
    );
    expect(s.recipe.model).toBe('gaussian1d');
    expect(s.messages[0]).toContain('"<img src=x onerror=alert(1)>" is not one of');
    expect(s.messages.some((m) => m.startsWith('__proto__: unknown setting'))).toBe(true);
    expect(s.messages.some((m) => m.startsWith('constructor: unknown setting'))).toBe(true);
  });
});
