// The language model's shipped text (public/data/austen.bin, built by scripts/make-corpus.mjs;
// format in public/data/AUSTEN-SOURCE.md): its vocabulary, training and held-out token ids, where
// sentences start, and turning ids back into readable text.

export const CORPUS_FILE = 'austen.bin';

export interface Corpus {
  /** Types in id order (id 0 is the most frequent); `<unk>` is one of them. */
  vocab: string[];
  train: Uint16Array;
  heldOut: Uint16Array;
  /** Positions in `train` right after a sentence end, with a whole passage after them. */
  sentenceStarts: Int32Array;
}

function readLeb128(bytes: Uint8Array, pos: number, n: number, out: Uint16Array): number {
  let p = pos;
  for (let i = 0; i < n; i++) {
    let v = 0;
    let shift = 0;
    let b: number;
    do {
      if (p >= bytes.length) throw new Error('austen.bin: token ids run past the end');
      b = bytes[p++];
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    out[i] = v;
  }
  return p;
}

/** Positions after `.`, `!` or `?` (a closing quotation mark after them included). */
export function sentenceStartsOf(
  tokens: Uint16Array,
  vocab: string[],
  passage: number,
): Int32Array {
  const isEnd = new Uint8Array(vocab.length);
  const isQuote = new Uint8Array(vocab.length);
  for (let i = 0; i < vocab.length; i++) {
    isEnd[i] = vocab[i] === '.' || vocab[i] === '!' || vocab[i] === '?' ? 1 : 0;
    isQuote[i] = vocab[i] === '"' ? 1 : 0;
  }
  const out: number[] = [0];
  for (let i = 1; i + passage <= tokens.length; i++) {
    const prev = tokens[i - 1];
    if (isEnd[prev] && !isQuote[tokens[i]]) out.push(i);
    else if (isQuote[prev] && i >= 2 && isEnd[tokens[i - 2]]) out.push(i);
  }
  return Int32Array.from(out);
}

export function parseCorpus(buffer: ArrayBuffer, passage: number): Corpus {
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== 'NGRM' || view.getUint32(4, true) !== 1)
    throw new Error('austen.bin: not a version-1 token file');
  const V = view.getUint32(8, true);
  const nTrain = view.getUint32(12, true);
  const nHeld = view.getUint32(16, true);
  const vocabBytes = view.getUint32(20, true);
  const vocab = new TextDecoder().decode(bytes.subarray(24, 24 + vocabBytes)).split('\n');
  if (vocab.length !== V) throw new Error(`austen.bin: ${vocab.length} types, header says ${V}`);
  const train = new Uint16Array(nTrain);
  const heldOut = new Uint16Array(nHeld);
  let p = readLeb128(bytes, 24 + vocabBytes, nTrain, train);
  p = readLeb128(bytes, p, nHeld, heldOut);
  if (p !== bytes.length) throw new Error('austen.bin: bytes left after the token ids');
  return { vocab, train, heldOut, sentenceStarts: sentenceStartsOf(train, vocab, passage) };
}

const NO_SPACE_BEFORE = new Set(['.', ',', ';', ':', '!', '?', ')', "'", '’']);
const NO_SPACE_AFTER = new Set(['(']);

/** Token ids as text: spaces between words, none before punctuation, quotes paired. */
export function detokenize(ids: ArrayLike<number>, vocab: string[]): string {
  let out = '';
  let openQuote = false;
  let prev = '';
  for (let i = 0; i < ids.length; i++) {
    const t = vocab[ids[i]] ?? '<unk>';
    let space = i > 0 && !NO_SPACE_BEFORE.has(t) && !NO_SPACE_AFTER.has(prev);
    if (t === '"') {
      // An opening quote takes a space before it, a closing one does not.
      space = i > 0 && !openQuote && !NO_SPACE_AFTER.has(prev);
      openQuote = !openQuote;
    } else if (prev === '"' && openQuote) space = false;
    out += (space ? ' ' : '') + t;
    prev = t;
  }
  return out;
}

/** Ids of words in the vocabulary (unknown words as `<unk>`). */
export function idsOf(words: string[], vocab: string[]): Int32Array {
  const unk = vocab.indexOf('<unk>');
  return Int32Array.from(words, (w) => {
    const i = vocab.indexOf(w);
    return i >= 0 ? i : unk;
  });
}
