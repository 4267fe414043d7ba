// What the transformer reads from public/data, once per worker:
// - transformer-tokenizer.json: the byte-pair vocabulary the base was pretrained with;
// - transformer-base.bin: the pretrained base (float16, its header names the tokeniser's hash, so
//   weights made with another tokeniser are refused with a message);
// - austen.bin: the real text (the training 90 % of Pride and Prejudice and Persuasion, as the
//   n-gram reads it), written back out as prose and re-encoded with the byte-pair vocabulary; the
//   few words the n-gram's vocabulary maps to <unk> are left out;
// - transformer-heldout.json: the held-out 10 % of each novel as its own text, for perplexityReal.
// The weights stay on the host as arrays: each fine-tuning starts from a fresh upload of them.
import { CORPUS_FILE, detokenize, parseCorpus } from '../../../core/models/ngram/corpus';
import { PASSAGE } from '../../../core/models/ngram/ngram';
import { PASSAGE_TOKENS, PROMPT_TOKENS } from '../../../core/models/transformer/spec';
import { parseTokenizer, type Tokenizer } from '../../../core/models/transformer/tokenizer';
import { readWeightFile, type WeightHeader } from '../../../core/models/transformer/weightFile';

export const TOKENIZER_FILE = 'transformer-tokenizer.json';
export const BASE_FILE = 'transformer-base.bin';
export const HELD_OUT_FILE = 'transformer-heldout.json';

export interface TransformerData {
  tokenizer: Tokenizer;
  /** The base's header (sizes) and its weights in file order. */
  base: { header: WeightHeader; values: Float32Array };
  /** The real training text as token ids. */
  train: Int32Array;
  /**
   * Positions in `train` where a sentence starts and a whole passage follows: real passages and
   * prompts start there.
   */
  starts: Int32Array;
  /** The held-out text as token ids (both novels, one after the other). */
  heldOut: Int32Array;
  /**
   * The panel's prompt: the real text's first PROMPT_TOKENS tokens ("It is a truth universally
   * acknowledged, that a single man", which ends at a word: the test checks it).
   */
  prompt: number[];
}

const decoder = new TextDecoder('utf-8');

/** Token positions after which a sentence starts: tokens that end with . ! or ? (quotes aside). */
function sentenceStarts(tok: Tokenizer, ids: Int32Array): Int32Array {
  const ends = new Uint8Array(tok.vocabSize);
  for (let t = 0; t < tok.vocabSize; t++) {
    const s = decoder.decode(tok.tokenBytes(t)).trimEnd();
    ends[t] = /[.!?]["']?$/.test(s) ? 1 : 0;
  }
  const out: number[] = [0];
  const last = ids.length - PASSAGE_TOKENS;
  for (let i = 1; i <= last; i++) if (ends[ids[i - 1]]) out.push(i);
  return Int32Array.from(out);
}

/** Builds the data from the files' bytes (the worker fetches them; tests read them with fs). */
export function parseTransformerData(files: {
  tokenizer: ArrayBuffer;
  base: ArrayBuffer;
  corpus: ArrayBuffer;
  heldOut: ArrayBuffer;
}): TransformerData {
  const tokenizer = parseTokenizer(decoder.decode(files.tokenizer));
  const base = readWeightFile(files.base, tokenizer.hash);
  if (base.header.vocabSize !== tokenizer.vocabSize) {
    throw new Error(
      `transformer weights: a vocabulary of ${base.header.vocabSize}, the tokeniser has ${tokenizer.vocabSize}`,
    );
  }
  if (base.header.blockSize < PASSAGE_TOKENS) {
    throw new Error(
      `transformer weights: a context of ${base.header.blockSize} tokens, passages need ${PASSAGE_TOKENS}`,
    );
  }
  const corpus = parseCorpus(files.corpus, PASSAGE);
  const unk = corpus.vocab.indexOf('<unk>');
  const words = corpus.train.filter((id) => id !== unk);
  const train = Int32Array.from(tokenizer.encode(detokenize(words, corpus.vocab)));
  const held = JSON.parse(decoder.decode(files.heldOut)) as { novels?: { text?: unknown }[] };
  const texts = (held.novels ?? []).map((n) => n.text).filter((t) => typeof t === 'string');
  if (texts.length === 0) throw new Error(`${HELD_OUT_FILE}: no held-out text`);
  const heldOut = Int32Array.from(tokenizer.encode(texts.join(' ')));
  return {
    tokenizer,
    base,
    train,
    starts: sentenceStarts(tokenizer, train),
    heldOut,
    prompt: Array.from(train.subarray(0, PROMPT_TOKENS)),
  };
}

let dataPromise: Promise<TransformerData> | null = null;

/** The data, fetched through `load` and parsed once per worker. */
export function loadTransformerData(
  load: (name: string) => Promise<ArrayBuffer>,
): Promise<TransformerData> {
  dataPromise ??= Promise.all([
    load(TOKENIZER_FILE),
    load(BASE_FILE),
    load(CORPUS_FILE),
    load(HELD_OUT_FILE),
  ])
    .then(([tokenizer, base, corpus, heldOut]) =>
      parseTransformerData({ tokenizer, base, corpus, heldOut }),
    )
    .catch((e: unknown) => {
      dataPromise = null; // let a later run try again
      throw e;
    });
  return dataPromise;
}
