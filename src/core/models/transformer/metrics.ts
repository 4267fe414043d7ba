// The transformer's text metrics on passages as text (pure: no tfjs). Words are runs of letters
// (with inner apostrophes), lower-cased, so that "The" and "the" count once and punctuation is no
// word; the same definitions score the real text's reference values.
// - vocabAlive: distinct words over all the passages scored.
// - distinct2: distinct word pairs (adjacent words of one passage) over all pairs (Li et al.,
//   "A diversity-promoting objective", 2016): 1 when no pair repeats, small when the text loops.
// - repetition: per passage, the share of its word 4-grams that repeat an earlier 4-gram of the
//   same passage, averaged over passages (0 for fresh prose, towards 1 for a loop).
// - entropy: entropy in bits of the word frequencies over all the passages.

const WORD = /[A-Za-z]+(?:'[A-Za-z]+)*/g;

/** The lower-cased words of a text. */
export function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.toLowerCase());
}

export interface TextStats {
  vocabAlive: number;
  distinct2: number;
  repetition: number;
  entropy: number;
}

/** The text metrics of `passages` (NaN-free: an empty set of words gives zeros). */
export function textStats(passages: readonly string[]): TextStats {
  const counts = new Map<string, number>();
  const pairs = new Set<string>();
  let pairTotal = 0;
  let words = 0;
  let repetitionSum = 0;
  for (const p of passages) {
    const w = wordsOf(p);
    for (const x of w) counts.set(x, (counts.get(x) ?? 0) + 1);
    words += w.length;
    for (let i = 0; i + 1 < w.length; i++) pairs.add(`${w[i]} ${w[i + 1]}`);
    pairTotal += Math.max(0, w.length - 1);
    repetitionSum += repetitionOf(w);
  }
  let entropy = 0;
  for (const c of counts.values()) {
    const q = c / words;
    entropy -= q * Math.log2(q);
  }
  return {
    vocabAlive: counts.size,
    distinct2: pairTotal > 0 ? pairs.size / pairTotal : 0,
    repetition: passages.length > 0 ? repetitionSum / passages.length : 0,
    entropy: words > 0 ? entropy : 0,
  };
}

/** Share of a word sequence's 4-grams that repeat an earlier 4-gram of it (0 with none). */
export function repetitionOf(words: readonly string[]): number {
  const n = words.length - 3;
  if (n <= 0) return 0;
  const seen = new Set<string>();
  let repeated = 0;
  for (let i = 0; i < n; i++) {
    const g = `${words[i]} ${words[i + 1]} ${words[i + 2]} ${words[i + 3]}`;
    if (seen.has(g)) repeated++;
    else seen.add(g);
  }
  return repeated / n;
}
