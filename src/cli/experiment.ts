// `npm run -s experiment -- --recipe <file.json | - | '{…}'>`: runs a recipe in Node and prints one JSON
// object (the normalised recipe, the per-generation summaries, the theory where it exists).
// Bad input: a one-line error naming the field on stderr, exit code 2.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseComparison } from '../core/comparison';
import { parseRecipe } from '../core/recipe';
import { runExperiment } from './runExperiment';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function readRecipeText(source: string): string {
  // A recipe written inline on the command line (no file is named with a leading brace).
  if (source.trimStart().startsWith('{')) return source;
  try {
    return readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (e) {
    fail(`--recipe: cannot read ${source} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

async function main(): Promise<void> {
  let values: { recipe?: string; backend?: string; compare?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        recipe: { type: 'string' },
        backend: { type: 'string' },
        compare: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message.split('\n')[0]}`);
  }
  if (values.help) {
    process.stdout.write(
      'usage: npm run -s experiment -- --recipe <file.json | - | {…}> [--backend wasm|cpu] [--compare field=v1,v2,…]\n',
    );
    return;
  }
  if (!values.recipe) fail('--recipe: missing (a JSON file, or - for standard input)');
  let json: unknown;
  try {
    json = JSON.parse(readRecipeText(values.recipe));
  } catch (e) {
    fail(`recipe: not valid JSON (${(e as Error).message})`);
  }
  const parsed = parseRecipe(json);
  if (!parsed.ok) fail(parsed.error);
  for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`);
  const recipe = parsed.recipe;
  if (values.compare !== undefined) {
    // One result per variant, run one after another with the recipe's seed (common random numbers).
    const c = parseComparison(recipe, values.compare);
    if (!c.ok) fail(c.error);
    const variants = [];
    for (const v of c.comparison.variants) {
      for (const w of v.warnings)
        process.stderr.write(`warning: ${c.comparison.field}=${v.value}: ${w}\n`);
      const out = await runExperiment(v.recipe, values.backend ?? null);
      variants.push({ value: v.value, ...out, warnings: v.warnings });
    }
    process.stdout.write(
      `${JSON.stringify({ compare: { field: c.comparison.field }, variants, warnings: parsed.warnings })}\n`,
    );
    return;
  }
  const out = await runExperiment(recipe, values.backend ?? null);
  process.stdout.write(`${JSON.stringify({ ...out, warnings: parsed.warnings })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
