// The experiment CLI as a function of its arguments and streams, so tests can drive it without a
// process per case: `runCli` returns the exit code. Bad input (arguments, JSON, a recipe, a
// comparison): one line `error: …` naming the field on stderr and exit code 2; nothing else.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseComparison } from '../core/comparison';
import { parseRecipe } from '../core/recipe';
import { runExperiment } from './runExperiment';

export interface CliIo {
  /** Reads the recipe text (a path, or '-' for standard input); throws if it cannot. */
  readText(source: string): string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  readText: (source) => readFileSync(source === '-' ? 0 : source, 'utf8'),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A bad-input ending: its one line goes to stderr and the exit code is 2. */
class UsageError extends Error {}

/** One line, whatever the message held (a JSON error can quote newlines from the input). */
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const fail = (message: string): never => {
    throw new UsageError(message);
  };
  try {
    await main(argv, io, fail);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${oneLine(e.message)}\n`);
      return 2;
    }
    // A failure of the run itself (not of the input): one line too, exit code 1.
    io.stderr(`error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
}

async function main(argv: string[], io: CliIo, fail: (message: string) => never): Promise<void> {
  let values: { recipe?: string; backend?: string; compare?: string; help?: boolean } = {};
  try {
    ({ values } = parseArgs({
      args: argv,
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
    io.stdout(
      'usage: npm run -s experiment -- --recipe <file.json | - | {…}> [--backend wasm|cpu] [--compare field=v1,v2,…]\n',
    );
    return;
  }
  if (!values.recipe) fail('--recipe: missing (a JSON file, or - for standard input)');
  const source = values.recipe as string;
  let text = source;
  try {
    // A recipe written inline on the command line (no file is named with a leading brace).
    if (!source.trimStart().startsWith('{')) text = io.readText(source);
  } catch (e) {
    fail(`--recipe: cannot read ${source} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`recipe: not valid JSON (${(e as Error).message})`);
  }
  const parsed = parseRecipe(json);
  if (!parsed.ok) return fail(parsed.error);
  const warn = (w: string) => io.stderr(`warning: ${oneLine(w)}\n`);
  parsed.warnings.forEach(warn);
  const recipe = parsed.recipe;
  if (values.compare !== undefined) {
    // One result per variant, run one after another with the recipe's seed (common random numbers).
    const c = parseComparison(recipe, values.compare);
    if (!c.ok) return fail(c.error);
    const variants = [];
    for (const v of c.comparison.variants) {
      for (const w of v.warnings) warn(`${c.comparison.field}=${v.value}: ${w}`);
      const out = await runExperiment(v.recipe, values.backend ?? null);
      variants.push({ value: v.value, ...out, warnings: v.warnings });
    }
    io.stdout(
      `${JSON.stringify({ compare: { field: c.comparison.field }, variants, warnings: parsed.warnings })}\n`,
    );
    return;
  }
  const out = await runExperiment(recipe, values.backend ?? null);
  io.stdout(`${JSON.stringify({ ...out, warnings: parsed.warnings })}\n`);
}
