// Prepares the language model's family for a run (the worker's or the CLI's): the shipped text,
// read and parsed once per worker. The model itself is plain TypeScript (src/core), no tfjs.
import { CORPUS_FILE, type Corpus, parseCorpus } from '../../../core/models/ngram/corpus';
import { ngramFamily } from '../../../core/models/ngram/family';
import { PASSAGE } from '../../../core/models/ngram/ngram';
import type { RecipeFor } from '../../../core/recipe';
import type { JobContext } from '../../job/context';

let corpusPromise: Promise<Corpus> | null = null;

/** The text, read through `load` and parsed once per worker. */
export function loadCorpus(load: (name: string) => Promise<ArrayBuffer>): Promise<Corpus> {
  corpusPromise ??= load(CORPUS_FILE)
    .then((buffer) => parseCorpus(buffer, PASSAGE))
    .catch((e: unknown) => {
      corpusPromise = null; // let a later run try again
      throw e;
    });
  return corpusPromise;
}

export async function prepare(recipe: RecipeFor<'ngram'>, ctx: JobContext) {
  ctx.emit({ type: 'backend', backend: { name: 'ts', reason: 'plain TypeScript (no tfjs)' } });
  return ngramFamily(recipe, await loadCorpus(ctx.loadData));
}
