// The language model's metrics (docs/architecture.md, "Metrics"), on typed arrays.
import { logProbability, type NgramModel, PASSAGE } from './ngram';

/** The real text's rarest types that make up the last `share` of its tokens (a 0/1 mask). */
export function rarestTypes(tokens: ArrayLike<number>, V: number, share = 0.1): Uint8Array {
  const counts = new Float64Array(V);
  for (let i = 0; i < tokens.length; i++) counts[tokens[i]]++;
  const order = Array.from({ length: V }, (_, i) => i)
    .filter((w) => counts[w] > 0)
    .sort((a, b) => counts[a] - counts[b] || b - a);
  const mask = new Uint8Array(V);
  let sum = 0;
  for (const w of order) {
    if (sum >= share * tokens.length) break;
    mask[w] = 1;
    sum += counts[w];
  }
  return mask;
}

export interface UnigramStats {
  /** Types the model saw in training (without smoothing, the only ones it can emit). */
  vocabAlive: number;
  /** Bits per token of the model's unigram distribution. */
  entropy: number;
  /** 1 − Σ p²: the chance that two tokens drawn from it differ. */
  giniSimpson: number;
  /** Its probability of the real text's rarest types (the last 10 % of real tokens). */
  tailMass: number;
}

/**
 * Metrics of the model's unigram distribution: the word frequencies c(w)/N of the text it was
 * fitted to, which is what it emits in the long run (without smoothing exactly so at order 1;
 * Kneser–Ney never gives an unseen word mass either), and under add-k the smoothed
 * (c(w) + k)/(N + kV), since add-k gives every word its share at every context.
 */
export function unigramStats(model: NgramModel, tail: Uint8Array): UnigramStats {
  let alive = 0;
  let entropy = 0;
  let sumSq = 0;
  let tailMass = 0;
  const k = model.smoothing === 'addk' ? model.k : 0;
  const Z = model.tokens + k * model.V;
  for (let w = 0; w < model.V; w++) {
    if (model.unigram[w] > 0) alive++;
    const p = (model.unigram[w] + k) / Z;
    if (p > 0) entropy -= p * Math.log2(p);
    sumSq += p * p;
    if (tail[w]) tailMass += p;
  }
  return { vocabAlive: alive, entropy, giniSimpson: 1 - sumSq, tailMass };
}

/**
 * The share of the uniform distribution mixed into a model that scores text (perplexityReal, and
 * the generation-0 judge of perplexityBase): a word the model never saw costs log(V / FLOOR)
 * nats (about 16 with V = 8,192) instead of an infinite perplexity, so forgetting words shows as
 * a finite rise.
 */
export const SCORE_FLOOR = 1e-3;

/**
 * Perplexity of `size` passages of `tokens` (each from its start token) under `model` with the
 * floor: exp(mean negative log-probability per token).
 */
export function perplexity(
  model: NgramModel,
  tokens: ArrayLike<number>,
  size: number,
  floor = SCORE_FLOOR,
): number {
  let lp = 0;
  for (let p = 0; p < size; p++) lp += logProbability(model, tokens, p * PASSAGE, PASSAGE, floor);
  return Math.exp(-lp / (size * PASSAGE));
}

/** Per passage, exp(−log P / PASSAGE) under `model` with the floor, into `out`. */
export function passagePerplexities(
  model: NgramModel,
  tokens: ArrayLike<number>,
  size: number,
  out: Float64Array,
  floor = SCORE_FLOOR,
): void {
  for (let p = 0; p < size; p++) {
    out[p] = Math.exp(-logProbability(model, tokens, p * PASSAGE, PASSAGE, floor) / PASSAGE);
  }
}

/** Scratch of `repetition`: a small open-addressing set of 4-grams. */
const seen = new Float64Array(256);

/** Share of a passage's 4-grams that repeat an earlier 4-gram of the same passage. */
export function repetition(tokens: ArrayLike<number>, offset: number, V: number): number {
  const grams = PASSAGE - 3;
  seen.fill(-1);
  let repeats = 0;
  for (let t = 0; t < grams; t++) {
    const a = offset + t;
    // Four ids below V ≤ 2^13 in one exact double.
    const key = ((tokens[a] * V + tokens[a + 1]) * V + tokens[a + 2]) * V + tokens[a + 3];
    let i = (Math.imul((key % 1048573) | 0, 0x9e3779b1) >>> 24) & 255;
    for (;;) {
      if (seen[i] === key) {
        repeats++;
        break;
      }
      if (seen[i] === -1) {
        seen[i] = key;
        break;
      }
      i = (i + 1) & 255;
    }
  }
  return repeats / grams;
}
