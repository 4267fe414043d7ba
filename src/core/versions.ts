// Recipe and link versions: the one place an old link or recipe JSON is brought up to today's
// format. A recipe carries `version` and a link `v=`; each later format adds one step to
// MIGRATIONS reading the version before it, and everything older is read through the chain of
// steps (v=1 → 2 → … → RECIPE_VERSION) before the field tables see it.
//
// Audit of main's history (every commit touching the field tables, the specs, fields.ts,
// recipe.ts and state.ts, from 30632cc to 6241e27; each build's tables dumped and compared):
// no short name, field name or enum value that shipped was ever renamed or removed, and no field
// moved between models; links were always written with every field, `v=1` first, and groups as
// their sub-fields' short names (since ac03d56). What did change, and why it needs no step here:
// - gmm `components` (K): most 10 → 25 at fee3d2c (wider; every old value still fits);
// - diffusion `epochs` (ep) default 300 → 200 and `hiddenSize` (h) default 64 → 32 at f2f68e6
//   (38c41ba had the old ones): every link and recipe JSON a build wrote names both values,
//   so it opens the same model; only a hand-written one that left them out trains the new size;
// - the work caps (cb6e224, 6241e27) cut a huge run to fit, with a message naming the field:
//   the nearest experiment this build can run, said in the link's dismissable note.
// So version 1 is still the only format; tests/unit/state/oldLinks.test.ts holds links and
// recipes the old builds wrote, and tests/unit/core/versions.test.ts a hypothetical step to 2.

/** The format this build writes (`version` in a recipe, `v=` in a link). */
export const RECIPE_VERSION = 1;

/** A link as its key/value pairs, in their order. */
export type LinkParams = readonly (readonly [key: string, value: string])[];

/**
 * One format change: reads version `from`, writes `from + 1`. A step changes what it must and
 * passes the rest through; where the meaning changed (not just a name), it returns a note the
 * reader sees, saying what was changed. A rename of a short name, field or enum value needs both
 * functions: links are read by short name, recipes by field name.
 */
export interface Migration {
  from: number;
  /** The commit on main that introduced version `from + 1` (its format's first build). */
  since: string;
  link: (params: LinkParams) => { params: LinkParams; notes?: string[] };
  recipe: (recipe: Readonly<Record<string, unknown>>) => {
    recipe: Record<string, unknown>;
    notes?: string[];
  };
}

/** Every format change, oldest first: the entry with `from: n` reads version n. */
export const MIGRATIONS: readonly Migration[] = [];

/** The steps that bring version `from` up to `to`, in order (the table is checked by tests). */
function steps(table: readonly Migration[], from: number, to: number): Migration[] {
  return table.filter((m) => m.from >= from && m.from < to).sort((a, b) => a.from - b.from);
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/**
 * A link's pairs in today's format, with notes. Its `v=` says which format it is (none: version
 * 1, the first, as a hand-written link); an unknown or future version is read as today's, with a
 * note. The `v` pair is left out of what is returned.
 */
export function migrateLink(
  params: LinkParams,
  table: readonly Migration[] = MIGRATIONS,
  current: number = RECIPE_VERSION,
): { params: LinkParams; notes: string[] } {
  const notes: string[] = [];
  const asked = params.find(([k]) => k === 'v')?.[1];
  let version = 1;
  if (asked !== undefined) {
    const n = Number(asked);
    if (/^\d+$/.test(asked) && n >= 1 && n <= current) version = n;
    else {
      version = current;
      notes.push(`v: link version ${quoted(asked)} is unknown; read as version ${current}`);
    }
  }
  let out: LinkParams = params.filter(([k]) => k !== 'v');
  for (const step of steps(table, version, current)) {
    const next = step.link(out);
    out = next.params;
    notes.push(...(next.notes ?? []));
  }
  return { params: out, notes };
}

/**
 * A recipe JSON in today's format, with notes; `version` absent reads as 1 (like a link without
 * `v`). A version this build does not know is an error (the CLI exits on it), not a guess;
 * `expected` says which it knows.
 */
export function migrateRecipe(
  input: Readonly<Record<string, unknown>>,
  table: readonly Migration[] = MIGRATIONS,
  current: number = RECIPE_VERSION,
):
  | { ok: true; recipe: Record<string, unknown>; notes: string[] }
  | { ok: false; expected: string } {
  const v = input.version === undefined ? 1 : input.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > current)
    return { ok: false, expected: current === 1 ? '1' : `1 to ${current}` };
  const notes: string[] = [];
  let recipe: Record<string, unknown> = { ...input };
  for (const step of steps(table, v, current)) {
    const next = step.recipe(recipe);
    recipe = next.recipe;
    notes.push(...(next.notes ?? []));
  }
  if ('version' in input || v < current) recipe.version = current;
  return { ok: true, recipe, notes };
}
