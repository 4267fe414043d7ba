// Byte-level byte-pair-encoding (BPE) tokeniser of the transformer model, in the style of GPT-2.
//
// - Normalisation: text is put in Unicode NFC, nothing else (case, spaces and line breaks are
//   kept). decode(encode(s)) === s.normalize('NFC') for every string without lone surrogates
//   (a lone surrogate has no UTF-8 form and becomes U+FFFD, as TextEncoder writes it).
// - Pre-split: the text is cut into chunks by PRE_SPLIT (GPT-2's pattern: a word with its leading
//   space, a number, a run of punctuation, whitespace), and merges never cross a chunk, so a token
//   is never half of one word and half of the next.
// - Base vocabulary: the 256 byte values (id = byte), so any text encodes (a character never seen
//   in training is spelled by its UTF-8 bytes). Token 256 + r is merge r: the concatenation of the
//   two tokens merges[2r] and merges[2r + 1]. No special tokens.
// - Training (trainBpe) is deterministic: each round merges the most frequent adjacent pair over
//   the training chunks (counted with their multiplicity); ties go to the pair with the smaller
//   left id, then the smaller right id.
// - Encoding applies merges by rank (earliest learned first) within each chunk, and caches each
//   distinct chunk's ids: novels repeat a few thousand words, so most chunks are cache hits.
// No DOM and no tfjs here: the same code runs in the page, the worker, Node scripts and tests.

/** GPT-2's pre-split pattern (contractions, words, numbers, punctuation runs, whitespace). */
export const PRE_SPLIT =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const BYTES = 256;

/** The shipped form (public/data/transformer-tokenizer.json). */
export interface TokenizerSpec {
  format: 'collapse-lab-bpe';
  version: 1;
  normalization: 'NFC';
  /** PRE_SPLIT's source, so a file made with another pattern is refused. */
  preSplit: string;
  /** 256 + merges.length / 2. */
  vocabSize: number;
  /** Pairs of token ids, flat: merge r makes token 256 + r from merges[2r] and merges[2r + 1]. */
  merges: number[];
  /** tokenizerHash of the above, as 8 hex digits. */
  hash: string;
}

/** FNV-1a (32-bit) of a string's UTF-16 code units: small, dependency-free and stable. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The hash that names a tokeniser: the model's weight file records it. */
export function tokenizerHash(spec: Omit<TokenizerSpec, 'hash'>): string {
  const canonical = [
    spec.format,
    spec.version,
    spec.normalization,
    spec.preSplit,
    spec.vocabSize,
    spec.merges.join(','),
  ].join('|');
  return fnv1a(canonical).toString(16).padStart(8, '0');
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** The text's chunks (PRE_SPLIT matches cover the whole string: every character is in one). */
export function preSplit(text: string): string[] {
  return text.match(PRE_SPLIT) ?? [];
}

export class Tokenizer {
  readonly vocabSize: number;
  readonly hash: string;
  readonly spec: TokenizerSpec;
  /** Rank of the merge of (a, b), keyed a * vocabSize + b. */
  private readonly ranks = new Map<number, number>();
  /** Each token's bytes. */
  private readonly bytes: Uint8Array[] = [];
  private readonly cache = new Map<string, number[]>();

  constructor(spec: TokenizerSpec) {
    if (spec.format !== 'collapse-lab-bpe' || spec.version !== 1) {
      throw new Error(`unknown tokeniser format ${spec.format} v${spec.version}`);
    }
    if (spec.normalization !== 'NFC' || spec.preSplit !== PRE_SPLIT.source) {
      throw new Error('tokeniser file was made with another normalisation or pre-split pattern');
    }
    if (spec.vocabSize !== BYTES + spec.merges.length / 2) {
      throw new Error(`tokeniser file: vocabSize ${spec.vocabSize} does not match its merges`);
    }
    const hash = tokenizerHash(spec);
    if (hash !== spec.hash) {
      throw new Error(`tokeniser file is corrupt: its hash is ${hash}, it states ${spec.hash}`);
    }
    this.spec = spec;
    this.vocabSize = spec.vocabSize;
    this.hash = hash;
    for (let b = 0; b < BYTES; b++) this.bytes.push(Uint8Array.of(b));
    for (let r = 0; r < spec.merges.length / 2; r++) {
      const a = spec.merges[2 * r];
      const b = spec.merges[2 * r + 1];
      if (!(a < BYTES + r && b < BYTES + r)) throw new Error(`tokeniser merge ${r} is invalid`);
      this.ranks.set(a * this.vocabSize + b, r);
      const joined = new Uint8Array(this.bytes[a].length + this.bytes[b].length);
      joined.set(this.bytes[a]);
      joined.set(this.bytes[b], this.bytes[a].length);
      this.bytes.push(joined);
    }
  }

  /** Token ids of NFC(text). */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const chunk of preSplit(text.normalize('NFC'))) {
      let ids = this.cache.get(chunk);
      if (!ids) {
        ids = this.encodeChunk(chunk);
        // Bounded, so that a long stream of novel text (e.g. generated gibberish) cannot grow it
        // without end; clearing all is crude but keeps the common words' cost low on average.
        if (this.cache.size > 50_000) this.cache.clear();
        this.cache.set(chunk, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  /** The text of a token sequence (invalid UTF-8, e.g. a cut multi-byte character, gives U+FFFD). */
  decode(ids: ArrayLike<number>): string {
    let n = 0;
    for (let i = 0; i < ids.length; i++) n += this.tokenBytes(ids[i]).length;
    const buf = new Uint8Array(n);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const b = this.tokenBytes(ids[i]);
      buf.set(b, at);
      at += b.length;
    }
    return utf8Decoder.decode(buf);
  }

  /** The bytes of one token. */
  tokenBytes(id: number): Uint8Array {
    const b = this.bytes[id];
    if (!b) throw new Error(`token id ${id} is outside the vocabulary (size ${this.vocabSize})`);
    return b;
  }

  private encodeChunk(chunk: string): number[] {
    const ids = Array.from(utf8.encode(chunk));
    // Repeatedly merge the adjacent pair with the lowest rank (as the merges were learned).
    while (ids.length > 1) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < ids.length; i++) {
        const r = this.ranks.get(ids[i] * this.vocabSize + ids[i + 1]);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      // Merge every occurrence of this pair, left to right, in one pass.
      const a = ids[best];
      const b = ids[best + 1];
      const merged: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          merged.push(BYTES + bestRank);
          i++;
        } else merged.push(ids[i]);
      }
      ids.length = 0;
      for (const id of merged) ids.push(id);
    }
    return ids;
  }
}

