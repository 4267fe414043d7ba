// `npm run -s experiment -- --recipe <file.json | - | '{…}'>`: runs a recipe in Node and prints one
// JSON object (the normalised recipe, the per-generation summaries, the theory where it exists).
// Bad input: a one-line error naming the field on stderr, exit code 2 (experimentCli.ts).
import { runCli } from './experimentCli';

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
