// What the page exports and imports, as plain text: per-generation statistics as CSV (one row per
// generation, one column per metric and summary statistic, in the model spec's metric order), the
// recipe as JSON (the file the CLI reads with --recipe), and the reading of such a file back,
// through the recipe parser (a bad file gets a message naming what is wrong, never a crash).
import type { TrainingComposition } from './generation/types';
import { type AnyRecipe, type ParseResult, parseRecipe, specOf } from './recipe';
import { SUMMARY_KEYS, type Summary } from './summary';

/** One generation as the store keeps it (a metric with no number in any chain is null). */
export interface GenerationRow {
  generation: number;
  stats: Record<string, Summary | null | undefined>;
  training?: TrainingComposition;
}

const TRAINING_KEYS = ['size', 'synthetic', 'real'] as const;

/** A number as CSV writes it: exact (shortest round-trip form), ±Infinity spelled out, else empty. */
function cell(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '';
  return String(v);
}

/** The metrics the CSV has columns for: the spec's, in its order, then any others the rows hold. */
export function csvMetrics(model: AnyRecipe['model'], rows: readonly GenerationRow[]): string[] {
  const out = [...specOf(model).metrics];
  for (const r of rows) for (const m of Object.keys(r.stats)) if (!out.includes(m)) out.push(m);
  return out;
}

/**
 * Per-generation statistics across replicate chains: `generation`, then `<metric>_<stat>` for every
 * metric and summary statistic (mean, median, q05, q25, q75, q95), then chain 1's training set
 * (`training_size`, `training_synthetic`, `training_real`). Empty cells where a metric has no number.
 */
export function statsCsv(model: AnyRecipe['model'], rows: readonly GenerationRow[]): string {
  return csvOf(model, [{ label: null, rows }]);
}

/**
 * A comparison's statistics: the same columns after a first column `variant` (each variant's
 * name), the variants' rows one after another.
 */
export function comparisonCsv(
  model: AnyRecipe['model'],
  variants: readonly { label: string; rows: readonly GenerationRow[] }[],
): string {
  return csvOf(model, variants);
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
const field = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function csvOf(
  model: AnyRecipe['model'],
  groups: readonly { label: string | null; rows: readonly GenerationRow[] }[],
): string {
  const metrics = csvMetrics(
    model,
    groups.flatMap((g) => g.rows),
  );
  const labelled = groups.some((g) => g.label !== null);
  const header = [
    ...(labelled ? ['variant'] : []),
    'generation',
    ...metrics.flatMap((m) => SUMMARY_KEYS.map((k) => `${m}_${k}`)),
    ...TRAINING_KEYS.map((k) => `training_${k}`),
  ];
  const lines = [header.join(',')];
  for (const g of groups) {
    for (const r of g.rows) {
      lines.push(
        [
          ...(labelled ? [field(g.label ?? '')] : []),
          String(r.generation),
          ...metrics.flatMap((m) => SUMMARY_KEYS.map((k) => cell(r.stats[m]?.[k]))),
          ...TRAINING_KEYS.map((k) => cell(r.training?.[k])),
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The recipe as a JSON file: exactly what the CLI's --recipe reads and what import reads back. */
export function recipeJson(recipe: AnyRecipe): string {
  return `${JSON.stringify(recipe, null, 2)}\n`;
}

/** Files larger than this are not recipes (a recipe is well under a kilobyte). */
export const MAX_RECIPE_FILE_BYTES = 1_000_000;

/**
 * Reads an imported file: a recipe as JSON, or the CLI's output (whose `recipe` field is one).
 * Validated and clamped by the recipe parser; never throws.
 */
export function parseRecipeFile(text: string): ParseResult {
  if (text.length > MAX_RECIPE_FILE_BYTES)
    return { ok: false, field: 'recipe', error: 'recipe: the file is too large to be a recipe' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, field: 'recipe', error: `recipe: the file is not JSON (${why})` };
  }
  if (
    typeof json === 'object' &&
    json !== null &&
    !Array.isArray(json) &&
    Object.hasOwn(json, 'recipe') &&
    Object.hasOwn(json, 'generations')
  ) {
    json = (json as { recipe: unknown }).recipe;
  }
  return parseRecipe(json);
}
