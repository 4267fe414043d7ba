// Hostile inputs for the property-based tests of every surface that reads untrusted data (recipes,
// links, comparisons, worker messages, the CLI): random, truncated, huge, negative, NaN,
// wrong-typed, prototype-polluting and markup-bearing values. Built over the model registry, so a
// model that lands later is fuzzed with its own field names and short names.
import fc from 'fast-check';
import { fieldsOf, groupsOf, MODELS } from '../../../src/core/recipe';

/** Keys that attack an object's prototype when copied carelessly. */
export const POLLUTING_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
];

export const MARKUP = [
  '<img src=x onerror="globalThis.pwned=1">',
  '<script>globalThis.pwned=1</script>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '&lt;b&gt;&amp;',
];

/** Every field, sub-field and short name some model reads, and `group.sub` paths. */
export const KNOWN_KEYS: string[] = [
  ...new Set(
    MODELS.flatMap((m) => [
      ...Object.entries(fieldsOf(m)).flatMap(([k, f]) => [k, f.short]),
      ...Object.entries(groupsOf(m)).flatMap(([k, g]) => [
        k,
        ...Object.entries(g.fields).flatMap(([s, f]) => [s, f.short, `${k}.${s}`]),
      ]),
    ]),
  ),
];

/** Numbers at and past every edge: NaN, ±∞, −0, huge, tiny, negative, fractional. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    1,
    -1,
    0.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 53,
    1e21,
  ),
  fc.double(),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.double({ min: -10, max: 20_000, noNaN: true }),
);

/** Strings: markup, polluting names, numbers as text, control characters, long runs, anything. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...MARKUP, ...POLLUTING_KEYS, '', ' ', 'NaN', 'Infinity', '-1', '1e999', '0x10'),
  fc.constantFrom(...MODELS, 'replace', 'accumulate', 'mle', 'fresh', 'fixed', 'kmeans++', 'model'),
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 2000, maxLength: 5000 }),
  hostileNumber.map(String),
);

/** An object that copies `__proto__` as an own key (what JSON.parse makes of such text). */
export const pollutingObject: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom(...POLLUTING_KEYS)
  .map((k) => JSON.parse(`{"${k}": {"polluted": true, "toString": "x"}}`));

/** Any JSON-ish value, hostile leaves included (nested objects and arrays too). */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileNumber,
    hostileString,
    fc.constantFrom(null, undefined, true, false),
    pollutingObject,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...KNOWN_KEYS, ...POLLUTING_KEYS), fc.string()),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

/** A key a recipe or link might hold: a real field or short name, a polluting key, or junk. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN_KEYS, 'model', 'version') },
  { weight: 2, arbitrary: fc.constantFrom(...POLLUTING_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Entries → an object with every key as an own property (`__proto__` included). */
export const ownObject = (entries: [string, unknown][]): Record<string, unknown> =>
  Object.fromEntries(entries);

/** A recipe-like object: mostly real fields with hostile values, some junk. */
export const hostileRecipe: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.oneof(fc.constantFrom(...MODELS), fc.constant(undefined), hostileValue),
    fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 8 }),
  )
  .map(([model, entries]) =>
    ownObject(model === undefined ? entries : [['model', model], ...entries]),
  );

/** Mostly good recipes with one or two values pushed out of range (to exercise clamping). */
export const nearlyGoodRecipe: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom(...MODELS)
  .chain((model) => {
    const fields = Object.entries(fieldsOf(model)).filter(([k]) => k !== 'model');
    return fc
      .array(
        fc.constantFrom(...fields).chain(([k, f]) =>
          (f.kind === 'enum'
            ? fc.oneof(fc.constantFrom(...f.values), hostileString)
            : fc.oneof(
                fc.double({
                  min: f.min - 10 * (f.max - f.min + 1),
                  max: f.max * 10 + 10,
                  noNaN: true,
                }),
                f.kind === 'int'
                  ? fc.integer({ min: f.min, max: Math.min(f.max, 2 ** 31 - 1) })
                  : fc.double({ min: f.min, max: f.max, noNaN: true }),
                hostileNumber,
              )
          ).map((v) => [k, v] as [string, unknown]),
        ),
        { maxLength: 4 },
      )
      .map((entries) => ownObject([['model', model], ...entries]));
  });

/** Checks that nothing reached Object.prototype (call after each case). */
export function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || Object.keys(Object.prototype).length > 0)
    throw new Error('Object.prototype was polluted');
  if ((globalThis as { pwned?: unknown }).pwned !== undefined) throw new Error('markup ran');
}

/** fast-check's run count per property, read from FUZZ_RUNS (default `n`). */
export const runs = (n: number) => Number(process.env.FUZZ_RUNS ?? n);