/** Reads and checks a tokeniser file's JSON. */
export function parseTokenizer(json: string): Tokenizer {
  return new Tokenizer(JSON.parse(json) as TokenizerSpec);
}

/**
 * Learns `vocabSize - 256` merges from `texts` (deterministic; see the header for the tie rule).
 * Incremental: pair counts are kept and only the chunks that hold the merged pair are rescanned.
 */
export function trainBpe(texts: readonly string[], vocabSize: number): TokenizerSpec {
  if (!Number.isInteger(vocabSize) || vocabSize < BYTES) {
    throw new Error(`vocabSize must be an integer >= ${BYTES}`);
  }
  // Distinct chunks with their counts, in order of first appearance (for determinism).
  const counts = new Map<string, number>();
  for (const t of texts) {
    for (const c of preSplit(t.normalize('NFC'))) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const words: number[][] = [];
  const freq: number[] = [];
  for (const [c, n] of counts) {
    words.push(Array.from(utf8.encode(c)));
    freq.push(n);
  }
  // Pair keys a * K + b with K fixed beyond any id.
  const K = vocabSize;
  const pairCount = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: number) => {
    const ids = words[w];
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = ids[i] * K + ids[i + 1];
      pairCount.set(key, (pairCount.get(key) ?? 0) + sign * freq[w]);
      if (sign > 0) {
        const s = where.get(key);
        if (s) s.add(w);
        else where.set(key, new Set([w]));
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);

  const merges: number[] = [];
  for (let next = BYTES; next < vocabSize; next++) {
    let bestKey = -1;
    let bestCount = 0;
    for (const [key, n] of pairCount) {
      // Smaller key = smaller left id, then smaller right id: the tie rule.
      if (n > bestCount || (n === bestCount && n > 0 && key < bestKey)) {
        bestCount = n;
        bestKey = key;
      }
    }
    if (bestKey < 0 || bestCount < 2) break; // nothing left worth merging
    const a = Math.floor(bestKey / K);
    const b = bestKey % K;
    merges.push(a, b);
    const touched = [...(where.get(bestKey) ?? [])];
    for (const w of touched) {
      addPairs(w, -1);
      const ids = words[w];
      const merged: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          merged.push(next);
          i++;
        } else merged.push(ids[i]);
      }
      words[w] = merged;
      addPairs(w, 1);
    }
    pairCount.delete(bestKey);
    where.delete(bestKey);
    // Drop spent pairs so the scan for the best pair stays short.
    if (next % 64 === 0) {
      for (const [key, n] of pairCount) {
        if (n <= 0) {
          pairCount.delete(key);
          where.delete(key);
        }
      }
    }
  }
  const spec = {
    format: 'collapse-lab-bpe' as const,
    version: 1 as const,
    normalization: 'NFC' as const,
    preSplit: PRE_SPLIT.source,
    vocabSize: BYTES + merges.length / 2,
    merges,
  };
  return { ...spec, hash: tokenizerHash(spec) };
}
